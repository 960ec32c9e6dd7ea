package io.mailops.backup;

import java.util.List;

/**
 * Restart state of a backup run: the set being written and the folders already complete in it
 * (their tar, control files and manifest are on the target). Hand it back to
 * {@link Backup#run} to finish an interrupted run without writing those folders again. Immutable.
 */
public record BackupProgress(String set, List<FolderEntry> completed) {

  public BackupProgress {
    SetId.parse(set);
    completed = completed == null ? List.of() : List.copyOf(completed);
  }
}
