package io.mailops.reporting.summary;

import java.time.LocalDate;
import java.time.LocalDateTime;

/**
 * The lines a summary counts, by the wall time written in them: {@code [from, to)}; either end
 * may be open (null).
 */
public record SummaryPeriod(LocalDateTime from, LocalDateTime to) {

  /** Checks that {@code from} is before {@code to} when both are set. */
  public SummaryPeriod {
    if (from != null && to != null && !from.isBefore(to)) {
      throw new IllegalArgumentException("the period must start before it ends, got from " + from + " to " + to);
    }
  }

  /** Every line. */
  public static SummaryPeriod all() {
    return new SummaryPeriod(null, null);
  }

  /** The lines of one calendar day, as {@code pflogsumm -d} selects them. */
  public static SummaryPeriod day(LocalDate day) {
    return new SummaryPeriod(day.atStartOfDay(), day.plusDays(1).atStartOfDay());
  }

  /** True if {@code time} is in the period. */
  public boolean contains(LocalDateTime time) {
    return (from == null || !time.isBefore(from)) && (to == null || time.isBefore(to));
  }

  /**
   * The date the year of a traditional (yearless) timestamp is inferred against: the last day of
   * the period when it ends, else {@code today}.
   */
  public LocalDate yearReference(LocalDate today) {
    return to == null ? today : to.minusNanos(1).toLocalDate();
  }
}
