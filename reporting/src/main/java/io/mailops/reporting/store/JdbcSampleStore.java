package io.mailops.reporting.store;

import io.mailops.reporting.Parameter;
import io.mailops.reporting.ReportingException;
import io.mailops.reporting.collect.CollectorStore;
import io.mailops.reporting.collect.FilePosition;
import io.mailops.reporting.collect.MinuteBatch;
import io.mailops.reporting.series.MetricsView;
import io.mailops.reporting.series.Sample;
import io.mailops.reporting.series.ScopeRef;
import io.mailops.reporting.series.SeriesSource;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Consumer;
import javax.sql.DataSource;

/**
 * The minute samples, counter totals and log positions in a SQL database (the job repository: H2
 * or PostgreSQL), with plain portable JDBC. Tables (created by {@link #createSchema()} when missing):
 * <ul>
 *   <li>{@code report_sample(param, scope, minute_start, sample_value)}, primary key (param, scope,
 *       minute_start); {@code minute_start} in epoch seconds (UTC), {@code scope} as
 *       {@link ScopeRef#toString()} writes it. A counter's value is what it counted in that minute
 *       (writes add up), a gauge's the level (writes replace).</li>
 *   <li>{@code report_total(param, scope, total)}: every counter's sum since collection started,
 *       kept apart so retention never makes it decrease (SNMP Counter64).</li>
 *   <li>{@code report_offset(source, file_key, first_line_hash, byte_offset, updated_at)}: log
 *       positions, written in the same transaction as the counts they cover.</li>
 * </ul>
 * Writes use update-then-insert, so one collector may write at a time. Thread-safe for reading.
 */
public final class JdbcSampleStore implements SeriesSource, MetricsView, CollectorStore {

  private static final String[] SCHEMA = {
      "CREATE TABLE IF NOT EXISTS report_sample (param VARCHAR(64) NOT NULL, scope VARCHAR(330) NOT NULL,"
          + " minute_start BIGINT NOT NULL, sample_value DOUBLE PRECISION NOT NULL,"
          + " PRIMARY KEY (param, scope, minute_start))",
      "CREATE INDEX IF NOT EXISTS report_sample_minute ON report_sample (minute_start)",
      "CREATE TABLE IF NOT EXISTS report_total (param VARCHAR(64) NOT NULL, scope VARCHAR(330) NOT NULL,"
          + " total DOUBLE PRECISION NOT NULL, PRIMARY KEY (param, scope))",
      "CREATE TABLE IF NOT EXISTS report_offset (source VARCHAR(1100) NOT NULL PRIMARY KEY,"
          + " file_key VARCHAR(200) NOT NULL, first_line_hash VARCHAR(64) NOT NULL, byte_offset BIGINT NOT NULL,"
          + " updated_at BIGINT NOT NULL)"};

  private final DataSource dataSource;
  private final Clock clock;

  /** A store over {@code dataSource}; no I/O happens here (see {@link #createSchema()}). */
  public JdbcSampleStore(DataSource dataSource) {
    this(dataSource, Clock.systemUTC());
  }

  /** A store over {@code dataSource} that stamps saved log positions with {@code clock}. */
  public JdbcSampleStore(DataSource dataSource, Clock clock) {
    this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /** Creates the tables and the index that are missing; safe to run every time. */
  public void createSchema() throws IOException {
    try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
      for (String sql : SCHEMA) {
        s.execute(sql);
      }
    } catch (SQLException e) {
      throw failure("create the report tables in", e);
    }
  }

  @Override
  public List<Sample> read(String parameter, ScopeRef scope, Instant from, Instant to) throws IOException {
    String sql = "SELECT minute_start, sample_value FROM report_sample WHERE param = ? AND scope = ?"
        + " AND minute_start >= ? AND minute_start < ? ORDER BY minute_start";
    try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setString(1, parameter);
      ps.setString(2, scope.toString());
      ps.setLong(3, ceilMinute(from));
      ps.setLong(4, ceilMinute(to));
      List<Sample> out = new ArrayList<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(new Sample(Instant.ofEpochSecond(rs.getLong(1)), rs.getDouble(2)));
        }
      }
      return out;
    } catch (SQLException e) {
      throw failure("read the samples of " + parameter + " at " + scope + " from", e);
    }
  }

  /**
   * {@inheritDoc}
   *
   * <p>One primary-key lookup per parameter of {@link Parameter#ALL}, all through one prepared
   * statement, so the cost does not grow with the history kept. The ORDER BY names every key column,
   * newest first: H2 then walks the primary key backwards and stops at the first row ("index
   * sorted"); ordering by {@code minute_start} alone makes it read and sort every minute of the
   * parameter. PostgreSQL scans the key backwards for either form.
   */
  @Override
  public Map<String, Double> latest(ScopeRef scope) throws IOException {
    String sql = "SELECT sample_value FROM report_sample WHERE param = ? AND scope = ?"
        + " ORDER BY param DESC, scope DESC, minute_start DESC FETCH FIRST 1 ROW ONLY";
    try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
      Map<String, Double> out = new TreeMap<>();
      ps.setString(2, scope.toString());
      for (Parameter p : Parameter.ALL) {
        ps.setString(1, p.name());
        try (ResultSet rs = ps.executeQuery()) {
          if (rs.next()) {
            out.put(p.name(), rs.getDouble(1));
          }
        }
      }
      return out;
    } catch (SQLException e) {
      throw failure("read the latest samples at " + scope + " from", e);
    }
  }

  @Override
  public double total(String parameter, ScopeRef scope) throws IOException {
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps = c.prepareStatement("SELECT total FROM report_total WHERE param = ? AND scope = ?")) {
      ps.setString(1, parameter);
      ps.setString(2, scope.toString());
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? rs.getDouble(1) : 0;
      }
    } catch (SQLException e) {
      throw failure("read the total of " + parameter + " at " + scope + " from", e);
    }
  }

  @Override
  public Optional<FilePosition> position(String source) throws IOException {
    String sql = "SELECT file_key, first_line_hash, byte_offset FROM report_offset WHERE source = ?";
    try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setString(1, source);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Optional.of(new FilePosition(source, rs.getString(1), rs.getString(2), rs.getLong(3)))
            : Optional.empty();
      }
    } catch (SQLException e) {
      throw failure("read the log position of " + source + " from", e);
    }
  }

  @Override
  public void commit(MinuteBatch batch, List<FilePosition> positions) throws IOException {
    if (batch.size() == 0 && positions.isEmpty()) {
      return;
    }
    try (Connection c = dataSource.getConnection()) {
      boolean auto = c.getAutoCommit();
      c.setAutoCommit(false);
      try {
        writeSamples(c, batch.entries());
        writeTotals(c, batch.entries());
        writePositions(c, positions);
        c.commit();
      } catch (SQLException | RuntimeException e) {
        c.rollback();
        throw e;
      } finally {
        c.setAutoCommit(auto);
      }
    } catch (SQLException e) {
      throw failure("write report samples to", e);
    }
  }

  /**
   * Deletes the samples older than {@code weeks} weeks before {@code now}, after passing one line to
   * {@code warning} that says how many go (nothing is said when none do). Totals and positions stay.
   *
   * @return the number of samples deleted
   */
  public long applyRetention(int weeks, Instant now, Consumer<String> warning) throws IOException {
    if (weeks < 1) {
      throw new IllegalArgumentException("retention of " + weeks + " weeks: give 1 or more"
          + " (mailops.report.retention-weeks)");
    }
    Instant cutoff = now.minus(Duration.ofDays(7L * weeks));
    try (Connection c = dataSource.getConnection()) {
      long n;
      try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM report_sample WHERE minute_start < ?")) {
        ps.setLong(1, cutoff.getEpochSecond());
        try (ResultSet rs = ps.executeQuery()) {
          rs.next();
          n = rs.getLong(1);
        }
      }
      if (n == 0) {
        return 0;
      }
      warning.accept("warning: retention is " + weeks + (weeks == 1 ? " week" : " weeks") + ": deleting " + n
          + " minute samples older than " + cutoff);
      try (PreparedStatement ps = c.prepareStatement("DELETE FROM report_sample WHERE minute_start < ?")) {
        ps.setLong(1, cutoff.getEpochSecond());
        return ps.executeUpdate();
      }
    } catch (SQLException e) {
      throw failure("delete samples older than " + cutoff + " from", e);
    }
  }

  private static void writeSamples(Connection c, List<MinuteBatch.Entry> entries) throws SQLException {
    if (entries.isEmpty()) {
      return;
    }
    List<MinuteBatch.Entry> missing = new ArrayList<>();
    try (PreparedStatement add = c.prepareStatement("UPDATE report_sample SET sample_value = sample_value + ?"
            + " WHERE param = ? AND scope = ? AND minute_start = ?");
        PreparedStatement set = c.prepareStatement("UPDATE report_sample SET sample_value = ?"
            + " WHERE param = ? AND scope = ? AND minute_start = ?")) {
      List<MinuteBatch.Entry> adds = new ArrayList<>();
      List<MinuteBatch.Entry> sets = new ArrayList<>();
      for (MinuteBatch.Entry e : entries) {
        boolean counter = e.parameter().type() == Parameter.Type.COUNTER;
        PreparedStatement ps = counter ? add : set;
        ps.setDouble(1, e.value());
        ps.setString(2, e.parameter().name());
        ps.setString(3, e.scope().toString());
        ps.setLong(4, e.minute().getEpochSecond());
        ps.addBatch();
        (counter ? adds : sets).add(e);
      }
      collectMissing(add, adds, missing);
      collectMissing(set, sets, missing);
    }
    if (missing.isEmpty()) {
      return;
    }
    try (PreparedStatement ins = c.prepareStatement(
        "INSERT INTO report_sample (param, scope, minute_start, sample_value) VALUES (?, ?, ?, ?)")) {
      for (MinuteBatch.Entry e : missing) {
        ins.setString(1, e.parameter().name());
        ins.setString(2, e.scope().toString());
        ins.setLong(3, e.minute().getEpochSecond());
        ins.setDouble(4, e.value());
        ins.addBatch();
      }
      ins.executeBatch();
    }
  }

  private static void writeTotals(Connection c, List<MinuteBatch.Entry> entries) throws SQLException {
    Map<List<String>, Double> sums = new LinkedHashMap<>();
    for (MinuteBatch.Entry e : entries) {
      if (e.parameter().type() == Parameter.Type.COUNTER) {
        sums.merge(List.of(e.parameter().name(), e.scope().toString()), e.value(), Double::sum);
      }
    }
    if (sums.isEmpty()) {
      return;
    }
    List<Map.Entry<List<String>, Double>> rows = new ArrayList<>(sums.entrySet());
    List<Map.Entry<List<String>, Double>> missing = new ArrayList<>();
    try (PreparedStatement up = c.prepareStatement("UPDATE report_total SET total = total + ?"
        + " WHERE param = ? AND scope = ?")) {
      for (Map.Entry<List<String>, Double> r : rows) {
        up.setDouble(1, r.getValue());
        up.setString(2, r.getKey().get(0));
        up.setString(3, r.getKey().get(1));
        up.addBatch();
      }
      collectMissing(up, rows, missing);
    }
    if (missing.isEmpty()) {
      return;
    }
    try (PreparedStatement ins = c.prepareStatement("INSERT INTO report_total (param, scope, total) VALUES (?, ?, ?)")) {
      for (Map.Entry<List<String>, Double> r : missing) {
        ins.setString(1, r.getKey().get(0));
        ins.setString(2, r.getKey().get(1));
        ins.setDouble(3, r.getValue());
        ins.addBatch();
      }
      ins.executeBatch();
    }
  }

  private void writePositions(Connection c, List<FilePosition> positions) throws SQLException {
    long now = clock.instant().getEpochSecond();
    for (FilePosition p : positions) {
      try (PreparedStatement up = c.prepareStatement("UPDATE report_offset SET file_key = ?, first_line_hash = ?,"
          + " byte_offset = ?, updated_at = ? WHERE source = ?")) {
        up.setString(1, p.fileKey());
        up.setString(2, p.firstLineHash());
        up.setLong(3, p.offset());
        up.setLong(4, now);
        up.setString(5, p.source());
        if (up.executeUpdate() > 0) {
          continue;
        }
      }
      try (PreparedStatement ins = c.prepareStatement("INSERT INTO report_offset (source, file_key, first_line_hash,"
          + " byte_offset, updated_at) VALUES (?, ?, ?, ?, ?)")) {
        ins.setString(1, p.source());
        ins.setString(2, p.fileKey());
        ins.setString(3, p.firstLineHash());
        ins.setLong(4, p.offset());
        ins.setLong(5, now);
        ins.executeUpdate();
      }
    }
  }

  /** Runs the batch of {@code ps} and adds to {@code missing} the items whose update found no row. */
  private static <T> void collectMissing(PreparedStatement ps, List<T> items, List<T> missing) throws SQLException {
    if (items.isEmpty()) {
      return;
    }
    int[] counts = ps.executeBatch();
    for (int i = 0; i < counts.length; i++) {
      if (counts[i] == Statement.SUCCESS_NO_INFO) {
        throw new SQLException("the JDBC driver does not report update counts of batched updates");
      }
      if (counts[i] == 0) {
        missing.add(items.get(i));
      }
    }
  }

  private static long ceilMinute(Instant t) {
    long s = t.getEpochSecond();
    long m = Math.floorDiv(s, 60) * 60;
    return m == s && t.getNano() == 0 ? s : m + 60;
  }

  private ReportingException failure(String what, SQLException e) {
    String url = "the job repository database";
    try (Connection c = dataSource.getConnection()) {
      url = c.getMetaData().getURL();
    } catch (SQLException ignored) {
      // the URL only names the database in the message; the original failure is what is reported
    }
    return new ReportingException("cannot " + what + " " + url + ": " + e.getMessage().lines().findFirst().orElse("")
        + "; check spring.datasource.url and that the database is reachable", e);
  }
}
