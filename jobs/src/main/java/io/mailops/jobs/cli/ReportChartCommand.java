package io.mailops.jobs.cli;

import io.mailops.jobs.config.MailOpsSettings;
import io.mailops.reporting.chart.ChartRenderer;
import io.mailops.reporting.chart.ChartSpec;
import io.mailops.reporting.chart.ChartType;
import io.mailops.reporting.chart.CsvSeriesSource;
import io.mailops.reporting.series.Aggregation;
import io.mailops.reporting.series.ScopeRef;
import io.mailops.reporting.series.SeriesSource;
import io.mailops.reporting.store.JdbcSampleStore;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.springframework.jdbc.datasource.SimpleDriverDataSource;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code mailops report chart}: one chart of one or more parameters as PNG or SVG, the series
 * combined to about one point per pixel (or per {@code --step}).
 */
@Command(name = "chart", mixinStandardHelpOptions = true,
    description = {"Draws one chart of collected samples as PNG or SVG (by the --out extension).",
        "Series are combined per step (--step, else about one point per pixel); a second Y axis shows a second unit."},
    footer = {"", "Times: now, -24h / -7d (before now), YYYY-MM-DD, YYYY-MM-DDTHH:MM[:SS] (local time) or with an offset"
        + " (2026-11-21T08:00Z).",
        "--data FILE.csv draws from a CSV of samples as 'mailops report export --format csv' writes it (header"
            + " timestamp,parameter,scope,value, columns in any order; param and minute also accepted; times ISO with"
            + " offset): exported history, or data from another tool.",
        "Example: mailops report chart --param smtp.in.accepted,smtp.out.delivered --from -7d --data week.csv"
            + " --out week.png"})
public final class ReportChartCommand implements Callable<Integer> {

  /** Opens the samples the charts are drawn from, given the {@code --data} file or {@code null}. */
  @FunctionalInterface
  interface Sources {
    SeriesSource open(MailOpsCommand root, Path data) throws IOException;
  }

  /**
   * The samples of {@code --data}, else the minute samples {@code mailops report collect} stored
   * in the job-repository database ({@code spring.datasource.*}; no Spring context is started).
   */
  static SeriesSource stored(MailOpsCommand root, Path data) throws IOException {
    if (data != null) {
      return CsvSeriesSource.open(data);
    }
    MailOpsSettings s = root.settings();
    String url = s.get("spring.datasource.url");
    try {
      JdbcSampleStore store = new JdbcSampleStore(new SimpleDriverDataSource(
          DriverManager.getDriver(url), url, s.get("spring.datasource.username", ""),
          s.get("spring.datasource.password", "")));
      store.createSchema();
      return store;
    } catch (SQLException e) {
      throw new IOException("cannot open the report database " + url + ": " + e.getMessage()
          + "; check spring.datasource.url, or give samples with --data FILE.csv", e);
    }
  }

  Sources sources = ReportChartCommand::stored;
  Clock clock = Clock.systemDefaultZone();

  @ParentCommand
  ReportCommand report;

  @Spec
  CommandSpec spec;

  @Option(names = "--param", required = true, split = ",", paramLabel = "P",
      description = "Parameters to draw ('mailops report params' lists them).")
  List<String> params;

  @Option(names = "--scope", defaultValue = "server", paramLabel = "server|domain:D|account:A",
      description = "Scope of every series (default: ${DEFAULT-VALUE}).")
  String scope;

  @Option(names = "--from", paramLabel = "TIME", description = "Start of the timeframe (default: 24 h before --to).")
  String from;

  @Option(names = "--to", paramLabel = "TIME", description = "End of the timeframe, exclusive (default: now).")
  String to;

  @Option(names = "--agg", paramLabel = "avg|min|max|total",
      description = "Aggregation per step (default: total for counters, avg for gauges).")
  String agg;

  @Option(names = "--step", paramLabel = "DURATION", description = "Step of the points, whole minutes (5m, 1h, 1d).")
  String step;

  @Option(names = "--type", defaultValue = "line", paramLabel = "line|bar|area|stacked",
      description = "Chart type (default: ${DEFAULT-VALUE}).")
  String type;

  @Option(names = "--color", paramLabel = "P=#RRGGBB", description = "Colour of a parameter's series (repeatable).")
  Map<String, String> colors = new LinkedHashMap<>();

  @Option(names = "--fill", paramLabel = "#RRGGBB", description = "Plot background (default: white).")
  String fill;

  @Option(names = "--outline", paramLabel = "#RRGGBB", description = "Plot border and bar/area outlines (default: grey).")
  String outline;

  @Option(names = "--title", description = "Chart title (default: the parameter names).")
  String title;

  @Option(names = "--width", defaultValue = "" + ChartRenderer.DEFAULT_WIDTH, description = "Pixels (default: ${DEFAULT-VALUE}).")
  int width;

  @Option(names = "--height", defaultValue = "" + ChartRenderer.DEFAULT_HEIGHT, description = "Pixels (default: ${DEFAULT-VALUE}).")
  int height;

  @Option(names = "--data", paramLabel = "FILE.csv",
      description = "Draw from this CSV of samples (see below) instead of what 'report collect' stored.")
  Path data;

  @Option(names = "--out", required = true, paramLabel = "FILE.png|FILE.svg", description = "The image to write.")
  Path out;

  @Override
  public Integer call() throws Exception {
    System.setProperty("java.awt.headless", "true");
    ZoneId zone = clock.getZone();
    Instant now = clock.instant().truncatedTo(ChronoUnit.MINUTES);
    Instant end = to == null ? now : time("--to", to, now, zone);
    Instant start = from == null ? end.minus(Duration.ofHours(24)) : time("--from", from, now, zone);
    ScopeRef s = ScopeRef.parse(scope);
    Aggregation a = agg == null ? null : Aggregation.parse(agg);
    for (String p : colors.keySet()) {
      if (!params.contains(p)) {
        throw new IllegalArgumentException("--color " + p + ": not one of the --param parameters " + params);
      }
    }
    List<ChartSpec.Series> series = new ArrayList<>();
    for (String p : params) {
      series.add(new ChartSpec.Series(p, s, a == null ? ChartSpec.defaultAggregation(p) : a,
          colors.containsKey(p) ? ChartSpec.color(colors.get(p)) : null));
    }
    ChartSpec chart = new ChartSpec(name(out), null, title == null ? String.join(", ", params) : title, series,
        ChartType.parse(type), fill == null ? null : ChartSpec.color(fill), outline == null ? null : ChartSpec.color(outline),
        start, end, step == null ? null : ChartSpec.duration(step));
    ChartRenderer renderer = new ChartRenderer(sources.open(report.root, data), width, height, zone);
    renderer.write(chart, out);
    PrintWriter w = spec.commandLine().getOut();
    w.println("wrote " + out + " (" + width + "x" + height + ", " + series.size() + " series, one point per "
        + ChartRenderer.step(chart, width).toMinutes() + " min)");
    w.flush();
    return ExitCode.OK;
  }

  /** A chart name from the output file's name: its stem with other characters as '-'. */
  static String name(Path file) {
    String n = file.getFileName().toString();
    int dot = n.lastIndexOf('.');
    String stem = (dot > 0 ? n.substring(0, dot) : n).replaceAll("[^A-Za-z0-9._-]", "-");
    return stem.isEmpty() || !Character.isLetterOrDigit(stem.charAt(0)) ? "chart" + stem : stem;
  }

  /**
   * {@code now}, {@code -DURATION} before now, a date (start of day), a local date-time, or a
   * date-time with an offset.
   */
  static Instant time(String option, String value, Instant now, ZoneId zone) {
    return time(option, value, now, zone, false);
  }

  /**
   * {@link #time(String, String, Instant, ZoneId)}, where a bare date with {@code endOfDay} means
   * the start of the next day (an inclusive {@code --to DAY}).
   */
  static Instant time(String option, String value, Instant now, ZoneId zone, boolean endOfDay) {
    String v = value.strip();
    try {
      if (v.equalsIgnoreCase("now")) {
        return now;
      }
      if (v.startsWith("-")) {
        return now.minus(ChartSpec.duration(v.substring(1)));
      }
      if (v.length() == 10) {
        LocalDate d = LocalDate.parse(v);
        return (endOfDay ? d.plusDays(1) : d).atStartOfDay(zone).toInstant();
      }
      if (v.endsWith("Z") || v.matches(".*[+-]\\d\\d:?\\d\\d$")) {
        return OffsetDateTime.parse(v).toInstant();
      }
      return LocalDateTime.parse(v.replace(' ', 'T')).atZone(zone).toInstant();
    } catch (DateTimeParseException | IllegalArgumentException e) {
      throw new IllegalArgumentException(option + " '" + value + "': use now, -24h, YYYY-MM-DD,"
          + " YYYY-MM-DDTHH:MM[:SS] or one with an offset (2026-11-21T08:00Z)", e);
    }
  }
}
