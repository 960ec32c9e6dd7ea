package io.mailops.backup;

import java.util.List;

/**
 * The summary of a backup run: the set written, its parent ({@code null} for a full set), how
 * many folders and messages it covers, how many messages and bytes were read from the store and
 * written to tars, how many stayed where an earlier set holds them, and what was skipped
 * ("subject: reason", shown in reports and exit code 3).
 */
public record BackupResult(SetId set, String parent, int folders, int messages, int written,
    long bytesWritten, int unchanged, List<String> skipped) {

  public BackupResult {
    skipped = List.copyOf(skipped);
  }

  /** Whether something was left out. */
  public boolean partial() {
    return !skipped.isEmpty();
  }
}
