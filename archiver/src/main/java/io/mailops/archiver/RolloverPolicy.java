package io.mailops.archiver;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.TemporalAdjusters;
import java.util.Locale;

/**
 * When the current database is sealed into volumes automatically ({@link Archive#rollover}): at
 * the end of each {@link Period} (UTC; each finished period becomes one volume), and/or when the
 * current database holds more than {@code maxBytes} of stored blobs ({@code 0}: no size limit).
 * Immutable.
 */
public record RolloverPolicy(Period period, long maxBytes) {

  /** Never seal automatically. */
  public static final RolloverPolicy NONE = new RolloverPolicy(Period.NONE, 0);

  /** A sealing period. */
  public enum Period {
    NONE, WEEKLY, MONTHLY;

    /** Parses {@code none}, {@code weekly} or {@code monthly}, in any case. */
    public static Period parse(String s) {
      return valueOf(s.trim().toUpperCase(Locale.ROOT));
    }

    /** The start of the period holding {@code t} (Monday 00:00 or the 1st 00:00, UTC). */
    public Instant start(Instant t) {
      LocalDate d = t.atZone(ZoneOffset.UTC).toLocalDate();
      return switch (this) {
        case NONE -> Instant.MIN;
        case WEEKLY -> d.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY))
            .atStartOfDay(ZoneOffset.UTC).toInstant();
        case MONTHLY -> d.withDayOfMonth(1).atStartOfDay(ZoneOffset.UTC).toInstant();
      };
    }

    /** The start of the period after the one holding {@code t}. */
    public Instant next(Instant t) {
      LocalDate d = start(t).atZone(ZoneOffset.UTC).toLocalDate();
      return (this == WEEKLY ? d.plusWeeks(1) : d.plusMonths(1)).atStartOfDay(ZoneOffset.UTC)
          .toInstant();
    }
  }

  public RolloverPolicy {
    if (period == null || maxBytes < 0) {
      throw new IllegalArgumentException("invalid rollover policy: period " + period
          + ", max bytes " + maxBytes + "; give a period and a size >= 0");
    }
  }
}
