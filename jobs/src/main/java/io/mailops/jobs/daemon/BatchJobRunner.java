package io.mailops.jobs.daemon;

import io.mailops.jobs.batch.JobLock;
import io.mailops.jobs.batch.StopRequest;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import javax.sql.DataSource;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.ExitStatus;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.JobInstance;
import org.springframework.batch.core.job.builder.JobBuilder;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.job.parameters.JobParametersBuilder;
import org.springframework.batch.core.launch.JobOperator;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.core.step.builder.StepBuilder;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;
import org.springframework.batch.infrastructure.support.transaction.ResourcelessTransactionManager;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Runs scheduled jobs as Spring Batch job executions in the daemon's job repository, each under its
 * job lock ({@code $MAILOPS_HOME/locks/<job>.lock}, the lock the command line takes too). The
 * {@code backup} job runs through {@code mailops backup run} (which starts the batch job
 * {@code backup}); every other job is a one-step job of its own name whose tasklet runs the command
 * named by the job parameter {@code command}. Restarting an execution re-launches its job instance
 * with the same parameters: a Spring Batch restart, which for {@code backup} continues its set from
 * the checkpoint (ADR 0005). Thread-safe.
 */
public final class BatchJobRunner implements JobRunner {

  /** The exit description the daemon gives executions it stopped at shutdown; they restart at the next start. */
  public static final String STOPPED_BY_DAEMON = "stopped by the daemon's shutdown; restarts at the next daemon start";

  private static final char SEP = '\u001f';

  private final JobRepository repo;
  private final JdbcTemplate jdbc;
  private final JobOperator operator;
  private final Commands commands;
  private final Path home;
  private final Clock clock;
  private final PrintWriter log;
  private final Map<JobKind, Job> jobs = new EnumMap<>(JobKind.class);

  /**
   * A runner on {@code repo} (whose tables are in {@code db}); {@code backupJob} is the batch job
   * {@code backup}, {@code commands} runs the command line in this process, {@code log} gets the
   * commands' output prefixed by job name.
   */
  public BatchJobRunner(JobRepository repo, DataSource db, JobOperator operator, Job backupJob, Commands commands,
      Path home, Clock clock, PrintWriter log) {
    this.repo = repo;
    this.jdbc = new JdbcTemplate(db);
    this.operator = operator;
    this.commands = commands;
    this.home = home;
    this.clock = clock;
    this.log = log;
    for (JobKind k : JobKind.values()) {
      jobs.put(k, k.batchJob() ? backupJob : wrapper(k));
    }
  }

  private Job wrapper(JobKind kind) {
    return new JobBuilder(kind.jobName(), repo)
        .start(new StepBuilder(kind.jobName(), repo).tasklet((contribution, chunk) -> {
          JobParameters p = chunk.getStepContext().getStepExecution().getJobParameters();
          List<String> args = Arrays.asList(p.getString("command", "").split(String.valueOf(SEP)));
          Ran r = command(kind, args);
          if (kind.stopsOnRequest() && StopRequest.raised() && r.code != 1 && r.code != 2) {
            // it stopped at its next safe point: STOPPED, restarted at the next daemon start
            contribution.setExitStatus(new ExitStatus(ExitStatus.STOPPED.getExitCode(), STOPPED_BY_DAEMON));
            chunk.getStepContext().getStepExecution().setTerminateOnly();
          } else if (r.code == 3) {
            contribution.setExitStatus(new ExitStatus("PARTIAL", r.reason));
          } else if (r.code != 0) {
            throw new ScheduledCommandException(r.reason);
          }
          return RepeatStatus.FINISHED;
        }, new ResourcelessTransactionManager()).build())
        .build();
  }

  /** Why a wrapped command failed: its error line. */
  static final class ScheduledCommandException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    ScheduledCommandException(String message) {
      super(message);
    }
  }

  private record Ran(int code, String reason) {}

  /** Runs the command, copies its output to the log, and keeps its last error line as the reason. */
  private Ran command(JobKind kind, List<String> args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = commands.run(new PrintWriter(out), new PrintWriter(err), args);
    String prefix = "[" + kind.jobName() + "] ";
    synchronized (log) {
      out.toString().lines().forEach(l -> log.println(prefix + l));
      err.toString().lines().forEach(l -> log.println(prefix + l));
      log.flush();
    }
    List<String> lines = err.toString().lines().filter(l -> !l.isBlank()).toList();
    String reason = lines.stream().filter(l -> l.startsWith("mailops: ")).reduce((a, b) -> b)
        .orElse(lines.isEmpty() ? "exit code " + code : lines.get(lines.size() - 1));
    if (code == 3 && lines.isEmpty()) {
      reason = "finished with skipped items (exit code 3)";
    }
    return new Ran(code, reason.startsWith("mailops: ") ? reason.substring(9) : reason);
  }

  @Override
  public RunResult run(Schedule schedule, Instant slot, int attempt) {
    JobKind kind = schedule.job();
    try (JobLock lock = JobLock.tryAcquire(JobLock.file(home, kind.jobName()))) {
      if (lock == null) {
        return locked(kind);
      }
      if (kind.batchJob()) {
        return backup(schedule);
      }
      JobParameters p = new JobParametersBuilder()
          .addString("schedule", schedule.name(), true)
          .addString("slot", slot.toString(), true)
          .addLong("attempt", (long) attempt, true)
          .addString("command", String.join(String.valueOf(SEP), schedule.commandLine()), false)
          .toJobParameters();
      return result(operator.start(jobs.get(kind), p));
    } catch (Exception e) {
      return new RunResult(-1, RunResult.Outcome.FAILED, message(e), clock.instant());
    }
  }

  /** {@code backup run} as the command line runs it; the execution it created is the newest of {@code backup}. */
  private RunResult backup(Schedule schedule) {
    LocalDateTime before = LocalDateTime.now(clock.withZone(ZoneId.systemDefault())).minusSeconds(1);
    Ran r = command(JobKind.BACKUP, schedule.commandLine());
    long id = -1;
    List<JobInstance> newest = repo.getJobInstances(JobKind.BACKUP.jobName(), 0, 1);
    if (!newest.isEmpty()) {
      JobExecution e = repo.getLastJobExecution(newest.get(0));
      if (e != null && e.getCreateTime() != null && !e.getCreateTime().isBefore(before)) {
        id = e.getId();
      }
    }
    JobExecution e = id < 0 ? null : repo.getJobExecution(id);
    if (e != null && e.getStatus() == BatchStatus.STOPPED) {
      return result(e);
    }
    RunResult.Outcome o = switch (r.code) {
      case 0 -> RunResult.Outcome.COMPLETED;
      case 3 -> RunResult.Outcome.PARTIAL;
      default -> RunResult.Outcome.FAILED;
    };
    return new RunResult(id, o, o == RunResult.Outcome.COMPLETED ? "" : r.reason, clock.instant());
  }

  @Override
  public List<Interrupted> interrupted() throws IOException {
    List<Interrupted> out = new ArrayList<>();
    for (JobKind k : JobKind.values()) {
      if (JobLock.held(JobLock.file(home, k.jobName()))) {
        continue; // a live process runs it
      }
      for (JobInstance i : repo.getJobInstances(k.jobName(), 0, 20)) {
        JobExecution e = repo.getLastJobExecution(i);
        if (e != null && (e.getStatus().isRunning() || e.getStatus() == BatchStatus.STOPPED)) {
          out.add(new Interrupted(k, e.getId(), e.getStartTime() == null ? null
              : e.getStartTime().atZone(ZoneId.systemDefault()).toInstant()));
        }
      }
    }
    return out;
  }

  @Override
  public RunResult restart(Interrupted i) {
    try (JobLock lock = JobLock.tryAcquire(JobLock.file(home, i.job().jobName()))) {
      if (lock == null) {
        return locked(i.job());
      }
      JobExecution e = repo.getJobExecution(i.executionId());
      if (e == null) {
        return new RunResult(-1, RunResult.Outcome.FAILED, "execution " + i.executionId() + " is gone", clock.instant());
      }
      if (e.getStatus().isRunning()) {
        markFailed(e, "the process running it died; restarted by the daemon");
      } else {
        settleSteps(e); // steps a stop left running would make the restart look like a second run
      }
      synchronized (log) {
        log.println("[" + i.job().jobName() + "] restarting interrupted execution " + e.getId());
        log.flush();
      }
      JobExecution next = operator.start(jobs.get(i.job()), e.getJobParameters());
      String set = next.getStepExecutions().stream().map(st -> st.getExecutionContext().getString("set", null))
          .filter(Objects::nonNull).findFirst().map(v -> ", set " + v).orElse("");
      synchronized (log) {
        log.println("[" + i.job().jobName() + "] execution " + next.getId() + " (restart of " + e.getId() + "): "
            + next.getStatus() + " (" + next.getExitStatus().getExitCode() + set + ")");
        log.flush();
      }
      return result(next);
    } catch (Exception ex) {
      return new RunResult(i.executionId(), RunResult.Outcome.FAILED, message(ex), clock.instant());
    }
  }

  /** Asks the running executions of {@code jobNames} to stop (STOPPING): chunk steps end after their chunk. */
  public void requestStop(Set<String> jobNames) {
    for (JobExecution e : running(jobNames)) {
      try {
        operator.stop(e);
      } catch (Exception ex) {
        // not stoppable through this operator (backup runs in its command's own context): markStopped does it
      }
    }
  }

  /**
   * Marks the executions of {@code jobNames} still running STOPPED with {@link #STOPPED_BY_DAEMON}:
   * they restart at the next daemon start. Returns the ids of those it marked.
   */
  public List<Long> markStopped(Set<String> jobNames) {
    return markStopped(running(jobNames));
  }

  /**
   * Marks each of {@code seen} STOPPED with {@link #STOPPED_BY_DAEMON} if the repository still has it
   * running (STARTING, STARTED or STOPPING, no end time): one conditional UPDATE each, so an execution
   * that completed (or failed) since {@code seen} was read keeps its own end. Only the job execution
   * row is written: a step thread that is still finishing then updates its own step without a version
   * conflict, and the restart at the next start settles steps left running ({@link #restart}). Returns
   * the ids it marked.
   */
  List<Long> markStopped(List<JobExecution> seen) {
    List<Long> marked = new ArrayList<>();
    for (JobExecution e : seen) {
      Timestamp now = Timestamp.valueOf(LocalDateTime.now());
      int n = jdbc.update("UPDATE BATCH_JOB_EXECUTION SET STATUS = ?, EXIT_CODE = ?, EXIT_MESSAGE = ?, END_TIME = ?,"
          + " LAST_UPDATED = ?, VERSION = VERSION + 1 WHERE JOB_EXECUTION_ID = ? AND END_TIME IS NULL"
          + " AND STATUS IN ('STARTING', 'STARTED', 'STOPPING')", BatchStatus.STOPPED.name(),
          ExitStatus.STOPPED.getExitCode(), STOPPED_BY_DAEMON, now, now, e.getId());
      if (n == 1) {
        marked.add(e.getId());
      }
    }
    return marked;
  }

  /** The last executions of {@code jobNames} that are still running. */
  List<JobExecution> running(Set<String> jobNames) {
    List<JobExecution> out = new ArrayList<>();
    for (String name : jobNames) {
      for (JobInstance i : repo.getJobInstances(name, 0, 5)) {
        JobExecution e = repo.getLastJobExecution(i);
        if (e != null && e.getStatus().isRunning()) {
          out.add(e);
        }
      }
    }
    return out;
  }

  private void settleSteps(JobExecution e) {
    for (StepExecution s : e.getStepExecutions()) {
      if (s.getStatus().isRunning()) {
        s.setStatus(e.getStatus());
        s.setExitStatus(e.getExitStatus());
        s.setEndTime(e.getEndTime() != null ? e.getEndTime() : LocalDateTime.now());
        repo.update(s);
      }
    }
  }

  private void markFailed(JobExecution e, String why) {
    for (StepExecution s : e.getStepExecutions()) {
      if (s.getStatus().isRunning()) {
        s.setStatus(BatchStatus.FAILED);
        s.setExitStatus(ExitStatus.FAILED.addExitDescription(why));
        s.setEndTime(LocalDateTime.now());
        repo.update(s);
      }
    }
    e.setStatus(BatchStatus.FAILED);
    e.setExitStatus(new ExitStatus(ExitStatus.FAILED.getExitCode(), why));
    e.setEndTime(LocalDateTime.now());
    repo.update(e);
  }

  private RunResult result(JobExecution e) {
    Instant end = clock.instant();
    if (e.getStatus() == BatchStatus.COMPLETED) {
      return "PARTIAL".equals(e.getExitStatus().getExitCode())
          ? new RunResult(e.getId(), RunResult.Outcome.PARTIAL, e.getExitStatus().getExitDescription(), end)
          : new RunResult(e.getId(), RunResult.Outcome.COMPLETED, "", end);
    }
    if (e.getStatus() == BatchStatus.STOPPED) {
      if (StopRequest.raised() && !STOPPED_BY_DAEMON.equals(e.getExitStatus().getExitDescription())) {
        describeStopped(e);
      }
      return new RunResult(e.getId(), RunResult.Outcome.STOPPED, STOPPED_BY_DAEMON, end);
    }
    String reason = e.getAllFailureExceptions().isEmpty() ? e.getExitStatus().getExitDescription()
        : message(e.getAllFailureExceptions().get(0));
    return new RunResult(e.getId(), RunResult.Outcome.FAILED, reason, end);
  }

  /**
   * An execution that stopped itself at the daemon's request (Spring Batch describes it by its
   * JobInterruptedException) gets {@link #STOPPED_BY_DAEMON}, as {@link #markStopped} gives it.
   */
  private void describeStopped(JobExecution e) {
    jdbc.update("UPDATE BATCH_JOB_EXECUTION SET EXIT_MESSAGE = ? WHERE JOB_EXECUTION_ID = ? AND STATUS = ?",
        STOPPED_BY_DAEMON, e.getId(), BatchStatus.STOPPED.name());
    e.setExitStatus(new ExitStatus(ExitStatus.STOPPED.getExitCode(), STOPPED_BY_DAEMON));
  }

  private RunResult locked(JobKind kind) {
    return new RunResult(-1, RunResult.Outcome.LOCKED, "not started: another run of " + kind.jobName()
        + " holds " + JobLock.file(home, kind.jobName()), clock.instant());
  }

  private static String message(Throwable t) {
    while ((t.getMessage() == null || t.getMessage().isBlank()) && t.getCause() != null) {
      t = t.getCause();
    }
    String m = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    return m.lines().findFirst().orElse(m);
  }
}
