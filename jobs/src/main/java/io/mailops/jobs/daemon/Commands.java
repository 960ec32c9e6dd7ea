package io.mailops.jobs.daemon;

import java.io.PrintWriter;
import java.util.List;

/**
 * Runs a {@code mailops} command in this process, as the command line would but without taking the
 * command's job lock (the daemon holds it). Thread-safe: each call parses its own arguments.
 */
@FunctionalInterface
public interface Commands {

  /** Runs {@code ENTITY ACTION ARGS…}; returns the command's exit code (0 done, 1 failed, 2 usage, 3 partial). */
  int run(PrintWriter out, PrintWriter err, List<String> args);
}
