package io.mailops.jobs.cli;

import io.mailops.reporting.Parameter;
import io.mailops.reporting.series.MetricsView;
import io.mailops.reporting.series.ScopeRef;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.sql.DataSource;

/**
 * The report database ({@code mailops report collect}'s tables) as the SNMP agent reads it: the
 * latest samples with one primary-key lookup per parameter ({@code ORDER BY minute_start DESC
 * LIMIT 1}) instead of {@code JdbcSampleStore.latest}'s group-by join, which H2 2.x plans as a nested loop
 * over the whole sample table (over 30 s on 27,000 samples, beyond any manager's timeout); the
 * totals of a scope with one query, kept for half a second, since the agent asks for every counter
 * of a scope in a row. When reporting's queries are fast, this class goes. Thread-safe.
 */
final class SnmpStoreView implements MetricsView {

  private static final String LATEST = "SELECT sample_value FROM report_sample WHERE param = ? AND scope = ?"
      + " ORDER BY minute_start DESC LIMIT 1";

  private static final String TOTALS = "SELECT param, total FROM report_total WHERE scope = ?";
  private static final long TOTALS_TTL_NANOS = 500_000_000L;

  /** The totals of one scope and when they were read. */
  private record Totals(long readAt, Map<String, Double> values) {}

  private final DataSource dataSource;
  private final Map<ScopeRef, Totals> totals = new ConcurrentHashMap<>();

  SnmpStoreView(DataSource dataSource) {
    this.dataSource = dataSource;
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
    Totals t = totals.get(scope);
    long now = System.nanoTime();
    if (t == null || now - t.readAt() > TOTALS_TTL_NANOS) {
      Map<String, Double> values = new HashMap<>();
      try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(TOTALS)) {
        ps.setString(1, scope.toString());
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            values.put(rs.getString(1), rs.getDouble(2));
          }
        }
      } catch (SQLException e) {
        throw new IOException("cannot read the totals at " + scope + " from the report database: " + e.getMessage()
            + "; check spring.datasource.url and that the database is reachable", e);
      }
      if (totals.size() > 10_000) {
        totals.clear();
      }
      t = new Totals(now, values);
      totals.put(scope, t);
    }
    return t.values().getOrDefault(parameter, 0.0);
  }
}
