package io.mailops.jobs.daemon;

import java.time.Instant;

/**
 * How one run of a scheduled job ended.
 *
 * @param executionId the job execution in the repository, or -1 when none was created (the run
 *     was refused before it started)
 * @param outcome what happened
 * @param reason why, for a run that did not complete cleanly; empty otherwise
 * @param finished when it ended
 */
public record RunResult(long executionId, Outcome outcome, String reason, Instant finished) {

  /** The end of a run, from the scheduler's point of view. */
  public enum Outcome {
    /** Done. */
    COMPLETED,
    /** Done, but items were skipped (exit code 3 of the command): notified, not retried. */
    PARTIAL,
    /** Failed: notified, retried per the schedule's policy. */
    FAILED,
    /** Not started: another run of the same job holds its lock (this or another process). */
    LOCKED,
    /** Stopped by a daemon shutdown; restarts at the next daemon start. */
    STOPPED
  }

  /** Null reasons become empty. */
  public RunResult {
    reason = reason == null ? "" : reason;
  }
}
