package io.mailops.jobs.report;

import static org.assertj.core.api.Assertions.assertThat;

import io.mailops.jobs.CliResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code mailops report collect --once}: the active-connection gauges from a socket table written
 * like the kernel's {@code /proc/net/tcp}, on the ports of {@code mailops.report.ports.*}.
 */
class ReportCollectConnectionsTest {

  @TempDir
  Path home;

  final Map<String, String> env = new HashMap<>();
  Path log;
  String base;

  @BeforeEach
  void setUp() throws Exception {
    env.put("MAILOPS_HOME", home.toString());
    log = Files.writeString(home.resolve("mail.log"),
        "Feb  2 12:34:50 mx1 postfix/smtpd[2101]: connect from mail.example.net[192.0.2.10]\n");
    base = "mailops:\n  report:\n    loadavg: \"\"\n    retention-weeks: 520\n";
  }

  @Test
  void onceShouldSampleTheActiveConnectionsOnTheConfiguredPorts() throws Exception {
    Path net = Files.createDirectories(home.resolve("net"));
    Files.writeString(net.resolve("tcp"), "  sl  local_address rem_address   st tx_queue\n"
        + "   0: 0100007F:53FF 0100007F:D431 01 00000000:00000000\n"        // 127.0.0.1:21503 <- a client
        + "   1: 0100007F:53FF 0100007F:D432 01 00000000:00000000\n"
        + "   2: 0100007F:5466 0100007F:D433 01 00000000:00000000\n"        // :21606
        + "   3: 0100007F:53FF 00000000:0000 0A 00000000:00000000\n"        // listening
        + "   4: 0100007F:008F 0100007F:D434 01 00000000:00000000\n");      // :143, not configured
    Path config = Files.writeString(home.resolve("ports.yml"), base
        + "    proc-net: " + net + "\n    ports:\n      imap: [21503]\n      pop3: 21606,21607\n");

    CliResult r = CliResult.run(env, config, "report", "collect", "--once", "--logs", log.toString());

    assertThat(r.code()).as(r.toString()).isZero();
    CliResult export = CliResult.run(env, config, "report", "export", "--param",
        "imap.active_sessions,pop3.active_sessions,smtp.in.active_connections", "--from", "2000-01-01", "--to",
        "2100-01-01", "--summary");
    assertThat(export.out().lines()).as(export.toString())
        .anySatisfy(l -> assertThat(l).startsWith("imap.active_sessions,").endsWith(",2,2"))
        .anySatisfy(l -> assertThat(l).startsWith("pop3.active_sessions,").endsWith(",1,1"))
        .anySatisfy(l -> assertThat(l).startsWith("smtp.in.active_connections,").endsWith(",0,0"));
  }

  @Test
  void aBadPortShouldBeAUsageErrorNamingTheKey() throws Exception {
    Path config = Files.writeString(home.resolve("ports.yml"), base + "    ports:\n      smtp: 25,smtp\n");

    CliResult r = CliResult.run(env, config, "report", "collect", "--once", "--logs", log.toString());

    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("mailops.report.ports.smtp 'smtp': give TCP port numbers 1-65535, e.g. 25,465,587");
  }

  @Test
  void anEmptyProcNetShouldLeaveTheConnectionGaugesOut() throws Exception {
    Path config = Files.writeString(home.resolve("off.yml"), base + "    proc-net: \"\"\n");

    CliResult r = CliResult.run(env, config, "report", "collect", "--once", "--logs", log.toString());

    assertThat(r.code()).as(r.toString()).isZero();
    CliResult export = CliResult.run(env, config, "report", "export", "--param", "imap.active_sessions",
        "--from", "2000-01-01", "--to", "2100-01-01", "--summary");
    assertThat(export.out().lines()).as("no samples: count 0").anySatisfy(l -> assertThat(l)
        .startsWith("imap.active_sessions,server,gauge,").endsWith(",0,,,,"));
  }
}
