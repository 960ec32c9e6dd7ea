package io.mailops.backup;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalLong;

/**
 * Where backup sets are stored: a local directory now, FTP/FTPS later. Names are relative,
 * {@code /}-separated (e.g. {@code SET_ID/example.com/alice/INBOX/messages.tar.zst}); every
 * implementation passes them through {@link io.mailops.storage.PathGuard} before use.
 *
 * <p>Implementations are used by one thread at a time unless they say otherwise; the caller
 * closes streams it gets.
 */
public interface BackupTarget {

  /**
   * Stores the local file {@code source} under {@code name} atomically: written to
   * {@code name.part}, its size checked, then renamed; an existing file of that name is
   * replaced. Parent directories are created as needed.
   */
  void put(String name, Path source) throws IOException;

  /**
   * Stores the local file {@code source} under {@code name} without the atomic rename of
   * {@link #put}: an interrupted call may leave a partial file under {@code name}, which a later
   * call replaces. Only for files that nobody reads before a file written later with {@link #put}
   * vouches for them (a set's files before its set manifest); it saves round trips on remote
   * targets. Parent directories are created as needed. The default is {@link #put}.
   */
  default void write(String name, Path source) throws IOException {
    put(name, source);
  }

  /**
   * As {@link #write(String, Path)}, from the first {@code length} bytes of {@code bytes} (a file
   * packed in memory). The default writes them to a temporary file and passes that to
   * {@link #write(String, Path)}; targets that can send bytes directly override this.
   */
  default void write(String name, byte[] bytes, int length) throws IOException {
    Path tmp = Files.createTempFile("mailops-upload", ".tmp");
    try {
      try (OutputStream o = Files.newOutputStream(tmp)) {
        o.write(bytes, 0, length);
      }
      write(name, tmp);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  /**
   * Opens {@code length} bytes of {@code name} starting at {@code offset}; {@code length < 0}
   * reads to the end. The stream ends after the range.
   *
   * @throws BackupException if the file does not exist
   */
  InputStream open(String name, long offset, long length) throws IOException;

  /**
   * The entries directly under directory {@code dir} ({@code ""} for the top level), sorted, names
   * only; empty when the directory does not exist. Files still named {@code *.part} are left out.
   */
  List<String> list(String dir) throws IOException;

  /** The size of {@code name} in bytes, empty if it does not exist. */
  OptionalLong size(String name) throws IOException;

  /**
   * Removes the file or the whole directory tree {@code name}, including {@code *.part} files;
   * nothing happens when it does not exist. A directory's files are removed before the
   * directory, deepest first, so an interrupted delete leaves a smaller tree behind.
   *
   * @throws BackupException naming the file or directory if the target refuses to remove it
   */
  void delete(String name) throws IOException;
}
