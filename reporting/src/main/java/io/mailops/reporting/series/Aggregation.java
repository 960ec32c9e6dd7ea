package io.mailops.reporting.series;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** How minute samples are combined into one value: average, minimum, maximum or total. */
public enum Aggregation {
  AVG, MIN, MAX, TOTAL;

  /** Parses {@code avg}, {@code min}, {@code max} or {@code total}. */
  public static Aggregation parse(String s) {
    try {
      return valueOf(s.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("aggregation '" + s + "': use avg, min, max or total");
    }
  }

  /** The aggregate of {@code samples}; NaN when there are none. */
  public double of(List<Sample> samples) {
    if (samples.isEmpty()) {
      return Double.NaN;
    }
    double acc = this == MIN ? Double.POSITIVE_INFINITY
        : this == MAX ? Double.NEGATIVE_INFINITY : 0;
    for (Sample s : samples) {
      double v = s.value();
      acc = switch (this) {
        case MIN -> Math.min(acc, v);
        case MAX -> Math.max(acc, v);
        case AVG, TOTAL -> acc + v;
      };
    }
    return this == AVG ? acc / samples.size() : acc;
  }

  /**
   * {@code samples} (oldest first) combined per {@code step}-long bucket aligned to the epoch;
   * each result is stamped with its bucket's start. Buckets without samples are left out.
   */
  public List<Sample> downsample(List<Sample> samples, Duration step) {
    long stepSeconds = step.toSeconds();
    if (stepSeconds < 60 || stepSeconds % 60 != 0) {
      throw new IllegalArgumentException("step " + step + ": give whole minutes, at least 1m");
    }
    List<Sample> out = new ArrayList<>();
    List<Sample> bucket = new ArrayList<>();
    long current = Long.MIN_VALUE;
    for (Sample s : samples) {
      long start = Math.floorDiv(s.minute().getEpochSecond(), stepSeconds) * stepSeconds;
      if (start != current && !bucket.isEmpty()) {
        out.add(new Sample(Instant.ofEpochSecond(current), of(bucket)));
        bucket.clear();
      }
      current = start;
      bucket.add(s);
    }
    if (!bucket.isEmpty()) {
      out.add(new Sample(Instant.ofEpochSecond(current), of(bucket)));
    }
    return out;
  }
}
