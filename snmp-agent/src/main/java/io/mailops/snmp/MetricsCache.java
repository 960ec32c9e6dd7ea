package io.mailops.snmp;

import io.mailops.reporting.Parameter;
import io.mailops.reporting.series.MetricsView;
import io.mailops.reporting.series.ScopeRef;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.snmp4j.smi.Counter64;
import org.snmp4j.smi.Gauge32;
import org.snmp4j.smi.TimeTicks;
import org.snmp4j.smi.Variable;

/**
 * The SNMP values of the server-scope parameters, read from a {@link MetricsView} at most once per
 * time-to-live so that a walk costs one read. A request never waits for the store once there are
 * values: older than the time-to-live, they are still answered while {@code refresher} reads new
 * ones (one read at a time); only the first read, and the first after a failed one, is made by the
 * request itself. A counter is its total (Counter64) and exists once it has a sample or a non-zero
 * total; a gauge is its latest level clamped to Gauge32 and exists once it has a sample. Under
 * {@link #DISCONTINUITY} the values also hold the agent's uptime when a counter total last went
 * down (the store was reset), 0 while none has since the agent started. Thread-safe.
 */
final class MetricsCache {

  /** The key of moCountersDiscontinuityTime (TimeTicks) in {@link #values()}. */
  static final String DISCONTINUITY = "snmp.counters_discontinuity";

  private static final long GAUGE32_MAX = 0xFFFF_FFFFL;

  private final MetricsView view;
  private final List<Parameter> parameters;
  private final Clock clock;
  private final Duration ttl;
  private final Consumer<String> warnings;
  private final LongSupplier uptime;
  private final BackgroundRead background;
  private final Object reading = new Object();
  private final Map<String, Long> lastTotals = new HashMap<>();
  private long discontinuity;
  private volatile Map<String, Variable> values;
  private volatile Map<String, Variable> last = Map.of();
  private volatile Instant readAt;

  /**
   * {@code uptime} gives the agent's sysUpTime in hundredths of a second; {@code refresher} runs
   * the background reads.
   */
  MetricsCache(MetricsView view, List<Parameter> parameters, Clock clock, Duration ttl, Consumer<String> warnings,
      LongSupplier uptime, Executor refresher) {
    this.view = view;
    this.uptime = uptime;
    this.parameters = List.copyOf(parameters);
    this.clock = clock;
    this.ttl = ttl;
    this.warnings = warnings;
    this.background = new BackgroundRead(refresher, this::readNow);
  }

  /**
   * The values by parameter name (parameters without data are absent), or empty when the store
   * could not be read; that failure goes to the warnings once per time-to-live.
   */
  Optional<Map<String, Variable>> values() {
    Map<String, Variable> v = values;
    if (v == null) {
      return readNow();
    }
    if (stale()) {
      background.start();
    }
    return Optional.of(v);
  }

  /** Reads the store now (waiting for a read in progress) unless the values are fresh; for the alarm checks. */
  Optional<Map<String, Variable>> freshValues() {
    return readNow();
  }

  private boolean stale() {
    Instant at = readAt;
    return at == null || !clock.instant().isBefore(at.plus(ttl));
  }

  private Optional<Map<String, Variable>> readNow() {
    synchronized (reading) {
      if (!stale()) {
        return Optional.ofNullable(values);
      }
      readAt = clock.instant();
      try {
        Map<String, Variable> v = read();
        values = v;
        last = v;
      } catch (IOException | RuntimeException e) {
        values = null;
        warnings.accept("cannot read the reporting values for SNMP: " + e.getMessage());
      }
      return Optional.ofNullable(values);
    }
  }

  /**
   * The values of the last successful read, without touching the store or waiting for a read in
   * progress (for notifications sent while stopping); empty before the first read.
   */
  Map<String, Variable> lastValues() {
    return last;
  }

  private Map<String, Variable> read() throws IOException {
    Map<String, Double> latest = view.latest(ScopeRef.SERVER);
    Map<String, Variable> out = new HashMap<>();
    for (Parameter p : parameters) {
      if (p.type() == Parameter.Type.GAUGE) {
        Double v = latest.get(p.name());
        if (v != null && !v.isNaN()) {
          out.put(p.name(), new Gauge32(Math.max(0, Math.min(GAUGE32_MAX, Math.round(v)))));
        }
      } else {
        double total = view.total(p.name(), ScopeRef.SERVER);
        long rounded = Math.max(0, Math.round(total));
        Long before = lastTotals.put(p.name(), rounded);
        if (before != null && rounded < before) {
          discontinuity = uptime.getAsLong();
        }
        if (latest.containsKey(p.name()) || total > 0) {
          out.put(p.name(), new Counter64(rounded));
        }
      }
    }
    out.put(DISCONTINUITY, new TimeTicks(discontinuity));
    return out;
  }
}
