package io.mailops.storage.queue.postfix;

import java.nio.file.Path;

/**
 * A queue file that could not be read while listing; the listing went on without it.
 *
 * @param id the queue ID (the file name)
 * @param file the queue file
 * @param offset the byte offset of the bad record, or -1
 * @param what what was wrong, e.g. "record 'N' needs 51 bytes but the file ends 9 bytes later"
 */
public record QueueProblem(String id, Path file, long offset, String what) {

  public QueueProblem {
    if (id == null || file == null || what == null || what.isBlank()) {
      throw new IllegalArgumentException("a queue problem needs an id, a file and a description, got "
          + id + " " + file + " '" + what + "'");
    }
  }

  static QueueProblem of(String id, DamagedQueueFileException e) {
    return new QueueProblem(id, e.file(), e.offset(), e.what());
  }

  /** "deferred/B/B0BAD000001 (queue ID B0BAD000001) at offset 300: what". */
  @Override
  public String toString() {
    return file + " (queue ID " + id + ")" + (offset >= 0 ? " at offset " + offset : "") + ": " + what;
  }
}
