package io.mailops.storage.queue.postfix;

import java.nio.file.Path;

/**
 * A queue file that is not a complete Postfix queue file: truncated, garbage, a pointer loop.
 * Listing turns it into a {@link QueueProblem} and goes on; reading one message throws it.
 */
public class DamagedQueueFileException extends QueueException {

  private final transient Path file;
  private final long offset;
  private final String what;

  /**
   * @param file the queue file
   * @param offset the byte offset of the bad record, or -1 when it is the file as a whole
   * @param what what is wrong, e.g. "record 'N' needs 51 bytes but the file ends after 9"
   */
  public DamagedQueueFileException(Path file, long offset, String what) {
    super("damaged queue file " + file + (offset >= 0 ? " at offset " + offset : "") + ": " + what
        + "; inspect it with 'postcat -o' and remove it with 'postsuper -d ID' if it cannot be saved");
    this.file = file;
    this.offset = offset;
    this.what = what;
  }

  public Path file() {
    return file;
  }

  /** The byte offset of the bad record, or -1. */
  public long offset() {
    return offset;
  }

  /** What is wrong, without file name and advice. */
  public String what() {
    return what;
  }
}
