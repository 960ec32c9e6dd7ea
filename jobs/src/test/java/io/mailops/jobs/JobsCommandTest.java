package io.mailops.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import io.mailops.jobs.batch.BatchApplication;
import io.mailops.jobs.config.MailOpsSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.parameters.JobParametersBuilder;
import org.springframework.batch.core.launch.JobOperator;
import org.springframework.context.ConfigurableApplicationContext;

/** The job repository (embedded H2 under MAILOPS_HOME) through {@code mailops jobs ...}. */
class JobsCommandTest {

  @TempDir
  Path home;

  Map<String, String> env = new HashMap<>();
  Path config;

  @BeforeEach
  void setUp() throws Exception {
    env.put("MAILOPS_HOME", home.toString());
    config = Files.writeString(home.resolve("test.yml"),
        "spring:\n  main:\n    sources: io.mailops.jobs.testjobs.FlakyJobConfig\ntest:\n  dir: " + home + "\n");
  }

  @Test
  void historyOfAFreshRepositoryIsEmptyAndTheH2FileIsCreatedUnderMailopsHome() {
    CliResult r = run("jobs", "history", "--config", config.toString());
    assertThat(r.code()).isZero();
    assertThat(r.out()).contains("No executions yet.");
    assertThat(home.resolve("jobs/repository.mv.db")).exists();
  }

  @Test
  void theSchemaIsCreatedOnceAndLaterStartsLeaveNoErrorsInH2sTraceFile() throws Exception {
    assertThat(run("jobs", "list", "--config", config.toString()).code()).isZero();
    long id = launchFlaky();
    CliResult r = run("jobs", "history", "--config", config.toString());
    assertThat(r.code()).isZero();
    assertThat(r.out()).containsPattern("(?m)^\\s*" + id + "\\s+flaky\\s+COMPLETED");
    // H2 writes its trace file only for errors: before, every start re-ran the schema script
    // and logged "Table ... already exists" there
    Path trace = home.resolve("jobs/repository.trace.db");
    assertThat(trace).as(() -> trace + ": " + read(trace)).doesNotExist();
  }

  @Test
  void failedExecutionIsListedAndRestartRunsOnlyTheStepThatFailed() throws Exception {
    Files.createFile(home.resolve("fail"));
    long id = launchFlaky();

    CliResult history = run("jobs", "history", "--failed", "--config", config.toString());
    assertThat(history.code()).isZero();
    assertThat(history.out()).containsPattern("(?m)^\\s*" + id + "\\s+flaky\\s+FAILED\\s+FAILED");

    Files.delete(home.resolve("fail"));
    CliResult restart = run("jobs", "restart", String.valueOf(id), "--config", config.toString());
    assertThat(restart.code()).as(restart.err()).isZero();
    assertThat(restart.out()).contains("flaky: COMPLETED");
    assertThat(Files.readString(home.resolve("runs"))).isEqualTo("x");

    CliResult list = run("jobs", "list", "--config", config.toString());
    assertThat(list.out()).containsPattern("flaky\\s+yes\\s+1");
    CliResult again = run("jobs", "restart", String.valueOf(id + 1), "--config", config.toString());
    assertThat(again.code()).isEqualTo(1);
    assertThat(again.err()).contains("completed; nothing to restart");
  }

  @Test
  void restartOfAnUnknownExecutionSaysSoAndFails() {
    CliResult r = run("jobs", "restart", "999", "--config", config.toString());
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err()).isEqualTo("mailops: no job execution 999; see 'mailops jobs history'\n");
  }

  @Test
  void historyAsJsonHasTheFieldsScriptsUse() throws Exception {
    long id = launchFlaky();
    CliResult r = run("jobs", "history", "flaky", "--json", "--config", config.toString());
    assertThat(r.out()).contains("\"execution_id\":" + id).contains("\"status\":\"COMPLETED\"")
        .contains("\"job\":\"flaky\"");
  }

  private long launchFlaky() throws Exception {
    MailOpsSettings s = MailOpsSettings.load(env, config);
    try (ConfigurableApplicationContext ctx = BatchApplication.start(s)) {
      JobExecution e = ctx.getBean(JobOperator.class).start(ctx.getBean("flaky", Job.class),
          new JobParametersBuilder().addLong("run", System.nanoTime()).toJobParameters());
      assertThat(e.getStatus()).isIn(BatchStatus.COMPLETED, BatchStatus.FAILED);
      return e.getId();
    }
  }

  CliResult run(String... args) {
    return CliResult.run(env, args);
  }

  private static String read(Path p) {
    try {
      return Files.readString(p);
    } catch (java.io.IOException e) {
      return e.toString();
    }
  }
}
