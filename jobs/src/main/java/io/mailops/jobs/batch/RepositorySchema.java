package io.mailops.jobs.batch;

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
      BatchJdbcProperties properties) {
    return new BatchDataSourceScriptDatabaseInitializer(dataSource, properties) {
      @Override
      protected void runScripts(Scripts scripts) {
        String prefix = properties.getTablePrefix() == null ? "BATCH_" : properties.getTablePrefix();
        if (!exists(dataSource, prefix + "JOB_INSTANCE")) {
          super.runScripts(scripts);
        }
      }
    };
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
