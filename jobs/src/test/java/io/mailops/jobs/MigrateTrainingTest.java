package io.mailops.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mailops.jobs.batch.migrate.NoopJournal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.Arrays;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The class-data archive's training of {@code migrate run} reaches the no-op fast path (ADR 0028). */
class MigrateTrainingTest {

  @Test
  void theMigrateTrainingIsAnsweredByTheFastPath(@TempDir Path dir) {
    MigrateTraining.Migrated m = MigrateTraining.migrate(dir);

    assertEquals(0, m.exit(), m.output());
    // the job's own lines, from the recorded run: both folders unchanged, nothing copied
    assertTrue(m.output().startsWith("a@cds.invalid -> b@cds.invalid: 2 folders, 0 copied,"
        + " 4 skipped (0 duplicates, 4 already done, 0 vanished), 0 failed,"), m.output());
    assertTrue(m.output().contains(", verified\n"), m.output());
    // the no-op run goes to the journal (the embedded repository is not opened, ADR 0054)
    assertTrue(m.output().endsWith("Migration done: 1 account(s), 0 failed (nothing new;"
        + " recorded in the job repository at its next use)\n"), m.output());
    // the look only: the job would have selected folders, which the scripted server refuses
    // (the folders' statuses come with the LIST: the server offers LIST-STATUS, as Dovecot does)
    assertEquals(Set.of("CAPABILITY", "LOGIN", "LIST", "LOGOUT"), m.commands());
    assertTrue(m.fastPath());
  }

  @Test
  void aNoOpTheRepositoryDeclinesAfterTheLookPrintsOnlyTheJobsLines(@TempDir Path dir) {
    // the look finds nothing new (the fast path makes its account lines then, ADR 0052), but the
    // newest recorded run is no longer completed: the fast path declines and the job runs; the
    // lines made for the fast path are not printed, the job's are, once. The repository is
    // checked when the no-op journal is full (ADR 0054): a full journal without an entry
    MigrateTraining.Migrated m = MigrateTraining.migrate(dir, env -> {
      try (Connection c = DriverManager.getConnection("jdbc:h2:file:" + env.get("MAILOPS_HOME")
          + "/jobs/repository;AUTO_SERVER=TRUE", "sa", ""); Statement s = c.createStatement()) {
        assertEquals(1, s.executeUpdate("UPDATE BATCH_JOB_EXECUTION SET STATUS = 'FAILED',"
            + " EXIT_CODE = 'FAILED' WHERE JOB_EXECUTION_ID = 2"));
      }
      byte[] full = new byte[(int) NoopJournal.LIMIT];
      Arrays.fill(full, (byte) 0xff);
      Path journal = Path.of(env.get("MAILOPS_HOME"), "migrate/noop-runs.journal");
      Files.createDirectories(journal.getParent());
      Files.write(journal, full);
    });

    assertEquals(0, m.exit(), m.toString());
    // the job looked at the folders itself (the fast path has their statuses from its LIST)
    assertTrue(m.commands().contains("STATUS"), m.toString());
    String line = "a@cds.invalid -> b@cds.invalid: 2 folders, 0 copied, 4 skipped";
    assertEquals(m.output().indexOf(line), m.output().lastIndexOf(line), m.output());
    assertTrue(m.output().startsWith(line), m.output());
    assertTrue(m.output().endsWith("Migration done: 1 account(s), 0 failed (execution 3)\n"),
        m.output());
  }

  @Test
  void aRunThroughTheJobIsNotTakenForTheFastPath() {
    String done = "Migration done: 1 account(s), 0 failed (execution 3)\n";
    assertFalse(new MigrateTraining.Migrated(0, done,
        Set.of("CAPABILITY", "LOGIN", "LIST", "STATUS", "EXAMINE", "LOGOUT")).fastPath());
    assertFalse(new MigrateTraining.Migrated(1, "Migration stopped: 1 account(s), 1 failed\n",
        Set.of("CAPABILITY", "LOGIN", "LIST", "STATUS", "LOGOUT")).fastPath());
    assertFalse(new MigrateTraining.Migrated(0, done, Set.of("CAPABILITY", "LOGIN")).fastPath());
  }
}
