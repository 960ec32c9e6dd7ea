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
   * A run of {@code job} failed, or ended with skipped items.
   *
   * @param executionId its job execution, or -1 if none was created
   * @param reason one line
   */
  void jobFailed(String job, long executionId, String reason);
}
