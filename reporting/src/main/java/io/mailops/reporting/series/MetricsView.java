package io.mailops.reporting.series;

import java.io.IOException;
import java.util.Map;

/**
 * The current values of the collected parameters, as the SNMP agent reads them. Implementations
 * are thread-safe.
 */
public interface MetricsView {

  /**
   * The newest minute sample of every parameter that has one at {@code scope}, by parameter name: for
   * a gauge its last level, for a counter the delta of its last minute. Empty when nothing was
   * collected at that scope.
   */
  Map<String, Double> latest(ScopeRef scope) throws IOException;

  /**
   * Everything counter {@code parameter} counted at {@code scope} since collection started; never
   * decreases, not even when the retention deletes old minute samples. 0 when nothing was counted.
   */
  double total(String parameter, ScopeRef scope) throws IOException;
}
