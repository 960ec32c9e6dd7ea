package io.mailops.jobs.cli;

import io.mailops.reporting.Parameter;
import io.mailops.reporting.series.ScopeRef;
import io.mailops.snmp.ScopeCatalog;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.sql.DataSource;

/**
 * The domains and accounts in the report database that {@code mailops report collect} fills
 * ({@code report_total} and {@code report_sample}, scope column {@code domain:NAME} or
 * {@code account:NAME}). Reporting's {@code MetricsView} has no way to list scopes yet; when it has,
 * this class goes. Thread-safe.
 */
final class SnmpScopeCatalog implements ScopeCatalog {

  private static final String SQL = "SELECT scope FROM report_total WHERE scope LIKE ?"
      + " UNION SELECT DISTINCT scope FROM report_sample WHERE scope LIKE ?";

  private final DataSource dataSource;

  SnmpScopeCatalog(DataSource dataSource) {
    this.dataSource = dataSource;
  }

  @Override
  public List<ScopeRef> scopes(Parameter.Scope kind) throws IOException {
    if (kind == Parameter.Scope.SERVER) {
      return List.of(ScopeRef.SERVER);
    }
    String prefix = kind.name().toLowerCase(Locale.ROOT) + ":%";
    try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(SQL)) {
      ps.setString(1, prefix);
      ps.setString(2, prefix);
      List<ScopeRef> out = new ArrayList<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(ScopeRef.parse(rs.getString(1)));
        }
      }
      return out;
    } catch (SQLException | IllegalArgumentException e) {
      throw new IOException("cannot list the " + kind.name().toLowerCase(Locale.ROOT) + "s in the report database: "
          + e.getMessage(), e);
    }
  }
}
