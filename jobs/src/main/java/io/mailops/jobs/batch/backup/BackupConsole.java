package io.mailops.jobs.batch.backup;

import java.time.Clock;

/**
 * Connects a running backup step with whoever started it: the command line sets a progress
 * printer and reads the summary; a restart through {@code mailops jobs restart} leaves both
 * unset. One run at a time per application context.
 */
public final class BackupConsole implements BackupRun.Console {

  private volatile BackupRun.Console printer = BackupRun.Console.NONE;
  private volatile BackupRun.Summary last;
  private volatile Clock clock = Clock.systemUTC();

  /** Where progress goes from now on. */
  public void printTo(BackupRun.Console printer) {
    this.printer = printer;
  }

  /** The clock runs use (tests pin it). */
  public void clock(Clock clock) {
    this.clock = clock;
  }

  Clock clock() {
    return clock;
  }

  @Override
  public void folderDone(int done, int total, String folder) {
    printer.folderDone(done, total, folder);
  }

  void finished(BackupRun.Summary s) {
    last = s;
  }

  /** The summary of the last run that completed in this context, or null. */
  public BackupRun.Summary last() {
    return last;
  }
}
