package io.mailops.reporting.chart;

import java.util.Locale;

/** How a chart draws its series. */
public enum ChartType {
  /** One line per series. */
  LINE,
  /** Bars side by side, one per series and time step. */
  BAR,
  /** One filled area per series, drawn over each other (translucent). */
  AREA,
  /** Filled areas stacked on each other per axis; a missing step counts as zero. */
  STACKED;

  /** Parses {@code line}, {@code bar}, {@code area} or {@code stacked}. */
  public static ChartType parse(String s) {
    try {
      return valueOf(s.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("chart type '" + s + "': use line, bar, area or stacked");
    }
  }
}
