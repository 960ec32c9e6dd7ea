package io.mailops.jobs.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import io.mailops.jobs.CliResult;
import io.mailops.jobs.batch.BatchApplication;
import io.mailops.jobs.batch.JobLock;
import io.mailops.jobs.config.MailOpsSettings;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.launch.JobOperator;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.scheduling.support.CronExpression;

/**
 * The daemon's runner against a real job repository (H2 under a temporary MAILOPS_HOME): scheduled
 * commands become job executions that {@code mailops jobs history} lists, and an execution a killed
 * daemon left STARTED is marked failed and restarted as the same job instance.
 */
class DaemonJobRunnerTest {

  @TempDir
  Path home;

  Map<String, String> env;
  ConfigurableApplicationContext ctx;
  JobRepository repo;
  final List<List<String>> ran = Collections.synchronizedList(new ArrayList<>());
  int exitCode;
  String errLine = "";
  final StringWriter log = new StringWriter();
  BatchJobRunner runner;

  @BeforeEach
  void setUp() throws Exception {
    env = Map.of("MAILOPS_HOME", home.toString(), "HOME", home.toString());
    ctx = BatchApplication.start(MailOpsSettings.load(env, null));
    repo = ctx.getBean(JobRepository.class);
    Commands commands = (out, err, args) -> {
      ran.add(args);
      out.println("ingested 3 messages");
      if (!errLine.isEmpty()) {
        err.println(errLine);
      }
      return exitCode;
    };
    runner = new BatchJobRunner(repo, ctx.getBean(javax.sql.DataSource.class), ctx.getBean(JobOperator.class), ctx.getBean("backupJob", Job.class), commands,
        home, Clock.systemUTC(), new PrintWriter(log));
  }

  @AfterEach
  void tearDown() {
    ctx.close();
  }

  static Schedule ingest() {
    return new Schedule("archive-ingest", JobKind.ARCHIVE_INGEST, CronExpression.parse("0 */5 * * * *"),
        "0 */5 * * * *", ZoneId.of("UTC"), true, false, 2, Duration.ofMinutes(1),
        List.of("--from", "maildir:/var/vmail"));
  }

  @Test
  void scheduledCommandRunsAsAJobExecutionListedInHistory() throws Exception {
    RunResult r = runner.run(ingest(), Instant.parse("2026-11-20T02:05:00Z"), 0);

    assertThat(r.outcome()).isEqualTo(RunResult.Outcome.COMPLETED);
    assertThat(ran).containsExactly(List.of("archive", "ingest", "--from", "maildir:/var/vmail"));
    assertThat(repo.getJobExecution(r.executionId()).getStatus()).isEqualTo(BatchStatus.COMPLETED);
    assertThat(log.toString()).contains("[archive-ingest] ingested 3 messages");
    CliResult history = CliResult.run(env, "jobs", "history");
    assertThat(history.out()).containsPattern(r.executionId() + "\\s+archive-ingest\\s+COMPLETED");
  }

  @Test
  void failedCommandIsAFailedExecutionWithItsErrorLineListedByHistoryFailed() throws Exception {
    exitCode = 1;
    errLine = "mailops: no archive at /srv/archive; run 'mailops archive init' first";
    RunResult r = runner.run(ingest(), Instant.parse("2026-11-20T02:05:00Z"), 0);

    assertThat(r.outcome()).isEqualTo(RunResult.Outcome.FAILED);
    assertThat(r.reason()).isEqualTo("no archive at /srv/archive; run 'mailops archive init' first");
    exitCode = 0;
    errLine = "";
    RunResult ok = runner.run(ingest(), Instant.parse("2026-11-20T02:10:00Z"), 0);
    assertThat(ok.outcome()).isEqualTo(RunResult.Outcome.COMPLETED);
    CliResult failed = CliResult.run(env, "jobs", "history", "--failed");
    assertThat(failed.out()).containsPattern(r.executionId() + "\\s+archive-ingest\\s+FAILED")
        .doesNotContainPattern("(?m)^\\s*" + ok.executionId() + "\\s");
  }

  @Test
  void commandThatSkippedItemsIsPartial() throws Exception {
    exitCode = 3;
    errLine = "mailops: skipped example.com/bob/INBOX/1.eml: unreadable";
    RunResult r = runner.run(ingest(), Instant.parse("2026-11-20T02:05:00Z"), 0);

    assertThat(r.outcome()).isEqualTo(RunResult.Outcome.PARTIAL);
    assertThat(r.reason()).contains("skipped example.com/bob/INBOX/1.eml");
    assertThat(repo.getJobExecution(r.executionId()).getExitStatus().getExitCode()).isEqualTo("PARTIAL");
    assertThat(CliResult.run(env, "jobs", "history", "--failed").out())
        .containsPattern(r.executionId() + "\\s+archive-ingest\\s+COMPLETED\\s+PARTIAL");
  }

  @Test
  void jobWhoseLockAnotherRunHoldsIsNotStarted() throws Exception {
    try (JobLock cli = JobLock.tryAcquire(JobLock.file(home, "archive-ingest"))) {
      assertThat(cli).isNotNull();
      RunResult r = runner.run(ingest(), Instant.parse("2026-11-20T02:05:00Z"), 0);
      assertThat(r.outcome()).isEqualTo(RunResult.Outcome.LOCKED);
      assertThat(r.reason()).contains("locks/archive-ingest.lock");
    }
    assertThat(ran).isEmpty();
  }

  @Test
  void executionLeftStartedByAKilledDaemonIsMarkedFailedAndRestartedAsTheSameInstance() throws Exception {
    RunResult first = runner.run(ingest(), Instant.parse("2026-11-20T02:05:00Z"), 0);
    JobExecution killed = repo.getJobExecution(first.executionId());
    leftRunning(killed); // what kill -9 in the middle of the step leaves behind

    try (JobLock live = JobLock.tryAcquire(JobLock.file(home, "archive-ingest"))) {
      assertThat(runner.interrupted()).as("a live process holds the lock: its run is not interrupted").isEmpty();
    }
    List<JobRunner.Interrupted> found = runner.interrupted();
    assertThat(found).extracting(JobRunner.Interrupted::executionId).containsExactly(killed.getId());

    RunResult restarted = runner.restart(found.get(0));

    assertThat(restarted.outcome()).isEqualTo(RunResult.Outcome.COMPLETED);
    JobExecution again = repo.getJobExecution(restarted.executionId());
    assertThat(again.getJobInstance().getInstanceId()).isEqualTo(killed.getJobInstance().getInstanceId());
    assertThat(repo.getJobExecution(killed.getId()).getStatus()).isEqualTo(BatchStatus.FAILED);
    assertThat(repo.getJobExecution(killed.getId()).getExitStatus().getExitDescription()).contains("process running it died");
    assertThat(ran).hasSize(2).allSatisfy(a -> assertThat(a).containsExactly("archive", "ingest", "--from",
        "maildir:/var/vmail"));
    assertThat(runner.interrupted()).isEmpty();
    assertThat(log.toString()).contains("[archive-ingest] execution " + again.getId() + " (restart of " + killed.getId()
        + "): COMPLETED (COMPLETED)");
  }

  @Test
  void executionStoppedAtShutdownRestartsAtTheNextStart() throws Exception {
    RunResult first = runner.run(ingest(), Instant.parse("2026-11-20T02:05:00Z"), 0);
    leftRunning(repo.getJobExecution(first.executionId()));

    runner.requestStop(java.util.Set.of("archive-ingest"));
    runner.markStopped(java.util.Set.of("archive-ingest"));

    JobExecution stopped = repo.getJobExecution(first.executionId());
    assertThat(stopped.getStatus()).isEqualTo(BatchStatus.STOPPED);
    assertThat(runner.interrupted()).extracting(JobRunner.Interrupted::executionId).containsExactly(first.executionId());
    RunResult restarted = runner.restart(runner.interrupted().get(0));
    assertThat(restarted.outcome()).as(restarted.reason()).isEqualTo(RunResult.Outcome.COMPLETED);
    assertThat(repo.getJobExecution(restarted.executionId()).getJobInstance().getInstanceId())
        .isEqualTo(stopped.getJobInstance().getInstanceId());
  }

  @Test
  void executionThatEndedAfterTheShutdownSawItRunningKeepsItsEnd() throws Exception {
    RunResult first = runner.run(ingest(), Instant.parse("2026-11-20T02:05:00Z"), 0);
    leftRunning(repo.getJobExecution(first.executionId()));
    List<JobExecution> seen = runner.running(java.util.Set.of("archive-ingest"));
    assertThat(seen).extracting(JobExecution::getId).containsExactly(first.executionId());

    // the job's own thread ends it between the daemon's look and its mark (seen under load in DaemonKillIT)
    JobExecution ending = repo.getJobExecution(first.executionId());
    ending.setStatus(BatchStatus.COMPLETED);
    ending.setExitStatus(org.springframework.batch.core.ExitStatus.COMPLETED);
    ending.setEndTime(java.time.LocalDateTime.now());
    repo.update(ending);

    assertThat(runner.markStopped(seen)).as("nothing left to mark").isEmpty();
    JobExecution after = repo.getJobExecution(first.executionId());
    assertThat(after.getStatus()).isEqualTo(BatchStatus.COMPLETED);
    assertThat(after.getExitStatus().getExitCode()).isEqualTo("COMPLETED");
    assertThat(runner.interrupted()).as("a completed run is not restarted").isEmpty();
  }

  @Test
  void ingestToldToStopEndsStoppedAndItsRestartGoesOn() throws Exception {
    Commands stopping = (out, err, args) -> {
      ran.add(args);
      if (ran.size() == 1) {
        io.mailops.jobs.batch.StopRequest.raise(BatchJobRunner.STOPPED_BY_DAEMON); // SIGTERM during the ingest
        out.println("Stopped on request at a group commit; the next run ingests the rest and rolls over.");
      }
      return 0;
    };
    BatchJobRunner r = new BatchJobRunner(repo, ctx.getBean(javax.sql.DataSource.class), ctx.getBean(JobOperator.class),
        ctx.getBean("backupJob", Job.class), stopping, home, Clock.systemUTC(), new PrintWriter(log));
    try {
      RunResult stopped = r.run(ingest(), Instant.parse("2026-11-20T02:05:00Z"), 0);

      assertThat(stopped.outcome()).isEqualTo(RunResult.Outcome.STOPPED);
      JobExecution e = repo.getJobExecution(stopped.executionId());
      assertThat(e.getStatus()).isEqualTo(BatchStatus.STOPPED);
      assertThat(e.getExitStatus().getExitDescription()).isEqualTo(BatchJobRunner.STOPPED_BY_DAEMON);
      assertThat(CliResult.run(env, "jobs", "history").out())
          .containsPattern(stopped.executionId() + "\\s+archive-ingest\\s+STOPPED");

      io.mailops.jobs.batch.StopRequest.clear(); // the next daemon start
      List<JobRunner.Interrupted> found = r.interrupted();
      assertThat(found).extracting(JobRunner.Interrupted::executionId).containsExactly(e.getId());
      RunResult restarted = r.restart(found.get(0));
      assertThat(restarted.outcome()).as(restarted.reason()).isEqualTo(RunResult.Outcome.COMPLETED);
      assertThat(repo.getJobExecution(restarted.executionId()).getJobInstance().getInstanceId())
          .isEqualTo(e.getJobInstance().getInstanceId());
      assertThat(ran).hasSize(2);
    } finally {
      io.mailops.jobs.batch.StopRequest.clear();
    }
  }

  @Test
  void commandWithoutAStopPointThatEndsDuringTheStopIsCompleted() throws Exception {
    Commands render = (out, err, args) -> {
      io.mailops.jobs.batch.StopRequest.raise(BatchJobRunner.STOPPED_BY_DAEMON);
      return 0;
    };
    BatchJobRunner r = new BatchJobRunner(repo, ctx.getBean(javax.sql.DataSource.class), ctx.getBean(JobOperator.class),
        ctx.getBean("backupJob", Job.class), render, home, Clock.systemUTC(), new PrintWriter(log));
    try {
      Schedule s = new Schedule("charts", JobKind.REPORT_RENDER, CronExpression.parse("0 0 * * * *"), "0 0 * * * *",
          ZoneId.of("UTC"), true, false, 0, Duration.ofMinutes(1), List.of("--out", "/tmp/charts"));
      RunResult done = r.run(s, Instant.parse("2026-11-20T02:00:00Z"), 0);
      assertThat(done.outcome()).isEqualTo(RunResult.Outcome.COMPLETED);
      assertThat(r.interrupted()).isEmpty();
    } finally {
      io.mailops.jobs.batch.StopRequest.clear();
    }
  }

  private void leftRunning(JobExecution e) {
    for (StepExecution s : e.getStepExecutions()) {
      s.setStatus(BatchStatus.STARTED);
      s.setEndTime(null);
      repo.update(s);
    }
    e.setStatus(BatchStatus.STARTED);
    e.setEndTime(null);
    repo.update(e);
  }
}
