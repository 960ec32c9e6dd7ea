package io.mailops.reporting.chart;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mailops.reporting.summary.MailSummary;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportPageTest {

  @TempDir
  Path tmp;

  static final Instant START = ChartRendererTest.START;

  static List<ChartSpec> charts() {
    Object tree = ChartSettings.tree(java.util.Map.of(
        "mailops.report.charts[0].name", "traffic", "mailops.report.charts[0].group", "mail",
        "mailops.report.charts[0].title", "In & out <daily>",
        "mailops.report.charts[0].params[0]", "smtp.in.accepted",
        "mailops.report.charts[0].params[1]", "smtp.out.delivered",
        "mailops.report.charts[1].name", "queue", "mailops.report.charts[1].group", "queue",
        "mailops.report.charts[1].params[0]", "queue.total"), ChartSettings.KEY);
    return ChartSettings.parse(tree, START.plus(Duration.ofDays(1)));
  }

  @Test
  void thePageShouldShowEveryChartAndTheTablesEscaped() throws Exception {
    ReportPage page = new ReportPage(new ChartRenderer(ChartRendererTest.SOURCE, 640, 240, ZoneOffset.UTC));
    SummaryTable t = new SummaryTable("Top <senders>", List.of("messages", "address"),
        List.of(List.of("3", "\"bob\"@example.net"), List.of("1", "a&b@example.org")));
    List<Path> files = page.write(tmp.resolve("out"), "Mail report", charts(), List.of(t), true, START);
    assertThat(files).extracting(p -> p.getFileName().toString())
        .containsExactly("traffic.png", "traffic.svg", "queue.png", "queue.svg", "index.html");
    assertThat(ImageIO.read(tmp.resolve("out/traffic.png").toFile()).getWidth()).isEqualTo(640);
    String html = Files.readString(tmp.resolve("out/index.html"), StandardCharsets.UTF_8);
    assertThat(html).contains("<h2>mail</h2>", "<h2>queue</h2>", "<img src=\"traffic.png\" width=\"640\"",
        "alt=\"In &amp; out &lt;daily&gt;\"", "<a href=\"queue.svg\">SVG</a>", "<caption>Top &lt;senders&gt;</caption>",
        "<td>&quot;bob&quot;@example.net</td>", "<td>a&amp;b@example.org</td>", "<td class=\"n\">3</td>");
    assertThat(html).doesNotContain("http://", "https://", "<script");
    assertThat(tmp.resolve("out").toFile().list()).hasSize(5);
  }

  @Test
  void aGroupShouldSelectItsChartsAndAnUnknownGroupNameTheOthers() {
    assertThat(ReportPage.select(charts(), "queue")).extracting(ChartSpec::name).containsExactly("queue");
    assertThat(ReportPage.select(charts(), null)).hasSize(2);
    assertThatThrownBy(() -> ReportPage.select(charts(), "dovecot"))
        .hasMessage("no chart in group 'dovecot'; the groups are mail, queue");
  }

  @Test
  void aMailSummaryShouldBecomeTables() {
    MailSummary s = new MailSummary(new MailSummary.Totals(2, 1, 0, 1, 1, 1, 3, 0, 0, 0, 5120, 5120, 1, 1, 1, 1),
        List.of(new MailSummary.HourTraffic(12, 2, 1, 1, 1, 3)),
        List.of(new MailSummary.AddressStat("bob@example.net", 1, 5120)), List.of(), List.of(), List.of(),
        List.of(new MailSummary.ReasonCount("Connection timed out", 1)), List.of(), List.of(), 16, 1);
    List<SummaryTable> tables = SummaryTable.of(s);
    assertThat(tables).extracting(SummaryTable::title).containsExactly("Grand totals", "Per-hour traffic",
        "Senders by message count", "Recipients by message count", "Senders by message size",
        "Recipients by message size", "Deferral reasons", "Bounce reasons", "Reject reasons");
    assertThat(tables.get(0).rows()).contains(List.of("received", "2"), List.of("bytes delivered", "5120"));
    assertThat(tables.get(1).rows()).containsExactly(List.of("1200-1300", "2", "1", "1", "1", "3"));
    assertThat(tables.get(6).rows()).containsExactly(List.of("1", "Connection timed out"));
    assertThatThrownBy(() -> new SummaryTable("x", List.of("a", "b"), List.of(List.of("1"))))
        .hasMessage("summary table 'x' row 1: 1 cells for 2 columns");
  }
}
