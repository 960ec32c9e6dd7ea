package io.mailops.reporting;

import java.io.IOException;

/**
 * The root exception of the reporting module: an input (a log file, a sample store) could not be
 * read. The message names the input and what to do.
 */
public class ReportingException extends IOException {

  private static final long serialVersionUID = 1L;

  /** An exception with a message that names the input and the next action. */
  public ReportingException(String message, Throwable cause) {
    super(message, cause);
  }
}
