package io.mailops.storage.queue.postfix;

import java.time.Instant;
import java.util.Optional;

/**
 * A Postfix queue ID, which is also the queue file name ({@code mail_queue.h}).
 *
 * <ul>
 *   <li>Short (default): {@code %05X} of the arrival microseconds, then the inode number in
 *       upper-case hex, e.g. {@code C2F7D410866}. Repeats over time.
 *   <li>Long ({@code enable_long_queue_ids = yes}): seconds in base 52 (at least 6 characters),
 *       microseconds in base 52 (4 characters), {@code z}, the inode in base 51, e.g.
 *       {@code 4jXBJ06SKnzc6NS}. The arrival time can be read back from it.
 * </ul>
 *
 * @param value letters, digits and {@code _}, 1 to 255 characters ({@code mail_queue_id_ok})
 */
public record QueueId(String value) implements Comparable<QueueId> {

  /** The base-52 alphabet of long queue IDs (no vowels); base 51 is the same without 'z'. */
  static final String ALPHABET = "0123456789BCDFGHJKLMNPQRSTVWXYZbcdfghjklmnpqrstvwxyz";

  public QueueId {
    if (!valid(value)) {
      throw new IllegalArgumentException("not a Postfix queue ID: '" + value
          + "'; queue IDs are letters and digits, as 'postqueue -p' shows them (without * or !)");
    }
  }

  /** Parses {@code value}; see the record's constraints. */
  public static QueueId of(String value) {
    return new QueueId(value);
  }

  /** True if {@code name} is a valid queue ID (as a file name found in a queue directory). */
  public static boolean valid(String name) {
    if (name == null || name.isEmpty() || name.length() > 255) {
      return false;
    }
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (!(c >= '0' && c <= '9' || c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c == '_')) {
        return false;
      }
    }
    return true;
  }

  /** True for a long queue ID: a 'z' separator after at least 10 time characters. */
  public boolean isLong() {
    return separator() >= 0;
  }

  private int separator() {
    int z = value.lastIndexOf('z');
    if (z < 10 || z == value.length() - 1) {
      return -1;
    }
    for (int i = 0; i < value.length(); i++) {
      int d = ALPHABET.indexOf(value.charAt(i));
      if (d < 0 || i > z && d == 51) {
        return -1;
      }
    }
    return z;
  }

  /** The arrival time encoded in a long queue ID (microsecond precision); empty for short IDs. */
  public Optional<Instant> arrival() {
    int z = separator();
    if (z < 0) {
      return Optional.empty();
    }
    long sec = decode(value.substring(0, z - 4), 52);
    long usec = decode(value.substring(z - 4, z), 52);
    return sec < 0 || usec < 0 || usec > 999_999 ? Optional.empty()
        : Optional.of(Instant.ofEpochSecond(sec, usec * 1000));
  }

  /**
   * The hex string Postfix hashes queue subdirectories on ({@code mail_queue_dir()}): the ID
   * itself for short IDs, {@code %05X} of the microseconds for long ones.
   */
  String hashKey() {
    int z = separator();
    if (z < 0) {
      return value;
    }
    return String.format("%05X", decode(value.substring(z - 4, z), 52));
  }

  private static long decode(String digits, int base) {
    long n = 0;
    for (int i = 0; i < digits.length(); i++) {
      int d = ALPHABET.indexOf(digits.charAt(i));
      if (d < 0 || d >= base || n > (Long.MAX_VALUE - d) / base) {
        return -1;
      }
      n = n * base + d;
    }
    return n;
  }

  @Override
  public int compareTo(QueueId o) {
    return value.compareTo(o.value);
  }

  @Override
  public String toString() {
    return value;
  }
}
