package io.mailops.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command-line contract of {@code mailops report chart}, drawing from a CSV of samples. */
class ReportChartCommandTest {

  @TempDir
  Path tmp;

  Map<String, String> env;
  Path csv;

  /** A day of minute samples ending at {@code end} for three parameters. */
  static Path samples(Path file, Instant end) throws Exception {
    List<String> lines = new ArrayList<>(List.of("param,scope,minute,value"));
    Instant start = end.truncatedTo(ChronoUnit.MINUTES).minus(Duration.ofDays(1));
    for (int m = 0; m < 1440; m++) {
      Instant t = start.plus(Duration.ofMinutes(m));
      lines.add("smtp.in.accepted,server," + t + "," + (m % 60));
      lines.add("smtp.out.delivered,server," + t + "," + (m % 30));
      lines.add("queue.oldest_age,server," + t + "," + m * 2);
    }
    return Files.write(file, lines);
  }

  @BeforeEach
  void setUp() throws Exception {
    env = Map.of("MAILOPS_HOME", tmp.toString());
    csv = samples(tmp.resolve("day.csv"), Instant.parse("2026-11-22T00:00:00Z"));
  }

  @Test
  void aPngShouldBeDrawnFromTheCsvData() throws Exception {
    Path png = tmp.resolve("mail.png");
    CliResult r = CliResult.run(env, "report", "chart", "--param", "smtp.in.accepted,smtp.out.delivered",
        "--from", "2026-11-21T00:00Z", "--to", "2026-11-22T00:00Z", "--data", csv.toString(), "--width", "720",
        "--height", "300", "--out", png.toString());
    assertThat(r.err()).isEmpty();
    assertThat(r.code()).isZero();
    assertThat(r.out()).isEqualTo("wrote " + png + " (720x300, 2 series, one point per 2 min)\n");
    var img = ImageIO.read(png.toFile());
    assertThat(img.getWidth()).isEqualTo(720);
    assertThat(img.getHeight()).isEqualTo(300);
  }

  @Test
  void anSvgShouldNameTheSeriesWithTheirScopeAndAggregation() throws Exception {
    Path svg = tmp.resolve("mix.svg");
    CliResult r = CliResult.run(env, "report", "chart", "--param", "smtp.in.accepted,queue.oldest_age",
        "--from", "2026-11-21T00:00Z", "--to", "2026-11-22T00:00Z", "--agg", "max", "--step", "1h", "--type", "bar",
        "--color", "queue.oldest_age=#aa0000", "--title", "Mixed <units>", "--data", csv.toString(),
        "--out", svg.toString());
    assertThat(r.err()).isEmpty();
    assertThat(r.code()).isZero();
    assertThat(r.out()).contains("one point per 60 min");
    DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
    f.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
    String text = f.newDocumentBuilder().parse(new ByteArrayInputStream(Files.readAllBytes(svg)))
        .getDocumentElement().getTextContent();
    // the axis labels (units) are drawn rotated, which JFreeChart does as glyph outlines, not text
    assertThat(text).contains("smtp.in.accepted (server, max)", "queue.oldest_age (server, max)", "Mixed <units>");
    assertThat(Files.readString(svg, StandardCharsets.UTF_8)).contains("rgb(170,0,0)");
  }

  @Test
  void badValuesShouldBeOneLineUsageErrors() {
    String out = tmp.resolve("q.png").toString();
    assertThat(CliResult.run(env, "report", "chart", "--param", "queue.total", "--color", "queue.hold=#000000",
        "--data", csv.toString(), "--out", out).err())
        .isEqualTo("mailops: --color queue.hold: not one of the --param parameters [queue.total]\n");
    CliResult units = CliResult.run(env, "report", "chart", "--param", "smtp.in.accepted,queue.oldest_age,smtp.in.bytes",
        "--data", csv.toString(), "--out", out);
    assertThat(units.code()).isEqualTo(2);
    assertThat(units.err()).startsWith("mailops: chart q: its parameters have 3 units [messages, seconds, bytes]");
    assertThat(CliResult.run(env, "report", "chart", "--param", "queue.total", "--from", "yesterday",
        "--data", csv.toString(), "--out", out).err())
        .isEqualTo("mailops: --from 'yesterday': use now, -24h, YYYY-MM-DD, YYYY-MM-DDTHH:MM[:SS] or one with an"
            + " offset (2026-11-21T08:00Z)\n");
    assertThat(CliResult.run(env, "report", "chart", "--param", "queue.total", "--data", csv.toString(),
        "--out", tmp.resolve("q.gif").toString()).err())
        .isEqualTo("mailops: chart file " + tmp.resolve("q.gif") + ": name it .png or .svg\n");
    assertThat(Files.exists(tmp.resolve("q.png"))).isFalse();
  }

  @Test
  void aBadCsvLineShouldFailNamingTheFileAndLine() throws Exception {
    Path bad = Files.writeString(tmp.resolve("bad.csv"), "param,scope,minute,value\nqueue.total,server,yesterday,1\n");
    CliResult r = CliResult.run(env, "report", "chart", "--param", "queue.total", "--data", bad.toString(),
        "--out", tmp.resolve("q.png").toString());
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err()).isEqualTo("mailops: samples file " + bad + " line 2: minute 'yesterday': use an ISO date-time"
        + " with offset, as 2026-11-21T08:07:00Z; fix or remove the line\n");
  }

  @Test
  void helpShouldDocumentTheDataOption() {
    CliResult r = CliResult.run(env, "report", "chart", "--help");
    assertThat(r.code()).isZero();
    assertThat(r.out().replaceAll("\\s+", " ")).contains("--data=FILE.csv", "header timestamp,parameter,scope,value",
        "--step=DURATION");
  }
}
