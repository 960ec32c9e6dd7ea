package io.mailops.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command-line contract of {@code mailops report render}: charts from mailops.yml and an index page. */
class ReportRenderCommandTest {

  static final String CHARTS = """
      mailops:
        report:
          charts:
            - name: traffic
              group: mail
              title: "Mail in & out"
              params:
                - {param: smtp.in.accepted, color: "#1f77b4"}
                - {param: smtp.out.delivered, agg: max}
              type: area
              timeframe: 24h
            - name: queue-age
              group: queue
              params: [queue.oldest_age]
              type: line
              step: 30m
      """;

  @TempDir
  Path tmp;

  Map<String, String> env;
  Path csv;

  @BeforeEach
  void setUp() throws Exception {
    env = Map.of("MAILOPS_HOME", tmp.toString());
    csv = ReportChartCommandTest.samples(tmp.resolve("day.csv"), Instant.now());
  }

  @Test
  void everyDefinedChartShouldBeWrittenWithAnIndexPage() throws Exception {
    Files.writeString(tmp.resolve("mailops.yml"), CHARTS);
    Path out = tmp.resolve("www");
    CliResult r = CliResult.run(env, "report", "render", "--out", out.toString(), "--svg", "--width", "640",
        "--data", csv.toString(), "--logs", Files.write(tmp.resolve("mail.log"), ReportSummaryCommandTest.LOG).toString());
    assertThat(r.err()).isEmpty();
    assertThat(r.code()).isZero();
    assertThat(r.out()).isEqualTo("wrote 2 charts (5 files) and " + out.resolve("index.html") + "\n");
    assertThat(out.toFile().list()).containsExactlyInAnyOrder("traffic.png", "traffic.svg", "queue-age.png",
        "queue-age.svg", "index.html");
    assertThat(ImageIO.read(out.resolve("traffic.png").toFile()).getWidth()).isEqualTo(640);
    String html = Files.readString(out.resolve("index.html"), StandardCharsets.UTF_8);
    assertThat(html).contains("<h2>mail</h2>", "<h2>queue</h2>", "alt=\"Mail in &amp; out\"",
        "<caption>Grand totals</caption>", "<caption>Reject reasons</caption>");
  }

  @Test
  void aGroupShouldLimitTheCharts() throws Exception {
    Files.writeString(tmp.resolve("mailops.yml"), CHARTS);
    Path out = tmp.resolve("q");
    CliResult r = CliResult.run(env, "report", "render", "--group", "queue", "--out", out.toString(),
        "--data", csv.toString());
    assertThat(r.code()).isZero();
    assertThat(out.toFile().list()).containsExactlyInAnyOrder("queue-age.png", "index.html");
    CliResult none = CliResult.run(env, "report", "render", "--group", "dovecot", "--out", out.toString(),
        "--data", csv.toString());
    assertThat(none.code()).isEqualTo(2);
    assertThat(none.err()).isEqualTo("mailops: no chart in group 'dovecot'; the groups are mail, queue\n");
  }

  @Test
  void badOrMissingDefinitionsShouldBeOneLineErrors() throws Exception {
    CliResult none = CliResult.run(env, "report", "render", "--out", tmp.resolve("o").toString(), "--data", csv.toString());
    assertThat(none.code()).isEqualTo(2);
    assertThat(none.err()).isEqualTo("mailops: no charts are defined; add them under mailops.report.charts in"
        + " mailops.yml (see 'mailops report render --help')\n");
    Files.writeString(tmp.resolve("mailops.yml"), CHARTS.replace("type: line", "type: pie"));
    CliResult bad = CliResult.run(env, "report", "render", "--out", tmp.resolve("o").toString(), "--data", csv.toString());
    assertThat(bad.code()).isEqualTo(2);
    assertThat(bad.err()).isEqualTo("mailops: mailops.report.charts[1] (queue-age): type: chart type 'pie': use line,"
        + " bar, area or stacked\n");
  }
}
