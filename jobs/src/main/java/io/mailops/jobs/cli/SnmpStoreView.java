package io.mailops.jobs.cli;

import io.mailops.reporting.Parameter;
import io.mailops.reporting.series.MetricsView;
import io.mailops.reporting.series.ScopeRef;
import io.mailops.reporting.store.JdbcSampleStore;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.sql.DataSource;

/**
 * The report database as the SNMP agent reads it: totals from {@link JdbcSampleStore}; the latest
 * samples with one primary-key lookup per parameter ({@code ORDER BY minute_start DESC LIMIT 1})
 * instead of {@link JdbcSampleStore#latest}'s group-by join, which H2 2.x plans as a nested loop
 * over the whole sample table (over 30 s on 27,000 samples, beyond any manager's timeout). When
 * reporting's query is fast, this class goes. Thread-safe.
 */
final class SnmpStoreView implements MetricsView {

  private static final String LATEST = "SELECT sample_value FROM report_sample WHERE param = ? AND scope = ?"
      + " ORDER BY minute_start DESC LIMIT 1";

  private final DataSource dataSource;
  private final JdbcSampleStore store;

  SnmpStoreView(DataSource dataSource, JdbcSampleStore store) {
    this.dataSource = dataSource;
    this.store = store;
  }

  @Override
  public Map<String, Double> latest(ScopeRef scope) throws IOException {
    Map<String, Double> out = new LinkedHashMap<>();
    try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(LATEST)) {
      for (Parameter p : Parameter.ALL) {
        if (!p.scopes().contains(scope.kind())) {
          continue;
        }
        ps.setString(1, p.name());
        ps.setString(2, scope.toString());
        try (ResultSet rs = ps.executeQuery()) {
          if (rs.next()) {
            out.put(p.name(), rs.getDouble(1));
          }
        }
      }
      return out;
    } catch (SQLException e) {
      throw new IOException("cannot read the latest samples at " + scope + " from the report database: "
          + e.getMessage() + "; check spring.datasource.url and that the database is reachable", e);
    }
  }

  @Override
  public double total(String parameter, ScopeRef scope) throws IOException {
    return store.total(parameter, scope);
  }
}
