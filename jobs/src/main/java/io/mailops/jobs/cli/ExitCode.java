package io.mailops.jobs.cli;

/** The exit codes every mailops command uses. */
public final class ExitCode {

  /** Done. */
  public static final int OK = 0;
  /** Failed; the error line says what and how to fix it. */
  public static final int FAILED = 1;
  /** Bad usage: unknown command or option, or an invalid value. */
  public static final int USAGE = 2;
  /** Finished, but some items were skipped; they are listed. */
  public static final int PARTIAL = 3;

  private ExitCode() {}
}
