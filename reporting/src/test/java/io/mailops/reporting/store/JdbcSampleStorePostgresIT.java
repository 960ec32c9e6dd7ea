package io.mailops.reporting.store;

import io.mailops.storage.interop.InteropEnv;
import java.sql.Connection;
import java.sql.Statement;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * The store contract on a real PostgreSQL (started by {@code scripts/interop/postgresql.sh}); each
 * test gets a schema of its own.
 */
class JdbcSampleStorePostgresIT implements SampleStoreContract {

  private static final AtomicInteger NEXT = new AtomicInteger();

  @Override
  public JdbcSampleStore store() throws Exception {
    JdbcSampleStore s = new JdbcSampleStore(emptyDatabase());
    s.createSchema();
    return s;
  }

  @Override
  public DataSource emptyDatabase() throws Exception {
    Map<String, String> pg = InteropEnv.read("postgresql", "PG_URL", "PG_USER", "PG_PASSWORD");
    PGSimpleDataSource admin = new PGSimpleDataSource();
    admin.setUrl(pg.get("PG_URL"));
    admin.setUser(pg.get("PG_USER"));
    admin.setPassword(pg.get("PG_PASSWORD"));
    String schema = "report_it_" + ProcessHandle.current().pid() + "_" + NEXT.incrementAndGet();
    try (Connection c = admin.getConnection(); Statement s = c.createStatement()) {
      s.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
      s.execute("CREATE SCHEMA " + schema);
    }
    PGSimpleDataSource ds = new PGSimpleDataSource();
    ds.setUrl(pg.get("PG_URL"));
    ds.setUser(pg.get("PG_USER"));
    ds.setPassword(pg.get("PG_PASSWORD"));
    ds.setCurrentSchema(schema);
    return ds;
  }
}
