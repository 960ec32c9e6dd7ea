package io.mailops.jobs.daemon;

/**
 * What the daemon tells the outside world (the log; SNMP notifications). Called from the daemon's
 * threads, possibly at the same time: implementations are thread-safe and return quickly; a failure to
 * notify is theirs to report, never thrown.
 */
public interface DaemonEvents {

  /** The daemon is up: schedules read, jobs scheduled. */
  void started();

  /** Schedules and settings were re-read (SIGHUP). */
  void reloaded();

  /** The daemon is stopping (SIGTERM); running jobs were asked to stop. */
  void shutdown();

  /**
   * A run of {@code job} failed and will be retried: logged, not notified (the notification is for
   * the last attempt, {@link #jobFailed}). Does nothing unless overridden.
   *
   * @param executionId its job execution, or -1 if none was created
   * @param reason one line, with the retry's number and time
   */
  default void jobRetrying(String job, long executionId, String reason) { }

  /**
   * A run of {@code job} failed for good (its last attempt, or a run with no retry left), or ended
   * with skipped items.
   *
   * @param executionId its job execution, or -1 if none was created
   * @param reason one line
   */
  void jobFailed(String job, long executionId, String reason);
}
