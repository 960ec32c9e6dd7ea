package io.mailops.archiver;

import java.util.List;

/**
 * What {@link Archive#verify} found: how many messages and files it checked and every problem.
 * An empty problem list means intact.
 */
public record VerifyReport(long messages, long files, boolean deep, List<Problem> problems) {

  public VerifyReport {
    problems = List.copyOf(problems);
  }

  /** Whether nothing is wrong. */
  public boolean intact() {
    return problems.isEmpty();
  }

  /** The kind of a problem. */
  public enum Kind {
    /** A message's bytes or chain entry do not match what was recorded. */
    MODIFIED,
    /** A message recorded in the chain or a manifest is not there. */
    MISSING,
    /** A message is there that no chain or manifest records. */
    ADDED,
    /** Messages are out of chain order. */
    REORDERED,
    /** A blob file does not decrypt or does not match its id. */
    BLOB_CORRUPT,
    /** An index file is missing or differs from what was recorded at its last commit. */
    INDEX_FILE_CHANGED,
    /** A volume file is damaged (header, an entry, its manifest or trailer). */
    VOLUME_CORRUPT,
    /** A volume file is missing. */
    VOLUME_MISSING,
    /** A state file of the current database is damaged, or the chain does not link up. */
    STATE_CORRUPT
  }

  /**
   * One problem.
   *
   * @param subject the message id, file or volume concerned
   * @param where {@code current}, a volume id or {@code search}
   * @param detail one line for the user
   */
  public record Problem(Kind kind, String subject, String where, String detail) {}
}
