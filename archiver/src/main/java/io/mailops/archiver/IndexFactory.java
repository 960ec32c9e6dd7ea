package io.mailops.archiver;

import io.mailops.archiver.index.ArchiveIndex;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Opens the search index kept in a directory (creating an empty one when the directory is empty
 * or missing). The archive owns the directory and closes the index it gets. Implementations are
 * thread-safe.
 */
@FunctionalInterface
public interface IndexFactory {

  /** The index in {@code dir}. */
  ArchiveIndex open(Path dir) throws IOException;
}
