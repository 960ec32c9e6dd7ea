package io.mailops.reporting.chart;

import io.mailops.reporting.ReportingException;
import io.mailops.reporting.series.Sample;
import io.mailops.reporting.series.SeriesSource;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Dimension;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.awt.geom.Rectangle2D;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TimeZone;
import java.util.TreeSet;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import javax.imageio.stream.MemoryCacheImageOutputStream;
import org.apache.batik.dom.GenericDOMImplementation;
import org.apache.batik.svggen.SVGGeneratorContext;
import org.apache.batik.svggen.SVGGraphics2D;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.DateAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.DatasetRenderingOrder;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.AbstractXYItemRenderer;
import org.jfree.chart.renderer.xy.ClusteredXYBarRenderer;
import org.jfree.chart.renderer.xy.StackedXYAreaRenderer2;
import org.jfree.chart.renderer.xy.StandardXYBarPainter;
import org.jfree.chart.renderer.xy.XYAreaRenderer;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.title.TextTitle;
import org.jfree.data.xy.DefaultTableXYDataset;
import org.jfree.data.xy.XYDataset;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;
import org.w3c.dom.Document;

/**
 * Draws a {@link ChartSpec} from a {@link SeriesSource} as PNG (JFreeChart) or SVG (JFreeChart on
 * Batik's {@code SVGGraphics2D}). Each series is read raw and combined per step (the spec's step,
 * else the timeframe divided by the image width, rounded up to whole minutes) before drawing, so a
 * month of minute samples becomes about one point per pixel. The X axis spans the timeframe even
 * where there is no data; each Y axis starts at zero and follows the highest value; a second Y
 * axis (right) shows the series of the second unit.
 *
 * <p>Thread-safe when the source is; one renderer draws any number of charts. The caller closes
 * the streams it passes in.
 */
public final class ChartRenderer {

  /** The default image width in pixels. */
  public static final int DEFAULT_WIDTH = 960;
  /** The default image height in pixels. */
  public static final int DEFAULT_HEIGHT = 360;

  private static final Color[] PALETTE = {new Color(0x1f77b4), new Color(0xff7f0e), new Color(0x2ca02c),
      new Color(0xd62728), new Color(0x9467bd), new Color(0x8c564b), new Color(0xe377c2), new Color(0x7f7f7f),
      new Color(0xbcbd22), new Color(0x17becf)};
  private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm", Locale.ROOT);

  private final SeriesSource source;
  private final int width;
  private final int height;
  private final ZoneId zone;

  /**
   * A renderer of {@code width} x {@code height} pixel images whose time axis is in {@code zone}.
   */
  public ChartRenderer(SeriesSource source, int width, int height, ZoneId zone) {
    if (width < 100 || height < 80 || width > 10_000 || height > 10_000) {
      throw new IllegalArgumentException("chart size " + width + "x" + height + ": use 100..10000 x 80..10000 pixels");
    }
    this.source = source;
    this.width = width;
    this.height = height;
    this.zone = zone;
  }

  /**
   * One series as drawn: its points (one per step with samples, oldest first), its colour and its
   * Y axis (0 left, 1 right).
   */
  public record Plotted(ChartSpec.Series series, Color color, int axis, List<Sample> points) {}

  /** The spec's step, or the timeframe divided by {@code width}, rounded up to whole minutes. */
  public static Duration step(ChartSpec spec, int width) {
    if (spec.step() != null) {
      return spec.step();
    }
    long minutes = Duration.between(spec.from(), spec.to()).toMinutes();
    return Duration.ofMinutes(Math.max(1, (minutes + width - 1) / width));
  }

  /** The image width in pixels. */
  public int width() {
    return width;
  }

  /** The image height in pixels. */
  public int height() {
    return height;
  }

  /** Reads and downsamples every series of {@code spec}. */
  public List<Plotted> read(ChartSpec spec) throws IOException {
    Duration step = step(spec, width);
    List<String> units = spec.units();
    List<Plotted> out = new ArrayList<>();
    int i = 0;
    for (ChartSpec.Series s : spec.series()) {
      List<Sample> raw;
      try {
        raw = source.read(s.parameter(), s.scope(), spec.from(), spec.to());
      } catch (IOException e) {
        throw new ReportingException("chart " + spec.name() + ": cannot read " + s.label() + ": " + e.getMessage(), e);
      }
      Color c = s.color() != null ? s.color() : PALETTE[i % PALETTE.length];
      out.add(new Plotted(s, c, units.indexOf(s.unit()), s.aggregation().downsample(raw, step)));
      i++;
    }
    return out;
  }

  /** The JFreeChart of {@code spec}, ready to draw. */
  public JFreeChart chart(ChartSpec spec) throws IOException {
    List<Plotted> plotted = read(spec);
    Duration step = step(spec, width);
    DateAxis time = new DateAxis(null, TimeZone.getTimeZone(zone), Locale.ROOT);
    time.setRange(new Date(spec.from().toEpochMilli()), new Date(spec.to().toEpochMilli()));
    time.setLowerMargin(0);
    time.setUpperMargin(0);
    XYPlot plot = new XYPlot();
    plot.setDomainAxis(time);
    plot.setBackgroundPaint(spec.fill());
    plot.setOutlinePaint(spec.outline());
    plot.setDomainGridlinePaint(Color.LIGHT_GRAY);
    plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
    plot.setNoDataMessage("no samples in this timeframe");
    plot.setDatasetRenderingOrder(DatasetRenderingOrder.FORWARD);
    List<String> units = spec.units();
    for (int axis = 0; axis < units.size(); axis++) {
      NumberAxis y = new NumberAxis(units.get(axis));
      y.setAutoRangeIncludesZero(true);
      plot.setRangeAxis(axis, y);
      int a = axis;
      List<Plotted> onAxis = plotted.stream().filter(p -> p.axis() == a).toList();
      plot.setDataset(axis, dataset(spec.type(), onAxis, step));
      plot.setRenderer(axis, renderer(spec, onAxis));
      plot.mapDatasetToRangeAxis(axis, axis);
    }
    JFreeChart chart = new JFreeChart(spec.title(), new Font(Font.SANS_SERIF, Font.BOLD, 16), plot, true);
    chart.setBackgroundPaint(Color.WHITE);
    chart.addSubtitle(new TextTitle(WHEN.format(spec.from().atZone(zone)) + " to " + WHEN.format(spec.to().atZone(zone))
        + " (" + zone.getId() + "), one point per " + minutes(step)));
    chart.setAntiAlias(true);
    return chart;
  }

  /**
   * Writes {@code spec} as a PNG image: drawn into an opaque RGB image (the chart's background is
   * white, so an alpha channel only adds a quarter to what the encoder compresses) and encoded by
   * ImageIO in memory, not through a temporary cache file as {@code ChartUtils.writeChartAsPNG}
   * does (docs/benchmarks.md, Charts).
   */
  public void writePng(ChartSpec spec, OutputStream out) throws IOException {
    JFreeChart chart = chart(spec);
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    try {
      chart.draw(g, new Rectangle2D.Double(0, 0, width, height));
    } finally {
      g.dispose();
    }
    ImageWriter writer = ImageIO.getImageWritersByFormatName("png").next();
    try (ImageOutputStream io = new MemoryCacheImageOutputStream(out)) {
      writer.setOutput(io);
      writer.write(image);
    } finally {
      writer.dispose();
    }
  }

  /** Writes {@code spec} as an SVG document (UTF-8, text as text). */
  public void writeSvg(ChartSpec spec, OutputStream out) throws IOException {
    JFreeChart chart = chart(spec);
    Document doc = GenericDOMImplementation.getDOMImplementation()
        .createDocument("http://www.w3.org/2000/svg", "svg", null);
    SVGGeneratorContext ctx = SVGGeneratorContext.createDefault(doc);
    ctx.setComment("mailops chart " + spec.name());
    SVGGraphics2D g = new SVGGraphics2D(ctx, false);
    g.setSVGCanvasSize(new Dimension(width, height));
    chart.draw(g, new Rectangle2D.Double(0, 0, width, height));
    Writer w = new OutputStreamWriter(out, StandardCharsets.UTF_8);
    g.stream(w, true);
    w.flush();
  }

  /**
   * Writes {@code spec} to {@code file} as PNG or SVG by its extension ({@code .png}, {@code .svg});
   * the file appears complete or not at all.
   */
  public void write(ChartSpec spec, Path file) throws IOException {
    String n = file.getFileName().toString().toLowerCase(Locale.ROOT);
    boolean svg = n.endsWith(".svg");
    if (!svg && !n.endsWith(".png")) {
      throw new IllegalArgumentException("chart file " + file + ": name it .png or .svg");
    }
    Path dir = file.toAbsolutePath().getParent();
    if (!Files.isDirectory(dir)) {
      throw new ReportingException("cannot write chart " + file + ": directory " + dir + " does not exist; create it"
          + " or write elsewhere", null);
    }
    // beside the target (same file system, so the move is atomic), with the umask's permissions
    Path tmp = dir.resolve("." + file.getFileName() + ".tmp");
    try {
      try (OutputStream out = Files.newOutputStream(tmp)) {
        if (svg) {
          writeSvg(spec, out);
        } else {
          writePng(spec, out);
        }
      }
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  private static XYDataset dataset(ChartType type, List<Plotted> series, Duration step) {
    if (type == ChartType.STACKED) {
      TreeSet<Long> xs = new TreeSet<>();
      series.forEach(p -> p.points().forEach(s -> xs.add(s.minute().toEpochMilli())));
      DefaultTableXYDataset table = new DefaultTableXYDataset();
      for (Plotted p : series) {
        XYSeries xy = new XYSeries(p.series().label(), true, false);
        Map<Long, Double> byX = new HashMap<>();
        p.points().forEach(s -> byX.put(s.minute().toEpochMilli(), s.value()));
        for (long x : xs) {
          xy.add(x, byX.getOrDefault(x, 0.0), false);
        }
        table.addSeries(xy);
      }
      return table;
    }
    XYSeriesCollection c = new XYSeriesCollection();
    for (Plotted p : series) {
      XYSeries xy = new XYSeries(p.series().label(), false, false);
      for (Sample s : p.points()) {
        xy.add(s.minute().toEpochMilli(), s.value(), false);
      }
      c.addSeries(xy);
    }
    if (type == ChartType.BAR) {
      c.setIntervalWidth(step.toMillis());
      c.setIntervalPositionFactor(0.0);
    }
    return c;
  }

  private static AbstractXYItemRenderer renderer(ChartSpec spec, List<Plotted> series) {
    AbstractXYItemRenderer r = switch (spec.type()) {
      case LINE -> new XYLineAndShapeRenderer(true, false);
      case AREA -> {
        XYAreaRenderer a = new XYAreaRenderer(XYAreaRenderer.AREA);
        a.setOutline(true);
        yield a;
      }
      case STACKED -> {
        StackedXYAreaRenderer2 a = new StackedXYAreaRenderer2();
        a.setOutline(true);
        yield a;
      }
      case BAR -> {
        ClusteredXYBarRenderer b = new ClusteredXYBarRenderer();
        b.setBarPainter(new StandardXYBarPainter());
        b.setShadowVisible(false);
        b.setDrawBarOutline(true);
        yield b;
      }
    };
    r.setDefaultOutlinePaint(spec.outline());
    r.setAutoPopulateSeriesOutlinePaint(false);
    for (int i = 0; i < series.size(); i++) {
      Color c = series.get(i).color();
      r.setSeriesPaint(i, spec.type() == ChartType.AREA ? new Color(c.getRed(), c.getGreen(), c.getBlue(), 128) : c);
      r.setSeriesStroke(i, new BasicStroke(spec.type() == ChartType.LINE ? 1.5f : 0.5f));
    }
    return r;
  }

  private static String minutes(Duration step) {
    long m = step.toMinutes();
    return m % 1440 == 0 ? m / 1440 + " d" : m % 60 == 0 ? m / 60 + " h" : m + " min";
  }

}
