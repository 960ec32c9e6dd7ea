package io.mailops.reporting.collect;

import io.mailops.reporting.Parameter;
import io.mailops.reporting.series.ScopeRef;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Minute samples gathered before they are written: counter deltas are added up per parameter,
 * scope and minute, gauge levels replace the previous level of the same minute. Not thread-safe.
 */
public final class MinuteBatch {

  /**
   * One value to write.
   *
   * @param minute the start of the minute (UTC)
   * @param value for a counter the delta of that minute, for a gauge the level
   */
  public record Entry(Parameter parameter, ScopeRef scope, Instant minute, double value) {}

  private record Key(Parameter parameter, ScopeRef scope, Instant minute) {}

  private final Map<Key, double[]> values = new LinkedHashMap<>();

  /** Adds {@code delta} to counter {@code parameter} at {@code scope} in the minute of {@code time}. */
  public void add(Parameter parameter, ScopeRef scope, Instant time, double delta) {
    check(parameter, Parameter.Type.COUNTER);
    values.computeIfAbsent(new Key(parameter, scope, minuteOf(time)), k -> new double[1])[0] += delta;
  }

  /** Sets gauge {@code parameter} at {@code scope} in the minute of {@code time} to {@code level}. */
  public void set(Parameter parameter, ScopeRef scope, Instant time, double level) {
    check(parameter, Parameter.Type.GAUGE);
    values.computeIfAbsent(new Key(parameter, scope, minuteOf(time)), k -> new double[1])[0] = level;
  }

  /** The entries in the order they were first touched. */
  public List<Entry> entries() {
    List<Entry> out = new ArrayList<>(values.size());
    values.forEach((k, v) -> out.add(new Entry(k.parameter, k.scope, k.minute, v[0])));
    return out;
  }

  /** The number of distinct (parameter, scope, minute) entries. */
  public int size() {
    return values.size();
  }

  /** Forgets every entry (after they were written). */
  public void clear() {
    values.clear();
  }

  /** The start of the minute of {@code time}. */
  public static Instant minuteOf(Instant time) {
    return time.truncatedTo(ChronoUnit.MINUTES);
  }

  private static void check(Parameter p, Parameter.Type type) {
    if (p.type() != type) {
      throw new IllegalArgumentException("parameter " + p.name() + " is a " + p.type() + ", not a " + type);
    }
  }
}
