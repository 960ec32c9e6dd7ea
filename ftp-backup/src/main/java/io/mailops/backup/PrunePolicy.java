package io.mailops.backup;

/**
 * How many sets {@link Prune} keeps per scope, with restic {@code forget} semantics: for each
 * period, the newest set in each of the last {@code N} days / ISO weeks / months (UTC) that have a
 * set. A set may be kept for several periods at once; the newest set of each scope is always
 * kept, and so is every set a kept set depends on.
 *
 * @param keepDaily days to keep the newest set of ({@code --keep-daily})
 * @param keepWeekly ISO weeks to keep the newest set of ({@code --keep-weekly})
 * @param keepMonthly months to keep the newest set of ({@code --keep-monthly})
 */
public record PrunePolicy(int keepDaily, int keepWeekly, int keepMonthly) {

  /**
   * Validates the counts.
   *
   * @throws IllegalArgumentException if a count is negative or all are 0
   */
  public PrunePolicy {
    if (keepDaily < 0 || keepWeekly < 0 || keepMonthly < 0) {
      throw new IllegalArgumentException("keep counts must not be negative, got --keep-daily "
          + keepDaily + " --keep-weekly " + keepWeekly + " --keep-monthly " + keepMonthly);
    }
    if (keepDaily == 0 && keepWeekly == 0 && keepMonthly == 0) {
      throw new IllegalArgumentException("give at least one --keep-* above 0");
    }
  }

  @Override
  public String toString() {
    return "--keep-daily " + keepDaily + " --keep-weekly " + keepWeekly + " --keep-monthly "
        + keepMonthly;
  }
}
