package io.mailops.jobs.daemon;

import java.io.PrintWriter;
import java.time.Clock;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;

/** {@link DaemonEvents} as timestamped lines on a writer (the daemon's log: stderr under systemd). */
public final class LoggingDaemonEvents implements DaemonEvents {

  private final PrintWriter log;
  private final Clock clock;

  /** Lines go to {@code log}, stamped with {@code clock}'s time. */
  public LoggingDaemonEvents(PrintWriter log, Clock clock) {
    this.log = log;
    this.clock = clock;
  }

  @Override
  public void started() {
    line("daemon started");
  }

  @Override
  public void reloaded() {
    line("schedules and settings reloaded");
  }

  @Override
  public void shutdown() {
    line("daemon stopping");
  }

  @Override
  public void jobFailed(String job, long executionId, String reason) {
    line("job " + job + (executionId >= 0 ? " (execution " + executionId + ")" : "") + " failed: " + reason);
  }

  @Override
  public void jobRetrying(String job, long executionId, String reason) {
    line("job " + job + (executionId >= 0 ? " (execution " + executionId + ")" : "") + " failed, will retry: " + reason);
  }

  private void line(String s) {
    synchronized (log) {
      log.println(DateTimeFormatter.ISO_INSTANT.format(clock.instant().truncatedTo(ChronoUnit.SECONDS))
          + " mailops daemon: " + s);
      log.flush();
    }
  }
}
