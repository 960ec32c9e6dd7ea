package io.mailops.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import io.mailops.storage.queue.postfix.PostfixQueueFixture;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code mailops report collect} against the job repository's H2 under MAILOPS_HOME, with the real
 * Postfix queue fixture, an empty Maildir store and a loadavg file. The log is the reference's
 * example lines (26 lines, 2 of them garbage).
 */
class ReportCollectCommandTest {

  @TempDir
  Path home;

  final Map<String, String> env = new HashMap<>();
  Path config;
  Path log;

  @BeforeEach
  void setUp() throws Exception {
    env.put("MAILOPS_HOME", home.toString());
    Path queue = PostfixQueueFixture.copyTo(home.resolve("spool"));
    Path store = Files.createDirectories(home.resolve("vmail"));
    Path loadavg = Files.writeString(home.resolve("loadavg"), "0.25 0.50 1.00 1/100 999\n");
    config = Files.writeString(home.resolve("test.yml"), "mailops:\n  queue-dir: " + queue + "\n  storage: maildir:"
        + store + "\n  report:\n    loadavg: " + loadavg + "\n    retention-weeks: 520\n");
    log = home.resolve("mail.log");
    Files.copy(Path.of(getClass().getResource("/logs/report-collect.log").toURI()), log);
  }

  CliResult run(String... args) {
    return CliResult.run(env, config, args);
  }

  CliResult summary(String params) {
    return run("report", "export", "--param", params, "--from", "2000-01-01", "--to", "2100-01-01", "--summary");
  }

  @Test
  void helpShouldListCollectAndExportAndTheirOptions() {
    assertThat(run("report", "--help").out()).contains("collect").contains("export");
    CliResult collect = run("report", "collect", "--help");
    assertThat(collect.code()).isZero();
    assertThat(collect.out()).contains("--once").contains("--from-logs=FILE").contains("--logs=FILE");
    CliResult export = run("report", "export", "--help");
    assertThat(export.code()).isZero();
    assertThat(export.out()).contains("--param=P").contains("--summary").contains("--format=csv|xml");
  }

  @Test
  void onceShouldCountTheNewLinesAndSampleTheGaugesThenCountNothingTwice() {
    CliResult first = run("report", "collect", "--once", "--logs", log.toString());
    assertThat(first.code()).as(first.err()).isZero();
    assertThat(first.out()).startsWith("collected 26 log lines (2 not understood), ");
    assertThat(first.err()).isEmpty();

    CliResult second = run("report", "collect", "--once", "--logs", log.toString());
    assertThat(second.code()).as(second.err()).isZero();
    assertThat(second.out()).startsWith("collected 0 log lines (0 not understood), ");

    CliResult export = summary("smtp.in.connections,imap.logins,queue.total,queue.deferred,system.load15,storage.used");
    assertThat(export.code()).as(export.err()).isZero();
    assertThat(export.out().lines()).anySatisfy(l -> assertThat(l).startsWith("smtp.in.connections,server,counter,")
        .endsWith(",1,1,1,1,1"));
    assertThat(export.out().lines()).anySatisfy(l -> assertThat(l).startsWith("imap.logins,").endsWith(",2,2,1,1,1"));
    assertThat(export.out().lines()).anySatisfy(l -> assertThat(l).startsWith("queue.total,").endsWith(",11,11"));
    assertThat(export.out().lines()).anySatisfy(l -> assertThat(l).startsWith("queue.deferred,").endsWith(",8,8"));
    assertThat(export.out().lines()).anySatisfy(l -> assertThat(l).startsWith("system.load15,").endsWith(",100,100"));
    assertThat(export.out().lines()).anySatisfy(l -> assertThat(l).startsWith("storage.used,").endsWith(",0,0"));
  }

  @Test
  void fromLogsTwiceShouldGiveTheSameNumbers() throws Exception {
    Path gz = home.resolve("mail.log.2.gz");
    try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(gz))) {
      Files.copy(log, out);
    }
    Files.writeString(home.resolve("mail.log.1"),
        "2025-02-03T08:00:00+00:00 mx1 postfix/smtpd[77]: connect from a.example.net[192.0.2.1]\n");
    String params = "smtp.in.connections,smtp.out.delivered,smtp.in.bytes,imap.login_failures";

    CliResult first = run("report", "collect", "--from-logs", gz.toString(), home.resolve("mail.log.1").toString());
    assertThat(first.code()).as(first.err()).isZero();
    assertThat(first.out()).startsWith("backfilled 27 log lines (2 not understood), ");
    String once = summary(params).out();

    CliResult again = run("report", "collect", "--from-logs", gz.toString(), home.resolve("mail.log.1").toString());
    assertThat(again.code()).as(again.err()).isZero();
    assertThat(again.out()).startsWith("backfilled 0 log lines");
    assertThat(summary(params).out()).isEqualTo(once);
    assertThat(once.lines()).anySatisfy(l -> assertThat(l).startsWith("smtp.in.connections,").endsWith(",2,2,1,1,1"));
    assertThat(once.lines()).anySatisfy(l -> assertThat(l).startsWith("smtp.in.bytes,").endsWith(",1,5120,5120,5120,5120"));
  }

  @Test
  void loweringTheRetentionShouldWarnWithTheCountBeforeDeleting() {
    assertThat(run("report", "collect", "--from-logs", log.toString()).code()).isZero();

    env.put("MAILOPS_REPORT_RETENTIONWEEKS", "1");
    CliResult r = run("report", "collect", "--from-logs", log.toString());

    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.err()).containsPattern("warning: retention is 1 week: deleting \\d+ minute samples older than ");
    assertThat(summary("imap.logins").out()).contains("imap.logins,server,counter,logins,")
        .doesNotContain(",2,2,1,1,1");
  }

  @Test
  void aBadRetentionShouldBeAUsageErrorNamingTheKey() {
    env.put("MAILOPS_REPORT_RETENTIONWEEKS", "zero");
    CliResult r = run("report", "collect", "--once", "--logs", log.toString());
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("mailops.report.retention-weeks 'zero'");
  }

  @Test
  void aMissingLogShouldFailWithOneLineNamingIt() {
    Path missing = home.resolve("no-such.log");
    CliResult r = run("report", "collect", "--once", "--logs", missing.toString());
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err().strip()).doesNotContain("\n").contains(missing.toString()).contains("no such file");
  }

  @Test
  void unreadableGaugeSourcesShouldBeWarningsAndExitThree() throws Exception {
    env.put("MAILOPS_QUEUEDIR", home.resolve("no-spool").toString());
    CliResult r = run("report", "collect", "--once", "--logs", log.toString());
    assertThat(r.code()).isEqualTo(3);
    assertThat(r.out()).startsWith("collected 26 log lines");
    assertThat(r.err()).startsWith("warning: queue gauges left out: ").contains("no-spool");
  }

  @Test
  void chartAndRenderShouldDrawWhatCollectStored() throws Exception {
    CliResult collect = run("report", "collect", "--once", "--logs", log.toString());
    assertThat(collect.code()).as(collect.err()).isZero();
    Path png = home.resolve("connections.png");

    CliResult chart = run("report", "chart", "--param", "smtp.in.connections,imap.logins", "--from", "2000-01-01",
        "--to", "2100-01-01", "--out", png.toString());

    assertThat(chart.code()).as(chart.err()).isZero();
    java.awt.image.BufferedImage image = javax.imageio.ImageIO.read(png.toFile());
    assertThat(image).isNotNull();
    assertThat(image.getWidth()).isPositive();
    Files.writeString(config, Files.readString(config) + "    charts:\n      - name: mail\n"
        + "        params: [smtp.in.connections, imap.logins]\n        timeframe: 3650d\n");
    CliResult render = run("report", "render", "--out", home.resolve("page").toString());
    assertThat(render.code()).as(render.err()).isZero();
    assertThat(Files.readString(home.resolve("page/index.html"))).contains("mail.png");
    assertThat(javax.imageio.ImageIO.read(home.resolve("page/mail.png").toFile())).isNotNull();
  }
}
