package io.mailops.backup;

import java.util.List;

/**
 * The outcome of {@link Verify}: the set, whether it was a deep check, how many files and
 * messages were checked, and the problems found, each naming the file and what to do. The set
 * is good when there are no problems.
 */
public record VerifyReport(String set, boolean deep, int files, int messages, List<String> problems) {

  public VerifyReport {
    problems = List.copyOf(problems);
  }

  public boolean ok() {
    return problems.isEmpty();
  }
}
