package io.mailops.reporting.collect;

/**
 * How far a log source has been read: the restart state of {@link LogFollower} and of a backfill.
 * A value object; the store keeps it in the same transaction as the counts of the lines before
 * {@code offset}, so a restart neither loses nor repeats a line.
 *
 * @param source what was read: {@code follow:/var/log/mail.log} or {@code file:HASH} for a backfill
 * @param fileKey the identity of the file the offset belongs to (inode or file key), "" if unknown
 * @param firstLineHash SHA-256 (hex) of that file's first line, "" while it has no complete line
 * @param offset bytes of (decompressed) content already counted; always the end of a line
 */
public record FilePosition(String source, String fileKey, String firstLineHash, long offset) {

  /** Checks the values. */
  public FilePosition {
    if (source == null || source.isBlank() || fileKey == null || firstLineHash == null || offset < 0) {
      throw new IllegalArgumentException("file position needs a source, a key, a hash and an offset >= 0, got "
          + source + " " + fileKey + " " + firstLineHash + " " + offset);
    }
  }
}
