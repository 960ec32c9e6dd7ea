package io.mailops.jobs.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.scheduling.support.CronExpression;

/** The scheduler with an injected clock and a runner that records what it is asked to run. */
class SchedulerTest {

  @TempDir
  Path dir;

  final MutableClock clock = new MutableClock("2026-11-20T01:59:59Z");
  final List<String> failures = Collections.synchronizedList(new ArrayList<>());
  final List<String> retrying = Collections.synchronizedList(new ArrayList<>());
  final ExecutorService threads = Executors.newCachedThreadPool();

  @AfterEach
  void tearDown() {
    threads.shutdownNow();
  }

  /** Records runs as "schedule@slot#attempt" and answers with {@code answer}. */
  final class Recorder implements JobRunner {
    final List<String> runs = Collections.synchronizedList(new ArrayList<>());
    final List<Interrupted> interrupted = new ArrayList<>();
    final List<Long> restarted = Collections.synchronizedList(new ArrayList<>());
    Function<Integer, RunResult.Outcome> answer = attempt -> RunResult.Outcome.COMPLETED;
    CountDownLatch release;

    @Override
    public RunResult run(Schedule schedule, Instant slot, int attempt) throws InterruptedException {
      runs.add(schedule.name() + "@" + slot + "#" + attempt);
      if (release != null) {
        release.await(10, TimeUnit.SECONDS);
      }
      RunResult.Outcome o = answer.apply(attempt);
      return new RunResult(runs.size(), o, o == RunResult.Outcome.COMPLETED ? "" : "target refused", clock.instant());
    }

    @Override
    public List<Interrupted> interrupted() {
      return interrupted;
    }

    @Override
    public RunResult restart(Interrupted execution) {
      restarted.add(execution.executionId());
      return new RunResult(execution.executionId() + 100, RunResult.Outcome.COMPLETED, "", clock.instant());
    }
  }

  static Schedule schedule(String name, JobKind job, String cron, boolean catchUp, int retries) {
    return new Schedule(name, job, CronExpression.parse(cron), cron, ZoneId.of("UTC"), true, catchUp, retries,
        Duration.ofMinutes(1), List.of());
  }

  Scheduler scheduler(JobRunner runner, java.util.concurrent.Executor executor, Schedule... schedules) throws Exception {
    DaemonEvents events = new DaemonEvents() {
      @Override
      public void started() { }

      @Override
      public void reloaded() { }

      @Override
      public void shutdown() { }

      @Override
      public void jobFailed(String job, long executionId, String reason) {
        failures.add(job + " " + executionId + ": " + reason);
      }

      @Override
      public void jobRetrying(String job, long executionId, String reason) {
        retrying.add(job + " " + executionId + ": " + reason);
      }
    };
    return new Scheduler(List.of(schedules), runner, new FireTimes(dir.resolve("fire-times.properties")), clock,
        events, executor);
  }

  @Test
  void cronScheduleFiresAtItsTimeAndNotBefore() throws Exception {
    Recorder r = new Recorder();
    Scheduler s = scheduler(r, Runnable::run, schedule("backup", JobKind.BACKUP, "0 0 2 * * *", false, 0));
    s.start();
    s.tick();
    assertThat(r.runs).isEmpty();
    assertThat(s.status().get(0).next()).isEqualTo(Instant.parse("2026-11-20T02:00:00Z"));

    clock.set("2026-11-20T02:00:00.300Z");
    s.tick();
    s.tick();
    assertThat(r.runs).containsExactly("backup@2026-11-20T02:00:00Z#0");
    assertThat(s.status().get(0).next()).isEqualTo(Instant.parse("2026-11-21T02:00:00Z"));
    assertThat(s.status().get(0).last().outcome()).isEqualTo(RunResult.Outcome.COMPLETED);
  }

  @Test
  void cronScheduleFiresInItsTimeZone() throws Exception {
    Recorder r = new Recorder();
    Schedule berlin = new Schedule("backup", JobKind.BACKUP, CronExpression.parse("0 0 2 * * *"), "0 0 2 * * *",
        ZoneId.of("Europe/Berlin"), true, false, 0, Duration.ZERO, List.of());
    Scheduler s = scheduler(r, Runnable::run, berlin);
    s.start();
    assertThat(s.status().get(0).next()).isEqualTo(Instant.parse("2026-11-20T01:00:00Z").plus(Duration.ofDays(1)));
  }

  @Test
  void jobStillRunningAtItsNextTimeIsNotStartedTwice() throws Exception {
    Recorder r = new Recorder();
    r.release = new CountDownLatch(1);
    Schedule ingest = schedule("archive-ingest", JobKind.ARCHIVE_INGEST, "0 * * * * *", false, 0);
    Scheduler s = scheduler(r, threads, ingest);
    s.start();
    clock.set("2026-11-20T02:00:00Z");
    s.tick();
    waitFor(() -> r.runs.size() == 1);
    clock.set("2026-11-20T02:01:00Z");
    s.tick();
    clock.set("2026-11-20T02:02:00Z");
    s.tick();
    assertThat(s.running()).containsExactly("archive-ingest");
    assertThat(s.status().get(0).note()).contains("skipped 2026-11-20T02:02:00Z").contains("still running");

    r.release.countDown();
    assertThat(s.awaitIdle(10_000)).isTrue();
    assertThat(r.runs).containsExactly("archive-ingest@2026-11-20T02:00:00Z#0");
    clock.set("2026-11-20T02:03:00Z");
    s.tick();
    assertThat(s.awaitIdle(10_000)).isTrue();
    assertThat(r.runs).hasSize(2).last().isEqualTo("archive-ingest@2026-11-20T02:03:00Z#0");
  }

  @Test
  void twoSchedulesOfOneJobDoNotOverlapEither() throws Exception {
    Recorder r = new Recorder();
    r.release = new CountDownLatch(1);
    Scheduler s = scheduler(r, threads, schedule("backup", JobKind.BACKUP, "0 0 2 * * *", false, 0),
        schedule("backup-full", JobKind.BACKUP, "0 0 2 * * *", false, 0));
    s.start();
    clock.set("2026-11-20T02:00:00Z");
    s.tick();
    r.release.countDown();
    assertThat(s.awaitIdle(10_000)).isTrue();
    assertThat(r.runs).containsExactly("backup@2026-11-20T02:00:00Z#0");
    assertThat(s.status().get(1).note()).contains("backup was still running");
  }

  @Test
  void timeMissedWhileTheDaemonWasDownRunsOnceAtStartWithCatchUp() throws Exception {
    new FireTimes(dir.resolve("fire-times.properties")).fired("backup", Instant.parse("2026-11-17T02:00:00Z"));
    clock.set("2026-11-20T08:00:00Z"); // down since the 17th: three nightly times missed
    Recorder r = new Recorder();
    Scheduler s = scheduler(r, Runnable::run, schedule("backup", JobKind.BACKUP, "0 0 2 * * *", true, 0));
    s.start();
    s.tick();
    assertThat(r.runs).containsExactly("backup@2026-11-20T08:00:00Z#0");
    assertThat(s.status().get(0).last().outcome()).isEqualTo(RunResult.Outcome.COMPLETED);
    assertThat(s.status().get(0).next()).isEqualTo(Instant.parse("2026-11-21T02:00:00Z"));

    Scheduler again = scheduler(r, Runnable::run, schedule("backup", JobKind.BACKUP, "0 0 2 * * *", true, 0));
    again.start(); // a restart of the daemon right after: nothing missed any more
    assertThat(r.runs).hasSize(1);
  }

  @Test
  void timeMissedWhileTheDaemonWasDownIsNotRunWithoutCatchUp() throws Exception {
    new FireTimes(dir.resolve("fire-times.properties")).fired("backup", Instant.parse("2026-11-19T02:00:00Z"));
    clock.set("2026-11-20T08:00:00Z");
    Recorder r = new Recorder();
    Scheduler s = scheduler(r, Runnable::run, schedule("backup", JobKind.BACKUP, "0 0 2 * * *", false, 0));
    s.start();
    s.tick();
    assertThat(r.runs).isEmpty();
    assertThat(s.status().get(0).note()).contains("missed 2026-11-20T02:00:00Z").contains("catch-up: false");
  }

  @Test
  void firstStartCatchesUpNothing() throws Exception {
    clock.set("2026-11-20T08:00:00Z");
    Recorder r = new Recorder();
    Scheduler s = scheduler(r, Runnable::run, schedule("backup", JobKind.BACKUP, "0 0 2 * * *", true, 0));
    s.start();
    assertThat(r.runs).isEmpty();
    assertThat(new FireTimes(dir.resolve("fire-times.properties")).last("backup"))
        .isEqualTo(Instant.parse("2026-11-20T08:00:00Z"));
  }

  @Test
  void failedRunIsRetriedAfterItsBackoffUntilItSucceeds() throws Exception {
    Recorder r = new Recorder();
    r.answer = attempt -> attempt < 2 ? RunResult.Outcome.FAILED : RunResult.Outcome.COMPLETED;
    Scheduler s = scheduler(r, Runnable::run, schedule("backup", JobKind.BACKUP, "0 0 2 * * *", false, 3));
    s.start();
    clock.set("2026-11-20T02:00:00Z");
    s.tick();
    assertThat(s.status().get(0).retryAt()).isEqualTo(Instant.parse("2026-11-20T02:01:00Z"));
    clock.set("2026-11-20T02:00:59Z");
    s.tick();
    assertThat(r.runs).hasSize(1);
    clock.set("2026-11-20T02:01:00Z");
    s.tick(); // retry 1 fails; the back-off doubles
    assertThat(s.status().get(0).retryAt()).isEqualTo(Instant.parse("2026-11-20T02:03:00Z"));
    clock.set("2026-11-20T02:03:00Z");
    s.tick();
    assertThat(r.runs).containsExactly("backup@2026-11-20T02:00:00Z#0", "backup@2026-11-20T02:01:00Z#1",
        "backup@2026-11-20T02:03:00Z#2");
    assertThat(s.status().get(0).retryAt()).isNull();
    assertThat(s.status().get(0).last().outcome()).isEqualTo(RunResult.Outcome.COMPLETED);
    assertThat(failures).as("no failure notification: a retry succeeded").isEmpty();
    assertThat(retrying).hasSize(2).allSatisfy(f -> assertThat(f).startsWith("backup ").contains("target refused"));
    assertThat(retrying.get(0)).contains("retry 1 of 3 at 2026-11-20T02:01:00Z");
  }

  @Test
  void retriesStopAtTheConfiguredCount() throws Exception {
    Recorder r = new Recorder();
    r.answer = attempt -> RunResult.Outcome.FAILED;
    Scheduler s = scheduler(r, Runnable::run, schedule("backup", JobKind.BACKUP, "0 0 2 * * *", false, 1));
    s.start();
    clock.set("2026-11-20T02:00:00Z");
    s.tick();
    clock.set("2026-11-20T03:00:00Z");
    s.tick();
    s.tick();
    assertThat(r.runs).hasSize(2);
    assertThat(s.status().get(0).retryAt()).isNull();
    assertThat(retrying).containsExactly("backup 1: target refused; retry 1 of 1 at 2026-11-20T02:01:00Z");
    assertThat(failures).as("one notification, for the last attempt")
        .containsExactly("backup 2: target refused (attempt 2 of 2, no retry left)");
  }

  @Test
  void runWithSkippedItemsIsNotifiedButNotRetried() throws Exception {
    Recorder r = new Recorder();
    r.answer = attempt -> RunResult.Outcome.PARTIAL;
    Scheduler s = scheduler(r, Runnable::run, schedule("archive-ingest", JobKind.ARCHIVE_INGEST, "0 0 2 * * *", false, 3));
    s.start();
    clock.set("2026-11-20T02:00:00Z");
    s.tick();
    assertThat(failures).containsExactly("archive-ingest 1: target refused");
    assertThat(s.status().get(0).retryAt()).isNull();
  }

  @Test
  void interruptedExecutionIsRestartedAtStartAndItsJobIsNotAlsoCaughtUp() throws Exception {
    new FireTimes(dir.resolve("fire-times.properties")).fired("backup", Instant.parse("2026-11-19T02:00:00Z"));
    clock.set("2026-11-20T08:00:00Z");
    Recorder r = new Recorder();
    r.interrupted.add(new JobRunner.Interrupted(JobKind.BACKUP, 7, Instant.parse("2026-11-20T02:00:01Z")));
    List<Runnable> queued = new ArrayList<>();
    Scheduler s = scheduler(r, queued::add, schedule("backup", JobKind.BACKUP, "0 0 2 * * *", true, 0));
    s.start();
    assertThat(queued).hasSize(1); // the restart only: the catch-up of the same job is not run beside it
    assertThat(s.status().get(0).note()).contains("backup was still running");
    queued.get(0).run();
    assertThat(r.restarted).containsExactly(7L);
    assertThat(r.runs).isEmpty();
    assertThat(s.running()).isEmpty();
  }

  static void waitFor(java.util.function.BooleanSupplier condition) throws InterruptedException {
    long end = System.currentTimeMillis() + 30_000; // generous: CI machines run other builds beside us
    while (!condition.getAsBoolean() && System.currentTimeMillis() < end) {
      Thread.sleep(10);
    }
    assertThat(condition.getAsBoolean()).isTrue();
  }
}
