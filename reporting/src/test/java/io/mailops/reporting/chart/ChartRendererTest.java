package io.mailops.reporting.chart;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mailops.reporting.series.Aggregation;
import io.mailops.reporting.series.ScopeRef;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import javax.xml.parsers.DocumentBuilderFactory;
import org.jfree.chart.JFreeChart;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.w3c.dom.Document;

class ChartRendererTest {

  static final Instant START = Instant.parse("2026-10-01T00:00:00Z");
  static final int MONTH = 30 * 1440;
  static final String[] PARAMS = {"smtp.in.accepted", "smtp.out.delivered", "smtp.out.deferred", "queue.total"};
  static final MemorySeriesSource SOURCE = MemorySeriesSource.waves(START, MONTH, PARAMS);

  @TempDir
  Path tmp;

  static ChartSpec spec(int days, ChartType type, String... params) {
    List<ChartSpec.Series> series = Stream.of(params).map(p -> ChartSpec.Series.of(p, ScopeRef.SERVER)).toList();
    return new ChartSpec("mail", "traffic", "Mail traffic", series, type, null, null, START,
        START.plus(Duration.ofDays(days)), null);
  }

  static ChartRenderer renderer() {
    return new ChartRenderer(SOURCE, 800, 300, ZoneOffset.UTC);
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 30})
  void pngShouldDecodeAtTheRequestedSize(int days) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    renderer().writePng(spec(days, ChartType.LINE, PARAMS), out);
    BufferedImage img = ImageIO.read(new ByteArrayInputStream(out.toByteArray()));
    assertThat(img.getWidth()).isEqualTo(800);
    assertThat(img.getHeight()).isEqualTo(300);
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 30})
  void svgShouldParseAsXmlAndNameEverySeries(int days) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    renderer().writeSvg(spec(days, ChartType.LINE, PARAMS), out);
    DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
    // Batik names the SVG 1.0 DTD; browsers do not fetch it and neither does this test (offline)
    f.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
    Document doc = f.newDocumentBuilder().parse(new ByteArrayInputStream(out.toByteArray()));
    assertThat(doc.getDocumentElement().getTagName()).isEqualTo("svg");
    String text = doc.getDocumentElement().getTextContent();
    assertThat(text).contains("smtp.in.accepted (server, total)", "smtp.out.delivered (server, total)",
        "smtp.out.deferred (server, total)", "queue.total (server, avg)", "Mail traffic");
  }

  @Test
  void svgOfThirtyDaysOfFourParametersShouldStayUnderOneMegabyte() throws Exception {
    for (ChartType type : ChartType.values()) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      renderer().writeSvg(spec(30, type, PARAMS), out);
      assertThat(out.size()).as(type.name()).isLessThan(1_000_000);
    }
  }

  @Test
  void downsamplingShouldKeepAboutOnePointPerPixel() throws Exception {
    ChartSpec month = spec(30, ChartType.LINE, PARAMS);
    assertThat(ChartRenderer.step(month, 800)).isEqualTo(Duration.ofMinutes(54));
    for (ChartRenderer.Plotted p : renderer().read(month)) {
      assertThat(p.points()).hasSizeBetween(700, 800);
    }
  }

  @Test
  void aGivenStepShouldWinOverThePixelWidth() throws Exception {
    ChartSpec s = spec(1, ChartType.BAR, "smtp.in.accepted");
    ChartSpec hourly = new ChartSpec(s.name(), s.group(), s.title(), s.series(), s.type(), null, null, s.from(), s.to(),
        Duration.ofHours(1));
    List<ChartRenderer.Plotted> p = renderer().read(hourly);
    assertThat(p.get(0).points()).hasSize(24);
  }

  @Test
  void aSecondAxisShouldAppearWhenUnitsDiffer() throws Exception {
    JFreeChart two = renderer().chart(spec(1, ChartType.LINE, "smtp.in.accepted", "queue.oldest_age"));
    assertThat(two.getXYPlot().getRangeAxisCount()).isEqualTo(2);
    assertThat(two.getXYPlot().getRangeAxis(0).getLabel()).isEqualTo("messages");
    assertThat(two.getXYPlot().getRangeAxis(1).getLabel()).isEqualTo("seconds");
    JFreeChart one = renderer().chart(spec(1, ChartType.LINE, "smtp.in.accepted", "queue.total"));
    assertThat(one.getXYPlot().getRangeAxisCount()).isEqualTo(1);
  }

  @Test
  void threeUnitsShouldBeRefusedWithTheUnitsNamed() {
    assertThatThrownBy(() -> spec(1, ChartType.LINE, "smtp.in.accepted", "queue.oldest_age", "smtp.in.bytes"))
        .hasMessageContaining("chart mail")
        .hasMessageContaining("3 units [messages, seconds, bytes]");
  }

  @Test
  void theTimeAxisShouldSpanTheTimeframeEvenWithoutData() throws Exception {
    Instant later = START.plus(Duration.ofDays(60));
    ChartSpec empty = new ChartSpec("empty", null, null, List.of(ChartSpec.Series.of("queue.total", ScopeRef.SERVER)),
        ChartType.STACKED, null, null, later, later.plus(Duration.ofDays(1)), null);
    JFreeChart chart = renderer().chart(empty);
    assertThat((long) chart.getXYPlot().getDomainAxis().getLowerBound()).isEqualTo(later.toEpochMilli());
    assertThat((long) chart.getXYPlot().getDomainAxis().getUpperBound())
        .isEqualTo(later.plus(Duration.ofDays(1)).toEpochMilli());
  }

  @Test
  void writeShouldPickTheFormatByExtension() throws Exception {
    ChartRenderer r = renderer();
    r.write(spec(1, ChartType.AREA, PARAMS), tmp.resolve("a.png"));
    r.write(spec(1, ChartType.STACKED, "smtp.in.accepted", "smtp.out.delivered"), tmp.resolve("a.svg"));
    assertThat(ImageIO.read(tmp.resolve("a.png").toFile())).isNotNull();
    assertThat(Files.readString(tmp.resolve("a.svg"), StandardCharsets.UTF_8)).contains("<svg");
    assertThat(tmp.toFile().list()).containsExactlyInAnyOrder("a.png", "a.svg");
    assertThatThrownBy(() -> r.write(spec(1, ChartType.LINE, PARAMS), tmp.resolve("a.gif")))
        .hasMessage("chart file " + tmp.resolve("a.gif") + ": name it .png or .svg");
    Path missing = tmp.resolve("no/such/a.png");
    assertThatThrownBy(() -> r.write(spec(1, ChartType.LINE, PARAMS), missing))
        .hasMessage("cannot write chart " + missing + ": directory " + missing.getParent() + " does not exist; create"
            + " it or write elsewhere");
  }

  @Test
  void aggregationAndColourShouldShowInTheSeries() throws Exception {
    ChartSpec s = new ChartSpec("q", null, null, List.of(new ChartSpec.Series("queue.total", ScopeRef.SERVER,
        Aggregation.MAX, ChartSpec.color("#112233"))), ChartType.LINE, null, null, START,
        START.plus(Duration.ofDays(1)), null);
    ChartRenderer.Plotted p = renderer().read(s).get(0);
    assertThat(p.series().label()).isEqualTo("queue.total (server, max)");
    assertThat(ChartSpec.hex(p.color())).isEqualTo("#112233");
  }
}
