package io.mailops.reporting.chart;

import io.mailops.reporting.Parameter;
import io.mailops.reporting.series.Aggregation;
import io.mailops.reporting.series.ScopeRef;
import java.awt.Color;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What one chart shows: its name (also its file name), group, title, the series (each a parameter
 * at a scope with an aggregation and optionally a colour), the chart type, the plot's fill
 * (background) and outline (plot border, bar and area outlines) colours, the timeframe
 * {@code [from, to)} and the step the minute samples are combined over ({@code null}: about one
 * point per pixel, see {@link ChartRenderer#step}).
 *
 * <p>The series use at most two units (a second Y axis shows the second unit); every parameter
 * is one of {@link Parameter#ALL} and is collected at the scope asked for.
 *
 * @param name letters, digits, '.', '_' and '-', starting with a letter or digit
 * @param step whole minutes, at least one; or {@code null}
 */
public record ChartSpec(String name, String group, String title, List<Series> series, ChartType type,
    Color fill, Color outline, Instant from, Instant to, Duration step) {

  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,99}");
  private static final Pattern HEX = Pattern.compile("#[0-9a-fA-F]{6}");

  /** The default plot fill: white. */
  public static final Color DEFAULT_FILL = Color.WHITE;
  /** The default outline: grey. */
  public static final Color DEFAULT_OUTLINE = Color.GRAY;

  /**
   * One parameter at one scope, aggregated per step.
   *
   * @param color the line, bar or area colour; {@code null} for the next colour of the palette
   */
  public record Series(String parameter, ScopeRef scope, Aggregation aggregation, Color color) {

    /** Checks that the parameter exists and is collected at {@code scope}. */
    public Series {
      Parameter p = Parameter.byName(parameter).orElseThrow(() -> new IllegalArgumentException(
          "parameter '" + parameter + "' is unknown; 'mailops report params' lists them"));
      if (scope == null || aggregation == null) {
        throw new IllegalArgumentException("series " + parameter + ": scope and aggregation are required");
      }
      if (!p.scopes().contains(scope.kind())) {
        throw new IllegalArgumentException("parameter " + parameter + " is not collected at scope " + scope
            + "; it has " + p.scopes().stream().sorted().map(s -> s.name().toLowerCase(Locale.ROOT)).toList());
      }
    }

    /** A series with the parameter's usual aggregation: total for a counter, average for a gauge. */
    public static Series of(String parameter, ScopeRef scope) {
      return new Series(parameter, scope, defaultAggregation(parameter), null);
    }

    /** The legend text: {@code param (scope, agg)}. */
    public String label() {
      return parameter + " (" + scope + ", " + aggregation.name().toLowerCase(Locale.ROOT) + ")";
    }

    /** The unit of the parameter. */
    public String unit() {
      return Parameter.byName(parameter).orElseThrow().unit();
    }
  }

  /** Checks the name, the series, the units, the timeframe and the step; fills defaults. */
  public ChartSpec {
    if (name == null || !NAME.matcher(name).matches()) {
      throw new IllegalArgumentException("chart name '" + name + "': use letters, digits, '.', '_' and '-'"
          + " (it is also the file name)");
    }
    group = group == null || group.isBlank() ? "default" : group.strip();
    title = title == null || title.isBlank() ? name : title.strip();
    if (series == null || series.isEmpty()) {
      throw new IllegalArgumentException("chart " + name + ": give at least one parameter");
    }
    series = List.copyOf(series);
    Set<String> labels = new LinkedHashSet<>();
    for (Series s : series) {
      if (!labels.add(s.label())) {
        throw new IllegalArgumentException("chart " + name + ": series " + s.label() + " is given twice");
      }
    }
    type = type == null ? ChartType.LINE : type;
    fill = fill == null ? DEFAULT_FILL : fill;
    outline = outline == null ? DEFAULT_OUTLINE : outline;
    if (from == null || to == null || !from.isBefore(to)) {
      throw new IllegalArgumentException("chart " + name + ": the timeframe needs from before to, got " + from
          + " to " + to);
    }
    if (step != null && (step.toSeconds() < 60 || step.toSeconds() % 60 != 0 || step.toNanosPart() != 0)) {
      throw new IllegalArgumentException("chart " + name + ": step " + step + " must be whole minutes, at least 1m");
    }
    Set<String> units = new LinkedHashSet<>();
    series.forEach(s -> units.add(s.unit()));
    if (units.size() > 2) {
      throw new IllegalArgumentException("chart " + name + ": its parameters have " + units.size() + " units " + units
          + "; a chart has two Y axes at most, split it into charts of one or two units");
    }
  }

  /** The units of the series in order of first use: one per Y axis. */
  public List<String> units() {
    return series.stream().map(Series::unit).distinct().toList();
  }

  /** Total for a counter, average for a gauge (and for unknown names, which the series rejects). */
  public static Aggregation defaultAggregation(String parameter) {
    return Parameter.byName(parameter).map(p -> p.type() == Parameter.Type.COUNTER ? Aggregation.TOTAL
        : Aggregation.AVG).orElse(Aggregation.AVG);
  }

  /** Parses {@code #rrggbb}. */
  public static Color color(String hex) {
    if (hex == null || !HEX.matcher(hex.strip()).matches()) {
      throw new IllegalArgumentException("colour '" + hex + "': use #rrggbb (quote it in YAML: '#' starts a"
          + " comment)");
    }
    return new Color(Integer.parseInt(hex.strip().substring(1), 16));
  }

  /** {@code #rrggbb} of {@code c}. */
  public static String hex(Color c) {
    return String.format(Locale.ROOT, "#%06x", c.getRGB() & 0xffffff);
  }

  /** Parses a duration such as {@code 5m}, {@code 2h}, {@code 1d}, {@code 1w} (s, m, h, d, w). */
  public static Duration duration(String text) {
    String t = text == null ? "" : text.strip().toLowerCase(Locale.ROOT);
    if (!t.matches("[0-9]{1,6}[smhdw]")) {
      throw new IllegalArgumentException("duration '" + text + "': use a number and s, m, h, d or w, as 5m or 24h");
    }
    long n = Long.parseLong(t.substring(0, t.length() - 1));
    return switch (t.charAt(t.length() - 1)) {
      case 's' -> Duration.ofSeconds(n);
      case 'm' -> Duration.ofMinutes(n);
      case 'h' -> Duration.ofHours(n);
      case 'd' -> Duration.ofDays(n);
      default -> Duration.ofDays(7 * n);
    };
  }
}
