package io.mailops.migrator;

import io.mailops.storage.model.FolderPath;
import java.util.List;
import java.util.Optional;

/** Decides where a source folder goes on the target; empty = not migrated (excluded). */
@FunctionalInterface
public interface FolderNamer {

  /** Every folder to its own path. */
  FolderNamer IDENTITY = (folder, targetFolders) -> Optional.of(folder.path());

  /** The target path of {@code folder}, given the folders the target account already has. */
  Optional<FolderPath> targetFolder(SourceFolder folder, List<FolderPath> targetFolders);

  /**
   * {@link #targetFolder(SourceFolder, List)} knowing the special-use attributes both sides
   * gave; a namer that does not use them (the default) ignores {@code uses}.
   */
  default Optional<FolderPath> targetFolder(SourceFolder folder, List<FolderPath> targetFolders,
      SpecialUses uses) {
    return targetFolder(folder, targetFolders);
  }
}
