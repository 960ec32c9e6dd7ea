package io.mailops.snmp;

import io.mailops.reporting.Parameter;
import io.mailops.reporting.series.ScopeRef;
import java.io.IOException;
import java.util.List;

/**
 * The domains and accounts the reporting store holds samples or totals for: the rows of the
 * agent's per-domain and per-account tables. Implementations are thread-safe.
 */
@FunctionalInterface
public interface ScopeCatalog {

  /** A catalog without domains or accounts: the tables stay empty. */
  ScopeCatalog NONE = kind -> List.of();

  /**
   * The scopes of {@code kind} ({@link Parameter.Scope#DOMAIN} or {@link Parameter.Scope#ACCOUNT})
   * with data in the store, in any order; empty when there are none.
   */
  List<ScopeRef> scopes(Parameter.Scope kind) throws IOException;
}
