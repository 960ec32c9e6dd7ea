package io.mailops.backup;

import java.util.List;

/**
 * The summary of a restore: messages appended, messages left out because the target folder
 * already held the same bytes (SHA-256), control files restored (only into empty accounts),
 * and what was skipped ("subject: reason").
 */
public record RestoreResult(int restored, int duplicates, int controlFiles, List<String> skipped) {

  public RestoreResult {
    skipped = List.copyOf(skipped);
  }
}
