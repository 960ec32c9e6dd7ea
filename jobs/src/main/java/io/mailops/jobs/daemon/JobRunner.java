package io.mailops.jobs.daemon;

import java.io.IOException;
import java.time.Instant;
import java.util.List;

/**
 * Runs the jobs the {@link Scheduler} fires. Implementations are called from several threads at
 * once, for different jobs; the scheduler never runs two runs of one job at a time in this process
 * and the implementation refuses ({@link RunResult.Outcome#LOCKED}) a run whose job another process
 * runs.
 */
public interface JobRunner {

  /**
   * An execution left running in the job repository by a process that died.
   *
   * @param job the job
   * @param executionId its execution
   * @param started when it started, or null
   */
  record Interrupted(JobKind job, long executionId, Instant started) {}

  /**
   * Runs {@code schedule}'s job for its time {@code slot}; {@code attempt} is 0 for the scheduled run
   * and counts the retries. Returns when the run has ended; never throws for a failed run (that is a
   * {@link RunResult.Outcome#FAILED} result).
   */
  RunResult run(Schedule schedule, Instant slot, int attempt) throws InterruptedException;

  /**
   * Executions of the daemon's jobs whose job lock nobody holds and that are still marked running (their
   * process died) or were stopped (by a daemon shutdown): they are to be restarted. Empty when there are none.
   */
  List<Interrupted> interrupted() throws IOException;

  /**
   * Marks {@code execution} failed if it is still marked running, and restarts it from where it stopped (a Spring Batch restart of the
   * same job instance); returns when the restart has ended.
   */
  RunResult restart(Interrupted execution) throws InterruptedException;
}
