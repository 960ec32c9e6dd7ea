package io.mailops.jobs.daemon;

import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.Executor;

/**
 * Fires the schedules: {@link #tick()} (the daemon calls it every second) starts each run whose time
 * has come on the executor, never a second run of a job that is still running (the time is skipped
 * and noted), retries a failed run after its back-off (only the last failed attempt is a
 * {@link DaemonEvents#jobFailed}; the ones before are {@link DaemonEvents#jobRetrying}), and at
 * {@link #start()} restarts executions a dead daemon left running and runs once what was missed
 * while the daemon was down ({@code catch-up: true}). Time comes from the injected {@link Clock} only. Thread-safe.
 */
public final class Scheduler {

  /**
   * What {@code mailops daemon status} and {@code /health} show of one schedule.
   *
   * @param next the next scheduled time (null: never, or disabled)
   * @param runningSince when the current run started, or null
   * @param retryAt when the pending retry runs, or null
   * @param last how the last run ended, or null
   * @param note the last thing worth telling (a skipped time), or empty
   */
  public record Status(Schedule schedule, Instant next, Instant runningSince, Instant retryAt,
      RunResult last, String note) {}

  /** Told after every change of a schedule's status (to rewrite the status file). */
  public interface Listener {
    void changed();
  }

  private static final class Entry {
    Schedule schedule;
    Instant next;
    Instant runningSince;
    Instant retryAt;
    int attempt;
    RunResult last;
    String note = "";

    Entry(Schedule s) {
      schedule = s;
    }
  }

  private final JobRunner runner;
  private final FireTimes fireTimes;
  private final Clock clock;
  private final DaemonEvents events;
  private final Executor pool;
  private final Map<String, Entry> entries = new LinkedHashMap<>();
  private final Set<String> runningJobs = new HashSet<>();
  private Listener listener = () -> { };
  private boolean stopping;

  /** A scheduler of {@code schedules}; nothing fires before {@link #start()}. */
  public Scheduler(List<Schedule> schedules, JobRunner runner, FireTimes fireTimes, Clock clock,
      DaemonEvents events, Executor pool) {
    this.runner = runner;
    this.fireTimes = fireTimes;
    this.clock = clock;
    this.events = events;
    this.pool = pool;
    for (Schedule s : schedules) {
      entries.put(s.name(), new Entry(s));
    }
  }

  /** Sets who is told about changes. */
  public synchronized void listener(Listener l) {
    listener = l;
  }

  /**
   * Restarts the interrupted executions the runner finds, runs the missed times of the schedules with
   * catch-up, and computes every next time.
   */
  public synchronized void start() throws IOException {
    Instant now = clock.instant();
    for (JobRunner.Interrupted i : runner.interrupted()) {
      if (runningJobs.add(i.job().jobName())) {
        submit(null, i.job(), () -> runner.restart(i));
      }
    }
    for (Entry e : entries.values()) {
      Schedule s = e.schedule;
      e.next = s.enabled() ? s.next(now) : null;
      if (!s.enabled()) {
        continue;
      }
      Instant last = fireTimes.last(s.name());
      if (last == null) {
        fireTimes.fired(s.name(), now); // the baseline: times after this one count as missed
        continue;
      }
      Instant missed = s.next(last);
      if (missed == null || missed.isAfter(now)) {
        continue;
      }
      if (!s.catchUp()) {
        e.note = "missed " + missed + " while the daemon was down (catch-up: false)";
        fireTimes.fired(s.name(), now);
        continue;
      }
      fireTimes.fired(s.name(), now); // one run makes up for every time missed
      launch(e, now, "catch-up of " + missed);
    }
    listener.changed();
  }

  /** Starts what is due now: scheduled times and retries. */
  public synchronized void tick() {
    if (stopping) {
      return;
    }
    Instant now = clock.instant();
    boolean changed = false;
    for (Entry e : entries.values()) {
      if (!e.schedule.enabled()) {
        continue;
      }
      if (e.retryAt != null && !now.isBefore(e.retryAt) && e.runningSince == null) {
        Instant due = e.retryAt;
        e.retryAt = null;
        if (launch(e, now, "retry " + e.attempt + " of " + e.schedule.retries())) {
          changed = true;
        } else {
          e.retryAt = due; // another schedule of the job runs: retry when it is done
        }
      }
      if (e.next != null && !now.isBefore(e.next)) {
        Instant slot = e.next;
        e.next = e.schedule.next(now);
        fireTimes.fired(e.schedule.name(), slot);
        e.attempt = 0;
        e.retryAt = null;
        launch(e, slot, "");
        changed = true;
      }
    }
    if (changed) {
      listener.changed();
    }
  }

  /** Starts {@code e}'s job for {@code slot} unless its job runs; returns whether it started. */
  private boolean launch(Entry e, Instant slot, String why) {
    String job = e.schedule.job().jobName();
    if (!runningJobs.add(job)) {
      e.note = "skipped " + slot + ": " + job + " was still running" + (why.isEmpty() ? "" : " (" + why + ")");
      return false;
    }
    e.runningSince = clock.instant();
    e.note = why;
    int attempt = e.attempt;
    submit(e, e.schedule.job(), () -> runner.run(e.schedule, slot, attempt));
    return true;
  }

  private void submit(Entry e, JobKind job, Callable<RunResult> run) {
    pool.execute(() -> {
      RunResult r;
      try {
        r = run.call();
      } catch (InterruptedException ex) {
        Thread.currentThread().interrupt();
        r = new RunResult(-1, RunResult.Outcome.STOPPED, "interrupted by the daemon's shutdown", clock.instant());
      } catch (Exception | LinkageError ex) {
        r = new RunResult(-1, RunResult.Outcome.FAILED, String.valueOf(ex.getMessage()), clock.instant());
      }
      finished(e, job, r);
    });
  }

  private void finished(Entry e, JobKind job, RunResult r) {
    Listener l;
    synchronized (this) {
      runningJobs.remove(job.jobName());
      if (r.outcome() == RunResult.Outcome.FAILED || r.outcome() == RunResult.Outcome.PARTIAL) {
        if (e != null && r.outcome() == RunResult.Outcome.FAILED && e.attempt < e.schedule.retries() && !stopping) {
          e.attempt++;
          e.retryAt = clock.instant().plus(e.schedule.backoff(e.attempt));
          events.jobRetrying(job.jobName(), r.executionId(), r.reason() + "; retry " + e.attempt + " of "
              + e.schedule.retries() + " at " + e.retryAt);
        } else {
          String after = e != null && e.attempt > 0 && r.outcome() == RunResult.Outcome.FAILED ? " (attempt " + (e.attempt + 1) + " of "
              + (e.schedule.retries() + 1) + ", no retry left)" : "";
          if (e != null) {
            e.attempt = 0;
          }
          events.jobFailed(job.jobName(), r.executionId(), r.reason() + after);
        }
      } else if (e != null && r.outcome() != RunResult.Outcome.LOCKED) {
        e.attempt = 0;
      }
      if (e != null) {
        e.runningSince = null;
        e.last = r;
        if (r.outcome() == RunResult.Outcome.LOCKED) {
          e.note = r.reason();
        }
      }
      notifyAll();
      l = listener;
    }
    l.changed();
  }

  /** Every schedule's status, in configuration order. */
  public synchronized List<Status> status() {
    List<Status> out = new ArrayList<>();
    for (Entry e : entries.values()) {
      out.add(new Status(e.schedule, e.next, e.runningSince, e.retryAt, e.last, e.note));
    }
    return out;
  }

  /** The jobs running now (restarts of interrupted executions included). */
  public synchronized Set<String> running() {
    return Set.copyOf(runningJobs);
  }

  /**
   * Replaces the schedules (SIGHUP). A schedule that keeps its name keeps its last result and any run in
   * progress; new ones start counting from now (no catch-up).
   */
  public synchronized void replace(List<Schedule> schedules) {
    Instant now = clock.instant();
    Map<String, Entry> old = new LinkedHashMap<>(entries);
    entries.clear();
    for (Schedule s : schedules) {
      Entry e = old.containsKey(s.name()) ? old.get(s.name()) : new Entry(s);
      e.schedule = s;
      e.next = s.enabled() ? s.next(now) : null;
      if (!s.enabled()) {
        e.retryAt = null;
      }
      entries.put(s.name(), e);
      if (fireTimes.last(s.name()) == null) {
        fireTimes.fired(s.name(), now);
      }
    }
    listener.changed();
  }

  /** Starts nothing more from now on. */
  public synchronized void stop() {
    stopping = true;
  }

  /** Waits until no job runs, at most {@code millis}; returns whether none runs. */
  public synchronized boolean awaitIdle(long millis) throws InterruptedException {
    long end = System.currentTimeMillis() + millis;
    while (!runningJobs.isEmpty()) {
      long left = end - System.currentTimeMillis();
      if (left <= 0) {
        return false;
      }
      wait(left);
    }
    return true;
  }
}
