package io.mailops.reporting.series;

import java.io.IOException;
import java.time.Instant;
import java.util.List;

/** Where charts, exports and the SNMP agent read the collected minute samples from. */
public interface SeriesSource {

  /**
   * The raw minute samples of {@code parameter} at {@code scope} with {@code from <= minute <
   * to}, oldest first; minutes without a sample are absent (not zero).
   */
  List<Sample> read(String parameter, ScopeRef scope, Instant from, Instant to) throws IOException;
}
