package io.mailops.jobs.migrate;

import static org.assertj.core.api.Assertions.assertThat;

import io.mailops.jobs.CliResult;
import io.mailops.jobs.batch.migrate.MigrateNoopRun;
import io.mailops.jobs.batch.migrate.MigrateRequest;
import io.mailops.jobs.config.MailOpsSettings;
import io.mailops.migrator.Fingerprint;
import io.mailops.storage.model.AccountId;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The job-repository side of the no-op fast path of {@code migrate run} (ADR 0026): it is only
 * taken after a completed run of the same migration with the same options, and a run on a server
 * without CONDSTORE (GreenMail) always goes through the job.
 */
class MigrateNoopRunTest extends MigrateCliFixture {

  private MigrateNoopRun noop(String source, String target, Path password, Fingerprint.Mode mode)
      throws Exception {
    MigrateRequest r = new MigrateRequest(null, source, target, password, password, List.of(),
        List.of(), List.of(), false, false, false, mode, false);
    return new MigrateNoopRun(MailOpsSettings.load(env, null), r, r.accounts(env), 4);
  }

  private void sql(String statement) throws Exception {
    try (Connection c = DriverManager.getConnection("jdbc:h2:file:" + home
        + "/jobs/repository;AUTO_SERVER=TRUE", "sa", ""); Statement s = c.createStatement()) {
      s.executeUpdate(statement);
    }
  }

  @Test
  void onlyANewestRunThatCompletedWithTheSameOptionsLetsTheFastPathLook() throws Exception {
    AccountId src = user("nora");
    AccountId dst = user("nora-new");
    populate(src, 4);
    String from = imapUri(src);
    String to = imapUri(dst);
    assertThat(noop(from, to, pw, Fingerprint.Mode.HEADERS).lastRunCompleted())
        .as("no repository yet").isFalse();
    assertThat(home.resolve("jobs/repository.mv.db")).doesNotExist();

    CliResult first = run("migrate", "run", "--source", from, "--source-password-file",
        pw.toString(), "--target", to, "--target-password-file", pw.toString());
    assertThat(first.code()).as(first.out() + first.err()).isZero();
    assertThat(noop(from, to, pw, Fingerprint.Mode.HEADERS).lastRunCompleted()).isTrue();
    assertThat(noop(from, to, pw, Fingerprint.Mode.CONTENT).lastRunCompleted())
        .as("other dedupe rules").isFalse();
    assertThat(noop(from, imapUri(user("other")), pw, Fingerprint.Mode.HEADERS)
        .lastRunCompleted()).as("another migration").isFalse();

    // GreenMail has no CONDSTORE: the second run goes through the job, as before
    CliResult again = run("migrate", "run", "--source", from, "--source-password-file",
        pw.toString(), "--target", to, "--target-password-file", pw.toString());
    assertThat(again.code()).as(again.err()).isZero();
    assertThat(again.out()).contains("0 copied, 4 skipped", ", verified",
        "Migration done: 1 account(s), 0 failed (execution 2)");
    assertThat(noop(from, to, pw, Fingerprint.Mode.HEADERS).lastRunCompleted()).isTrue();

    // the newest run stopped, or still marked running (killed): no fast path
    sql("UPDATE BATCH_JOB_EXECUTION SET STATUS = 'STOPPED', EXIT_CODE = 'STOPPED'"
        + " WHERE JOB_EXECUTION_ID = 2");
    assertThat(noop(from, to, pw, Fingerprint.Mode.HEADERS).lastRunCompleted()).isFalse();
    sql("UPDATE BATCH_JOB_EXECUTION SET STATUS = 'STARTED', EXIT_CODE = 'UNKNOWN'"
        + " WHERE JOB_EXECUTION_ID = 2");
    assertThat(noop(from, to, pw, Fingerprint.Mode.HEADERS).lastRunCompleted()).isFalse();
    sql("UPDATE BATCH_JOB_EXECUTION SET STATUS = 'COMPLETED', EXIT_CODE = 'COMPLETED'"
        + " WHERE JOB_EXECUTION_ID = 2");
    sql("UPDATE BATCH_STEP_EXECUTION SET EXIT_CODE = 'PARTIAL' WHERE JOB_EXECUTION_ID = 2"
        + " AND STEP_NAME LIKE 'migrateAccount:%'");
    assertThat(noop(from, to, pw, Fingerprint.Mode.HEADERS).lastRunCompleted())
        .as("an account partial").isFalse();

    // the newest run failed (the source refused the password): no fast path
    Path wrong = Files.writeString(home.resolve("wrong"), "nope\n");
    CliResult failed = run("migrate", "run", "--source", from, "--source-password-file",
        wrong.toString(), "--target", to, "--target-password-file", pw.toString());
    assertThat(failed.code()).isEqualTo(1);
    assertThat(noop(from, to, pw, Fingerprint.Mode.HEADERS).lastRunCompleted()).isFalse();
  }

  /** Adds an execution {@code id} of job {@code job} with the parameter migration = {@code label}. */
  private void execution(long id, String job, String label, String status) throws Exception {
    sql("INSERT INTO BATCH_JOB_INSTANCE(JOB_INSTANCE_ID, JOB_NAME, JOB_KEY, VERSION) VALUES ("
        + id + ", '" + job + "', 'key" + id + "', 0)");
    sql("INSERT INTO BATCH_JOB_EXECUTION(JOB_EXECUTION_ID, JOB_INSTANCE_ID, CREATE_TIME, STATUS,"
        + " EXIT_CODE, VERSION) VALUES (" + id + ", " + id + ", CURRENT_TIMESTAMP, '" + status
        + "', '" + status + "', 2)");
    if (label != null) {
      sql("INSERT INTO BATCH_JOB_EXECUTION_PARAMS(JOB_EXECUTION_ID, PARAMETER_NAME,"
          + " PARAMETER_TYPE, PARAMETER_VALUE, IDENTIFYING) VALUES (" + id + ", 'migration',"
          + " 'java.lang.String', '" + label + "', 'Y')");
    }
  }

  /** Executions added after the migration's run: more than three windows of 16. */
  private static final int NEWER = 53;

  @Test
  void theNewestRunOfTheMigrationIsFoundBehindMoreRecentExecutionsOfOtherJobsAndMigrations()
      throws Exception {
    AccountId src = user("olga");
    AccountId dst = user("olga-new");
    populate(src, 2);
    String from = imapUri(src);
    String to = imapUri(dst);
    CliResult first = run("migrate", "run", "--source", from, "--source-password-file",
        pw.toString(), "--target", to, "--target-password-file", pw.toString());
    assertThat(first.code()).as(first.out() + first.err()).isZero();
    assertThat(noop(from, to, pw, Fingerprint.Mode.HEADERS).lastRunCompleted()).isTrue();

    // newer executions than the migration's: several of the windows the history is read in
    for (long id = 1000; id < 1000 + NEWER; id++) {
      execution(id, id % 3 == 0 ? "migrate" : "backup", id % 3 == 0 ? "another migration" : null,
          id % 2 == 0 ? "COMPLETED" : "FAILED");
    }
    assertThat(noop(from, to, pw, Fingerprint.Mode.HEADERS).lastRunCompleted())
        .as("found behind %d newer executions", NEWER).isTrue();
    assertThat(noop(from, imapUri(user("other")), pw, Fingerprint.Mode.HEADERS)
        .lastRunCompleted()).as("a migration that never ran").isFalse();

    // a newer run of the same migration that did not complete decides
    String label = "SELECT PARAMETER_VALUE FROM BATCH_JOB_EXECUTION_PARAMS WHERE"
        + " JOB_EXECUTION_ID = 1 AND PARAMETER_NAME = 'migration'";
    sql("INSERT INTO BATCH_JOB_INSTANCE(JOB_INSTANCE_ID, JOB_NAME, JOB_KEY, VERSION) VALUES"
        + " (2000, 'migrate', 'key2000', 0)");
    sql("INSERT INTO BATCH_JOB_EXECUTION(JOB_EXECUTION_ID, JOB_INSTANCE_ID, CREATE_TIME, STATUS,"
        + " EXIT_CODE, VERSION) VALUES (2000, 2000, CURRENT_TIMESTAMP, 'FAILED', 'FAILED', 2)");
    sql("INSERT INTO BATCH_JOB_EXECUTION_PARAMS(JOB_EXECUTION_ID, PARAMETER_NAME, PARAMETER_TYPE,"
        + " PARAMETER_VALUE, IDENTIFYING) SELECT 2000, 'migration', 'java.lang.String',"
        + " PARAMETER_VALUE, 'Y' FROM (" + label + ")");
    execution(2001, "backup", null, "COMPLETED");
    assertThat(noop(from, to, pw, Fingerprint.Mode.HEADERS).lastRunCompleted())
        .as("the newest run of the migration failed").isFalse();
  }
}
