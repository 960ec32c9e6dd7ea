package io.mailops.reporting.chart;

import io.mailops.reporting.series.Aggregation;
import io.mailops.reporting.series.ScopeRef;
import java.awt.Color;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Chart definitions from the configuration ({@code mailops.report.charts}), as a YAML parser
 * gives them: a list of maps with the keys {@code name} (required), {@code group}, {@code title},
 * {@code params} (required: a list of maps with {@code param} (required), {@code scope},
 * {@code agg}, {@code color}, or of plain parameter names), {@code type}, {@code fill},
 * {@code outline}, {@code timeframe} (default {@code 24h}, ending at the current minute) and
 * {@code step}. Values may be strings or numbers. Every error is one line naming the chart and
 * the bad key.
 */
public final class ChartSettings {

  /** The configuration key of the chart list. */
  public static final String KEY = "mailops.report.charts";
  /** The timeframe of a chart that gives none. */
  public static final Duration DEFAULT_TIMEFRAME = Duration.ofHours(24);

  private static final Set<String> CHART_KEYS = Set.of("name", "group", "title", "params", "type", "fill", "outline",
      "timeframe", "step");
  private static final Set<String> PARAM_KEYS = Set.of("param", "scope", "agg", "color");
  private static final Pattern INDEX = Pattern.compile("([^.\\[]+)((?:\\[\\d+])*)");

  private ChartSettings() {}

  /**
   * The charts of {@code charts} (a list, or {@code null} for none), their timeframes ending at
   * {@code now} (cut to the minute).
   */
  public static List<ChartSpec> parse(Object charts, Instant now) {
    if (charts == null) {
      return List.of();
    }
    if (!(charts instanceof List<?> list)) {
      throw new IllegalArgumentException(KEY + ": expected a list of charts, got " + describe(charts));
    }
    Instant to = now.truncatedTo(ChronoUnit.MINUTES);
    List<ChartSpec> out = new ArrayList<>();
    Set<String> names = new HashSet<>();
    for (int i = 0; i < list.size(); i++) {
      ChartSpec spec = chart(KEY + "[" + i + "]", list.get(i), to);
      if (!names.add(spec.name())) {
        throw new IllegalArgumentException(KEY + "[" + i + "] (" + spec.name() + "): name: another chart has this"
            + " name; names are file names and must differ");
      }
      out.add(spec);
    }
    return List.copyOf(out);
  }

  /**
   * The nested lists and maps under {@code prefix} in flat properties such as
   * {@code mailops.report.charts[0].params[1].param=queue.total} (how the layered configuration
   * keeps them); {@code null} when there is no such key.
   */
  public static Object tree(Map<String, ?> flat, String prefix) {
    Map<String, Object> root = new LinkedHashMap<>();
    for (Map.Entry<String, ?> e : flat.entrySet()) {
      String k = e.getKey();
      if (k.equals(prefix) || k.startsWith(prefix + "[") || k.startsWith(prefix + ".")) {
        put(root, "v" + k.substring(prefix.length()), e.getValue());
      }
    }
    return lists(root.get("v"));
  }

  @SuppressWarnings("unchecked")
  private static void put(Map<String, Object> root, String path, Object value) {
    Map<String, Object> node = root;
    String[] parts = path.split("\\.");
    List<String> keys = new ArrayList<>();
    for (String part : parts) {
      Matcher m = INDEX.matcher(part);
      if (!m.matches()) {
        return;
      }
      keys.add(m.group(1));
      for (String idx : m.group(2).split("]")) {
        if (!idx.isEmpty()) {
          keys.add(idx);
        }
      }
    }
    for (int i = 0; i < keys.size() - 1; i++) {
      Object child = node.computeIfAbsent(keys.get(i), k -> new TreeMap<String, Object>());
      if (!(child instanceof Map<?, ?>)) {
        return;
      }
      node = (Map<String, Object>) child;
    }
    node.put(keys.get(keys.size() - 1), value);
  }

  /** Maps whose keys are all "[n]" become lists (in index order). */
  private static Object lists(Object node) {
    if (!(node instanceof Map<?, ?> m)) {
      return node;
    }
    boolean indexed = !m.isEmpty() && m.keySet().stream().allMatch(k -> k.toString().startsWith("["));
    if (indexed) {
      TreeMap<Integer, Object> byIndex = new TreeMap<>();
      m.forEach((k, v) -> byIndex.put(Integer.parseInt(k.toString().substring(1)), lists(v)));
      return new ArrayList<>(byIndex.values());
    }
    Map<String, Object> out = new LinkedHashMap<>();
    m.forEach((k, v) -> out.put(k.toString(), lists(v)));
    return out;
  }

  private static ChartSpec chart(String where, Object node, Instant to) {
    if (!(node instanceof Map<?, ?> map)) {
      throw new IllegalArgumentException(where + ": expected a chart (name, params, ...), got " + describe(node));
    }
    Object nameValue = map.get("name");
    String name = nameValue == null ? null : nameValue.toString().strip();
    String at = where + " (" + (name == null ? "no name" : name) + ")";
    for (Object k : map.keySet()) {
      if (!CHART_KEYS.contains(String.valueOf(k))) {
        throw new IllegalArgumentException(at + ": unknown key '" + k + "'; use " + String.join(", ", sorted(CHART_KEYS)));
      }
    }
    if (name == null || name.isEmpty()) {
      throw new IllegalArgumentException(at + ": name is missing; every chart needs one (it is the file name)");
    }
    Duration timeframe = value(at, "timeframe", map, DEFAULT_TIMEFRAME, ChartSpec::duration);
    if (timeframe.toMinutes() < 1) {
      throw new IllegalArgumentException(at + ": timeframe: " + timeframe + " is shorter than a minute");
    }
    List<ChartSpec.Series> series = series(at, map.get("params"));
    ChartType type = value(at, "type", map, ChartType.LINE, ChartType::parse);
    Color fill = value(at, "fill", map, null, ChartSpec::color);
    Color outline = value(at, "outline", map, null, ChartSpec::color);
    Duration step = value(at, "step", map, null, ChartSpec::duration);
    try {
      return new ChartSpec(name, string(map.get("group")), string(map.get("title")), series, type, fill, outline,
          to.minus(timeframe), to, step);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(at + ": " + e.getMessage(), e);
    }
  }

  private static List<ChartSpec.Series> series(String at, Object params) {
    if (!(params instanceof List<?> list) || list.isEmpty()) {
      throw new IllegalArgumentException(at + ": params: give a list of one or more parameters, got "
          + describe(params));
    }
    List<ChartSpec.Series> out = new ArrayList<>();
    for (int i = 0; i < list.size(); i++) {
      String where = at + ": params[" + i + "]";
      Object p = list.get(i);
      Map<?, ?> m = p instanceof Map<?, ?> map ? map : p == null ? Map.of() : Map.of("param", p);
      for (Object k : m.keySet()) {
        if (!PARAM_KEYS.contains(String.valueOf(k))) {
          throw new IllegalArgumentException(where + ": unknown key '" + k + "'; use "
              + String.join(", ", sorted(PARAM_KEYS)));
        }
      }
      String param = string(m.get("param"));
      if (param == null) {
        throw new IllegalArgumentException(where + ": param is missing; name a parameter ('mailops report params')");
      }
      ScopeRef scope = value(where, "scope", m, ScopeRef.SERVER, ScopeRef::parse);
      Aggregation agg = value(where, "agg", m, ChartSpec.defaultAggregation(param), Aggregation::parse);
      Color color = value(where, "color", m, null, ChartSpec::color);
      try {
        out.add(new ChartSpec.Series(param, scope, agg, color));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(where + ": param: " + e.getMessage(), e);
      }
    }
    return out;
  }

  private static <T> T value(String where, String key, Map<?, ?> map, T fallback, Function<String, T> parser) {
    String s = string(map.get(key));
    if (s == null) {
      return fallback;
    }
    try {
      return parser.apply(s);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(where + ": " + key + ": " + e.getMessage(), e);
    }
  }

  private static String string(Object o) {
    if (o == null || o instanceof Map<?, ?> || o instanceof List<?>) {
      return o == null ? null : o.toString();
    }
    String s = o.toString().strip();
    return s.isEmpty() ? null : s;
  }

  private static List<String> sorted(Set<String> keys) {
    return keys.stream().sorted().toList();
  }

  private static String describe(Object o) {
    return o == null ? "nothing" : o instanceof Map<?, ?> ? "a map" : o instanceof List<?> ? "a list" : "'" + o + "'";
  }
}
