package io.mailops.reporting.chart;

import io.mailops.reporting.series.Sample;
import io.mailops.reporting.series.ScopeRef;
import io.mailops.reporting.series.SeriesSource;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** An in-memory source of synthetic minute samples: daily waves with some noise, per parameter. */
final class MemorySeriesSource implements SeriesSource {

  private final Map<String, List<Sample>> byKey = new HashMap<>();

  /** {@code minutes} samples from {@code start} for each of {@code parameters} at the server scope. */
  static MemorySeriesSource waves(Instant start, int minutes, String... parameters) {
    MemorySeriesSource s = new MemorySeriesSource();
    java.util.Random rnd = new java.util.Random(7);
    for (int p = 0; p < parameters.length; p++) {
      List<Sample> list = new ArrayList<>(minutes);
      for (int m = 0; m < minutes; m++) {
        double wave = 50 + 40 * Math.sin(2 * Math.PI * m / 1440.0 + p);
        list.add(new Sample(start.plus(Duration.ofMinutes(m)), Math.max(0, wave + rnd.nextGaussian() * 5) * (p + 1)));
      }
      s.byKey.put(parameters[p] + "|" + ScopeRef.SERVER, list);
    }
    return s;
  }

  @Override
  public List<Sample> read(String parameter, ScopeRef scope, Instant from, Instant to) {
    return byKey.getOrDefault(parameter + "|" + scope, List.of()).stream()
        .filter(s -> !s.minute().isBefore(from) && s.minute().isBefore(to)).toList();
  }
}
