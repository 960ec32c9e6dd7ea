package io.mailops.jobs.batch.migrate;

import static org.assertj.core.api.Assertions.assertThat;

import io.mailops.jobs.CliResult;
import io.mailops.jobs.config.MailOpsSettings;
import io.mailops.migrator.Fingerprint;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The journal of runs with nothing new (docs/adr/0054): written into the embedded job repository
 * by the next command that opens it, as completed {@code migrate} executions with their times,
 * steps and reports; never twice; an entry cut short by a crash dropped; another repository's
 * entries kept.
 */
class NoopJournalTest {

  @TempDir Path home;

  private Map<String, String> env;
  private String url;
  private NoopJournal journal;

  @BeforeEach
  void repository() throws Exception {
    env = new HashMap<>(Map.of("MAILOPS_HOME", home.toString()));
    CliResult list = CliResult.run(env, "jobs", "list"); // creates the repository and its tables
    assertThat(list.code()).as(list.err()).isZero();
    url = MailOpsSettings.load(env, null).get("spring.datasource.url");
    journal = new NoopJournal(home);
  }

  /** A run of the one-off migration {@code label} with one account, started at {@code at}. */
  private NoopJournal.Entry entry(String repository, String source, LocalDateTime at)
      throws Exception {
    MigrateRequest r = new MigrateRequest(null, "imap://" + source + "@127.0.0.1:1",
        "imap://dst@127.0.0.1:2", home.resolve("pw"), home.resolve("pw"), List.of(), List.of(),
        List.of(), false, false, false, Fingerprint.Mode.HEADERS, false);
    Map<String, Object> c = new HashMap<>();
    c.put("index", 0);
    c.put("source", source + " imap://127.0.0.1:1");
    c.put("target", "dst imap://127.0.0.1:2");
    c.put("folders.done", 2);
    c.put("copied", 0);
    c.put("skipped", 30);
    c.put("failed", 0);
    c.put("bytes", 0L);
    c.put("verified", "ok");
    return new NoopJournal.Entry(repository, MigrateJobConfig.JOB,
        NoopJournal.parameters(r.parameters(Instant.parse("2026-11-24T05:00:00Z")
            .plusSeconds(at.getSecond()), 1)), at.atZone(ZoneId.systemDefault()).toInstant(),
        at.plusNanos(250_000_000L).atZone(ZoneId.systemDefault()).toInstant(),
        new NoopRunRecord.Context("migrate", NoopRunRecord.PARTITION_STEP,
            Map.of("SimpleStepExecutionSplitter.GRID_SIZE", 1)),
        List.of(new NoopRunRecord.Context(MigrateNoopRun.stepName(0),
            "org.springframework.batch.core.step.tasklet.TaskletStep", c)),
        List.of(0), List.of("{\"source\": \"" + source + "\"}\n"));
  }

  private List<String> executions() throws Exception {
    List<String> out = new ArrayList<>();
    try (Connection c = DriverManager.getConnection(url, "sa", "");
        Statement s = c.createStatement();
        ResultSet r = s.executeQuery("SELECT e.JOB_EXECUTION_ID, e.STATUS, e.START_TIME,"
            + " e.END_TIME, (SELECT COUNT(*) FROM BATCH_STEP_EXECUTION t WHERE"
            + " t.JOB_EXECUTION_ID = e.JOB_EXECUTION_ID) FROM BATCH_JOB_EXECUTION e ORDER BY 1")) {
      while (r.next()) {
        out.add(r.getLong(1) + " " + r.getString(2) + " " + r.getTimestamp(3).toLocalDateTime()
            + " " + r.getTimestamp(4).toLocalDateTime() + " " + r.getInt(5));
      }
    }
    return out;
  }

  @Test
  void theNextCommandThatOpensTheRepositoryWritesTheJournaledRuns() throws Exception {
    LocalDateTime first = LocalDateTime.parse("2026-11-24T05:00:01");
    LocalDateTime second = LocalDateTime.parse("2026-11-24T05:00:02");
    journal.append(entry(url, "olga", first));
    journal.append(entry(url, "olga", second));
    assertThat(journal.entries()).hasSize(2);
    assertThat(executions()).isEmpty(); // appending does not touch the repository

    CliResult history = CliResult.run(env, "jobs", "history", "migrate");
    assertThat(history.code()).as(history.err()).isZero();
    assertThat(history.out()).containsPattern("(?m)^\\s*1\\s+migrate\\s+COMPLETED\\s+COMPLETED\\s+"
        + "2026-11-24 05:00:01").containsPattern("(?m)^\\s*2\\s+migrate\\s+COMPLETED");
    assertThat(executions()).containsExactly(
        "1 COMPLETED 2026-11-24T05:00:01 2026-11-24T05:00:01.250 2",
        "2 COMPLETED 2026-11-24T05:00:02 2026-11-24T05:00:02.250 2");
    assertThat(journal.entries()).isEmpty();
    assertThat(home.resolve("migrate/reports/2/0.json")).hasContent("{\"source\": \"olga\"}\n");
    CliResult status = CliResult.run(env, "migrate", "status");
    assertThat(status.out()).contains("Migration execution 2: COMPLETED")
        .containsPattern("olga\\s+dst\\s+COMPLETED\\s+2\\s+0\\s+30\\s+0\\s+ok");
  }

  @Test
  void aReplayThatDiedBeforeEmptyingTheJournalWritesNothingTwice() throws Exception {
    journal.append(entry(url, "olga", LocalDateTime.parse("2026-11-24T05:00:01")));
    byte[] before = Files.readAllBytes(journal.file());
    try (Connection c = DriverManager.getConnection(url, "sa", "")) {
      assertThat(journal.replay(c, url, "BATCH_")).isEqualTo(1);
      Files.write(journal.file(), before); // as if the process had died before emptying it
      Files.delete(home.resolve("migrate/reports/1/0.json"));
      assertThat(journal.replay(c, url, "BATCH_")).isZero();
    }
    assertThat(executions()).hasSize(1);
    assertThat(home.resolve("migrate/reports/1/0.json")).exists(); // written again
    assertThat(journal.entries()).isEmpty();
  }

  @Test
  void anEntryCutShortByACrashIsDroppedAndTheNextIsAppendedAfterTheLastCompleteOne()
      throws Exception {
    journal.append(entry(url, "olga", LocalDateTime.parse("2026-11-24T05:00:01")));
    long complete = Files.size(journal.file());
    journal.append(entry(url, "piet", LocalDateTime.parse("2026-11-24T05:00:02")));
    byte[] all = Files.readAllBytes(journal.file());
    // the second entry cut in the middle, as a crash during its write leaves it
    Files.write(journal.file(), java.util.Arrays.copyOf(all, (int) (complete + 40)));
    assertThat(journal.entries()).hasSize(1);
    // a byte of the first entry changed: its CRC fails, nothing is read
    byte[] bad = Files.readAllBytes(journal.file());
    bad[20] ^= 1;
    Path copy = home.resolve("bad.journal");
    Files.write(copy, bad);
    Files.createDirectories(copy.resolveSibling("x/migrate"));
    Files.copy(copy, copy.resolveSibling("x/migrate/noop-runs.journal"));
    assertThat(new NoopJournal(copy.resolveSibling("x")).entries()).isEmpty();

    // a tail of zeros, as a crash after the file grew but before its blocks were written leaves
    Files.write(journal.file(), new byte[4096], StandardOpenOption.APPEND);
    assertThat(journal.entries()).hasSize(1);
    journal.append(entry(url, "quinn", LocalDateTime.parse("2026-11-24T05:00:03")));
    assertThat(journal.entries()).extracting(e -> e.reports().get(0))
        .containsExactly("{\"source\": \"olga\"}\n", "{\"source\": \"quinn\"}\n");
    Files.write(journal.file(), new byte[] {0, 0}, StandardOpenOption.APPEND);
    try (Connection c = DriverManager.getConnection(url, "sa", "")) {
      assertThat(journal.replay(c, url, "BATCH_")).isEqualTo(2);
    }
    assertThat(executions()).hasSize(2);
  }

  @Test
  void theEntriesOfAnotherRepositoryStayInTheJournal() throws Exception {
    String other = "jdbc:h2:file:" + home.resolve("elsewhere/repository");
    journal.append(entry(other, "olga", LocalDateTime.parse("2026-11-24T05:00:01")));
    journal.append(entry(url, "piet", LocalDateTime.parse("2026-11-24T05:00:02")));
    try (Connection c = DriverManager.getConnection(url, "sa", "")) {
      assertThat(journal.replay(c, url, "BATCH_")).isEqualTo(1);
    }
    assertThat(journal.entries()).extracting(NoopJournal.Entry::url).containsExactly(other);
    assertThat(executions()).hasSize(1);
  }

  @Test
  void onlyAnEmbeddedFileRepositoryIsJournaled() {
    assertThat(NoopJournal.journals(url)).isTrue();
    assertThat(NoopJournal.journals("jdbc:h2:/var/lib/mailops/jobs/repository")).isTrue();
    assertThat(NoopJournal.journals("jdbc:h2:mem:jobs")).isFalse();
    assertThat(NoopJournal.journals("jdbc:h2:tcp://db.example.net/jobs")).isFalse();
    assertThat(NoopJournal.journals("jdbc:postgresql://db.example.net/mailops")).isFalse();
    assertThat(NoopJournal.journals(null)).isFalse();
  }
}
