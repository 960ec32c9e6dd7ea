package io.mailops.storage.check;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * What {@link MaildirRepair} did about one finding: the outcome, where a quarantined file went,
 * and a sentence saying what happened.
 */
public record Action(Finding finding, Outcome outcome, Optional<Path> target, String detail) {

  /** How a repair ended. */
  public enum Outcome {
    /** The file was moved to the quarantine directory. */
    QUARANTINED,
    /** The missing directory was created. */
    CREATED,
    /** The problem went away before the repair (the server renamed, delivered or expunged). */
    GONE,
    /** Left as it is on purpose: reported only. The finding remains. */
    KEPT,
    /** The repair was tried and failed; the detail says why. The finding remains. */
    FAILED;

    /** Whether the finding is dealt with after this outcome. */
    public boolean resolves() {
      return this == QUARANTINED || this == CREATED || this == GONE;
    }
  }

  public Action {
    Objects.requireNonNull(finding, "finding");
    Objects.requireNonNull(outcome, "outcome");
    Objects.requireNonNull(target, "target");
    if (detail == null || detail.isBlank()) {
      throw new IllegalArgumentException("action on " + finding.path() + " needs a detail");
    }
  }
}
