package io.mailops.jobs.report;

import static org.assertj.core.api.Assertions.assertThat;

import io.mailops.jobs.CliResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code mailops report summary --syslog-name}: lines of a Postfix with its own {@code syslog_name}
 * (the harness's {@code postfix-mailops}, lines as its {@code maillog_file} has them) count only
 * when the name is given, as with {@code pflogsumm --syslog-name}.
 */
class ReportSummarySyslogNameTest {

  private static final String LOG = """
      Nov 22 10:03:09 mailhost postfix-mailops/smtpd[14419]: connect from localhost[127.0.0.1]
      Nov 22 10:03:09 mailhost postfix-mailops/smtpd[14419]: D276466A2A0: client=localhost[127.0.0.1]
      Nov 22 10:03:09 mailhost postfix-mailops/cleanup[14588]: D276466A2A0: message-id=<20261122100309.D276466A2A0@mailhost.test>
      Nov 22 10:03:09 mailhost postfix-mailops/qmgr[14416]: D276466A2A0: from=<x@sender.test>, size=310, nrcpt=1 (queue active)
      Nov 22 10:03:09 mailhost postfix-mailops/smtpd[14421]: NOQUEUE: reject: RCPT from localhost[127.0.0.1]: 554 5.7.1 <far@remote.invalid>: Relay access denied; from=<x@sender.test> to=<far@remote.invalid> proto=ESMTP helo=<t.test>
      Nov 22 10:03:09 mailhost postfix-mailops/lmtp[14589]: D276466A2A0: to=<rep-a@report.test>, relay=127.0.0.1[127.0.0.1]:24024, delay=0.04, delays=0.01/0.02/0/0.01, dsn=2.0.0, status=sent (250 2.0.0 <rep-a@report.test> uKiNNN29AmtvNwAAg+zDdQ Saved)
      Nov 22 10:03:09 mailhost postfix-mailops/qmgr[14416]: D276466A2A0: removed
      """;
  private static final JsonMapper JSON = JsonMapper.builder().build();

  @TempDir
  Path tmp;

  private CliResult summary(String... extra) throws Exception {
    Path log = tmp.resolve("maillog");
    if (!Files.exists(log)) {
      Files.writeString(log, LOG);
    }
    String[] args = new String[5 + extra.length];
    System.arraycopy(new String[] {"report", "summary", "--json", "--logs", log.toString()}, 0, args, 0, 5);
    System.arraycopy(extra, 0, args, 5, extra.length);
    return CliResult.run(Map.of("MAILOPS_HOME", tmp.resolve("home").toString()), args);
  }

  @Test
  void theOwnSyslogNameCountsOnlyWhenGiven() throws Exception {
    CliResult named = summary("--syslog-name", "postfix-mailops");
    CliResult plain = summary();

    assertThat(named.code()).as(named.toString()).isZero();
    JsonNode n = JSON.readTree(named.out());
    assertThat(n.get("received").asLong()).isEqualTo(1);
    assertThat(n.get("delivered").asLong()).isEqualTo(1);
    assertThat(n.get("rejected").asLong()).isEqualTo(1);
    assertThat(n.get("bytes_delivered").asLong()).isEqualTo(310);
    JsonNode p = JSON.readTree(plain.out());
    assertThat(p.get("received").asLong()).isZero();
    assertThat(p.get("rejected").asLong()).isZero();
  }

  @Test
  void aSyslogNameWithASlashIsAUsageErrorInOneLine() throws Exception {
    CliResult r = summary("--syslog-name", "postfix-mailops/smtpd");

    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err().strip()).doesNotContain("\n")
        .contains("syslog name must be one word without '/', like postfix-out; got 'postfix-mailops/smtpd'");
  }
}
