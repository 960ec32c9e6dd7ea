package io.mailops.reporting.store;

import java.io.IOException;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcDataSource;

/** A fresh in-memory H2 database per call, kept open until the JVM ends. */
public final class TestDatabase {

  private static final AtomicInteger NEXT = new AtomicInteger();

  private TestDatabase() {}

  /** A new empty database. */
  public static DataSource dataSource() {
    JdbcDataSource ds = new JdbcDataSource();
    ds.setURL("jdbc:h2:mem:report" + NEXT.incrementAndGet() + ";DB_CLOSE_DELAY=-1");
    ds.setUser("sa");
    return ds;
  }

  /** A store with its schema over a new empty database. */
  public static JdbcSampleStore store() throws IOException {
    JdbcSampleStore s = new JdbcSampleStore(dataSource());
    s.createSchema();
    return s;
  }
}
