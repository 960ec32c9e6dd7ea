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
 * @param rules what the comparison expected ({@link #rules(Migrator.Options)}): a change of the
 *     dedupe mode or of {@code --include-deleted} makes the folder be compared again
 * @param source the source folder's status before the comparison
 * @param target the target folder's status before the comparison
 */
public record VerifiedFolder(FolderPath targetFolder, String rules, FolderStatus source,
    FolderStatus target) {

  public VerifiedFolder {
    Objects.requireNonNull(targetFolder, "targetFolder");
    Objects.requireNonNull(rules, "rules");
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(target, "target");
  }

  /** The rules of a comparison under {@code options}, as kept: e.g. {@code HEADERS,-deleted}. */
  public static String rules(Migrator.Options options) {
    return options.mode() + (options.includeDeleted() ? ",+deleted" : ",-deleted");
  }

  /**
   * True when {@code to} is the same target folder, compared under the same {@code rules}, and
   * both statuses are unchanged; statuses without HIGHESTMODSEQ never match (a flag change could
   * not be seen).
   */
  public boolean unchanged(FolderPath to, String rulesNow, FolderStatus sourceNow,
      FolderStatus targetNow) {
    return targetFolder.equals(to) && rules.equals(rulesNow) && source.equals(sourceNow)
        && target.equals(targetNow) && source.highestModSeq() >= 0 && target.highestModSeq() >= 0;
  }
}
