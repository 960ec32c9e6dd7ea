package io.mailops.jobs.batch.migrate;

import static org.assertj.core.api.Assertions.assertThat;

import io.mailops.jobs.config.MailOpsSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code migrate run}'s settings and job repository opened beside the parsing (ADR 0028). */
class RepositoryWarmupTest {

  @TempDir
  Path home;

  private Map<String, String> env() {
    return Map.of("MAILOPS_HOME", home.toString());
  }

  /** Makes the job repository the settings name, with one table and row. */
  private MailOpsSettings repository() throws Exception {
    MailOpsSettings s = MailOpsSettings.load(env(), null);
    try (Connection c = DriverManager.getConnection(s.get("spring.datasource.url"),
        s.get("spring.datasource.username", ""), s.get("spring.datasource.password", ""));
        Statement st = c.createStatement()) {
      st.executeUpdate("CREATE TABLE WARM(X INT)");
      st.executeUpdate("INSERT INTO WARM VALUES (42)");
    }
    return s;
  }

  @Test
  void theFastPathTakesTheRepositoryOpenedHereOnce() throws Exception {
    MailOpsSettings s = repository();
    String url = MigrateNoopRun.repositoryUrl(s);
    try (RepositoryWarmup w = RepositoryWarmup.start(env(), null)) {
      assertThat(w.take("jdbc:h2:mem:another")).isNull();
      try (Connection c = w.take(url); Statement st = c.createStatement();
          ResultSet r = st.executeQuery("SELECT X FROM WARM")) {
        assertThat(r.next()).isTrue();
        assertThat(r.getInt(1)).isEqualTo(42);
      }
      assertThat(w.take(url)).isNull(); // the caller owns and closed it
    }
  }

  @Test
  void theSettingsAreTheCommandsWhenItsConfigIsTheSame() throws Exception {
    Path config = Files.writeString(home.resolve("other.yml"),
        "mailops:\n  migrate:\n    parallel: 9\n");
    try (RepositoryWarmup w = RepositoryWarmup.start(env(), config)) {
      assertThat(w.settings(config).get("mailops.migrate.parallel")).isEqualTo("9");
      assertThat(w.settings(null)).isNull(); // parsed differently: the command loads its own
    }
    try (RepositoryWarmup w = RepositoryWarmup.start(env(), null)) {
      assertThat(w.settings(null).get("mailops.migrate.parallel")).isEqualTo("4");
    }
  }

  @Test
  void noRepositoryIsCreated() throws Exception {
    MailOpsSettings s = MailOpsSettings.load(env(), null);
    try (RepositoryWarmup w = RepositoryWarmup.start(env(), null)) {
      assertThat(w.take(MigrateNoopRun.repositoryUrl(s))).isNull();
    }
    assertThat(home.resolve("jobs")).doesNotExist();
  }

  @Test
  void aConnectionNobodyTookIsClosedWithTheWarmup() throws Exception {
    MailOpsSettings s = repository();
    String url = MigrateNoopRun.repositoryUrl(s);
    Path lock = home.resolve("jobs/repository.lock.db"); // H2's AUTO_SERVER lock, while open
    RepositoryWarmup w = RepositoryWarmup.start(env(), null);
    w.openNow(); // the fast path declined: the job runs
    for (int i = 0; i < 200 && !Files.exists(lock); i++) {
      Thread.sleep(50);
    }
    assertThat(lock).exists();
    w.close();
    assertThat(lock).doesNotExist();
    assertThat(w.take(url)).isNull();
  }

  /**
   * A {@code migrate run} whose fast path may answer, with the embedded repository: the run goes
   * to the no-op journal, so the repository is opened only once the job is to run (ADR 0054).
   */
  @Test
  void anEmbeddedRepositoryIsOpenedOnlyWhenTheJobRuns() throws Exception {
    repository();
    Path lock = home.resolve("jobs/repository.lock.db");
    RepositoryWarmup w = RepositoryWarmup.start(env(), null, "migrate", "run", "--source",
        "imap://a@127.0.0.1:1", "--target", "imap://b@127.0.0.1:2");
    assertThat(w.settings(null)).isNotNull();
    Thread.sleep(1000);
    assertThat(lock).doesNotExist();
    long t0 = System.nanoTime();
    w.close(); // answered by the fast path: never opened, nothing to wait for
    assertThat(System.nanoTime() - t0).isLessThan(5_000_000_000L);
    assertThat(lock).doesNotExist();
  }

  @Test
  void theConfigIsFoundInTheArguments() {
    assertThat(RepositoryWarmup.config("migrate", "run", "--accounts", "a.csv")).isNull();
    assertThat(RepositoryWarmup.config("migrate", "run", "--config", "/etc/m.yml"))
        .isEqualTo(Path.of("/etc/m.yml"));
    assertThat(RepositoryWarmup.config("--config=/etc/m.yml", "migrate", "run"))
        .isEqualTo(Path.of("/etc/m.yml"));
  }
}
