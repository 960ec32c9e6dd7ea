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
}
