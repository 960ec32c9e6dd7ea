package io.mailops.jobs.batch;

/**
 * A request to this process's long-running jobs to stop at their next safe point: the daemon raises
 * it at SIGTERM. A backup checks it between folders (it finishes the folders under way, keeps its
 * checkpoint and ends STOPPED), an archive ingest at its group-commit boundaries. Process-wide,
 * because the daemon runs the command line's commands in its own process.
 */
public final class StopRequest {

  private static volatile String reason;

  private StopRequest() {}

  /** Asks the running jobs to stop; {@code why} becomes the exit description of what stops. */
  public static void raise(String why) {
    reason = why;
  }

  /** Whether a stop was asked for. */
  public static boolean raised() {
    return reason != null;
  }

  /** Why, or null when no stop was asked for. */
  public static String reason() {
    return reason;
  }

  /** Withdraws the request (the daemon, once it has stopped). */
  public static void clear() {
    reason = null;
  }
}
