package io.mailops.jobs.batch;

import io.mailops.jobs.batch.migrate.NoopJournal;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Locale;
import javax.sql.DataSource;
import org.springframework.boot.batch.jdbc.autoconfigure.BatchDataSourceScriptDatabaseInitializer;
import org.springframework.boot.batch.jdbc.autoconfigure.BatchJdbcProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * Creates the job repository's tables on first use only. Spring Boot's initializer with
 * {@code spring.batch.jdbc.initialize-schema: always} runs Spring Batch's schema script on every
 * start and ignores the failures, so every command that started the batch application left a
 * dozen "table already exists" errors behind: in H2's {@code repository.trace.db} by default, in
 * the server log of a production PostgreSQL. This one runs the same script, with the same
 * settings, only when the repository's first table is missing from the connection's schema.
 */
@Configuration(proxyBeanMethods = false)
class RepositorySchema {

  /** Replaces Spring Boot's initializer (it backs off when this bean exists). */
  @Bean
  BatchDataSourceScriptDatabaseInitializer batchDataSourceInitializer(DataSource dataSource,
      BatchJdbcProperties properties, Environment environment) {
    String prefix = properties.getTablePrefix() == null ? "BATCH_" : properties.getTablePrefix();
    return new BatchDataSourceScriptDatabaseInitializer(dataSource, properties) {
      @Override
      protected void runScripts(Scripts scripts) {
        if (!exists(dataSource, prefix + "JOB_INSTANCE")) {
          super.runScripts(scripts);
        }
      }

      /** The schema, then the runs with nothing new journaled since the last open (ADR 0054). */
      @Override
      public boolean initializeDatabase() {
        boolean ran = super.initializeDatabase();
        replayNoopRuns(dataSource, environment.getProperty("spring.datasource.url"),
            environment.getProperty("mailops.home"), prefix);
        return ran;
      }
    };
  }

  /**
   * Writes the runs with nothing new that {@code migrate run} journaled for the embedded
   * repository {@code url} ({@link NoopJournal}) before any command reads it. A journal that
   * cannot be replayed is named on standard error and left as it is: the command goes on.
   */
  static void replayNoopRuns(DataSource dataSource, String url, String home, String prefix) {
    if (home == null || !NoopJournal.journals(url)) {
      return;
    }
    NoopJournal journal = new NoopJournal(Path.of(home));
    if (!journal.exists()) {
      return;
    }
    try (Connection c = dataSource.getConnection()) {
      journal.replay(c, url, prefix);
    } catch (IOException | SQLException | RuntimeException e) {
      System.err.println("warning: could not record the runs with nothing new of "
          + journal.file() + " in the job repository (" + e.getMessage() + "); they stay there"
          + " for the next command");
    }
  }

  /**
   * True if {@code table} is in the current schema of {@code dataSource}, as an unquoted name
   * (upper case in H2, lower case in PostgreSQL) or as written.
   */
  static boolean exists(DataSource dataSource, String table) {
    try (Connection c = dataSource.getConnection()) {
      DatabaseMetaData meta = c.getMetaData();
      String schema = c.getSchema();
      for (String name : new String[] {table.toUpperCase(Locale.ROOT), table.toLowerCase(Locale.ROOT), table}) {
        try (ResultSet r = meta.getTables(c.getCatalog(), schema, name, new String[] {"TABLE"})) {
          if (r.next()) {
            return true;
          }
        }
      }
      return false;
    } catch (SQLException e) {
      return false; // run the script, as before: it reports what is wrong with the database
    }
  }
}
