package io.mailops.reporting.store;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mailops.reporting.ReportingException;
import io.mailops.reporting.series.ScopeRef;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/** The store contract on in-memory H2 (the embedded job repository's database). */
class JdbcSampleStoreTest implements SampleStoreContract {

  @Override
  public JdbcSampleStore store() throws Exception {
    return TestDatabase.store();
  }

  @Override
  public DataSource emptyDatabase() {
    return TestDatabase.dataSource();
  }

  @Test
  void aMissingSchemaShouldBeAnErrorNamingTheDatabase() {
    JdbcSampleStore store = new JdbcSampleStore(TestDatabase.dataSource());
    assertThatThrownBy(() -> store.total("smtp.out.delivered", ScopeRef.SERVER))
        .isInstanceOf(ReportingException.class)
        .hasMessageContaining("jdbc:h2:mem:report")
        .hasMessageContaining("check spring.datasource.url");
  }
}
