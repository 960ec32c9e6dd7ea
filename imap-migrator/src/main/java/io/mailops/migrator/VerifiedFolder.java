package io.mailops.migrator;

import io.mailops.storage.model.FolderPath;
import java.util.Objects;

/**
 * A source folder that {@link MigrationVerify} compared message by message and found complete
 * on its target folder, with both folders' {@link FolderStatus} taken just before the
 * comparison. While both statuses are still the same, neither folder has changed since, so the
 * migration has nothing to copy and the verification can rely on the counts.
 *
 * @param targetFolder the folder it was compared with
 * @param source the source folder's status before the comparison
 * @param target the target folder's status before the comparison
 */
public record VerifiedFolder(FolderPath targetFolder, FolderStatus source, FolderStatus target) {

  public VerifiedFolder {
    Objects.requireNonNull(targetFolder, "targetFolder");
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(target, "target");
  }

  /**
   * True when {@code to} is the same target folder and both statuses are unchanged; statuses
   * without HIGHESTMODSEQ never match (a flag change could not be seen).
   */
  public boolean unchanged(FolderPath to, FolderStatus sourceNow, FolderStatus targetNow) {
    return targetFolder.equals(to) && source.equals(sourceNow) && target.equals(targetNow)
        && source.highestModSeq() >= 0 && target.highestModSeq() >= 0;
  }
}
