package io.mailops.storage.queue.postfix;

import java.time.Duration;
import java.time.Instant;
import java.util.regex.Pattern;

/**
 * Which messages a list or an action applies to. Every condition that is set must hold; null
 * (or -1 for sizes) means "any". Patterns are searched ({@code find}), not fully matched.
 *
 * @param from searched in the sender; the null sender is searched as "" and as "MAILER-DAEMON"
 * @param to searched in each recipient Postfix still has to deliver to (as {@code postqueue
 *     -j} lists them)
 * @param reason searched in each such recipient's deferral reason; with {@code to}, one
 *     recipient must match both
 * @param minSize smallest message size in bytes ({@code message_size}), or -1
 * @param maxSize largest message size in bytes, or -1
 * @param olderThan only messages that arrived at least this long ago, or null
 * @param youngerThan only messages that arrived less than this long ago, or null
 */
public record QueueFilter(Pattern from, Pattern to, Pattern reason, long minSize, long maxSize,
    Duration olderThan, Duration youngerThan) {

  /** Matches every message. */
  public static final QueueFilter ALL = new QueueFilter(null, null, null, -1, -1, null, null);

  public QueueFilter {
    if (minSize < -1 || maxSize < -1) {
      throw new IllegalArgumentException("message sizes must be 0 or more, got " + minSize + " and " + maxSize);
    }
    if (minSize >= 0 && maxSize >= 0 && minSize > maxSize) {
      throw new IllegalArgumentException("--min-size " + minSize + " is larger than --max-size " + maxSize
          + "; no message can match");
    }
    if (olderThan != null && olderThan.isNegative() || youngerThan != null && youngerThan.isNegative()) {
      throw new IllegalArgumentException("ages must be positive, got " + olderThan + " and " + youngerThan);
    }
  }

  /** True if no condition is set. */
  public boolean matchesEverything() {
    // field by field, not equals(ALL): a record's equals is bootstrapped through method handles
    // on first use, which costs a short command ~30 generated classes
    return from == null && to == null && reason == null && minSize == -1 && maxSize == -1
        && olderThan == null && youngerThan == null;
  }

  /** True if {@code m} meets every condition, with ages measured at {@code now}. */
  public boolean test(QueuedMessage m, Instant now) {
    if (from != null && !from.matcher(m.sender()).find()
        && !(m.sender().isEmpty() && from.matcher("MAILER-DAEMON").find())) {
      return false;
    }
    if (minSize >= 0 && m.messageSize() < minSize || maxSize >= 0 && m.messageSize() > maxSize) {
      return false;
    }
    Duration age = Duration.between(m.arrival(), now);
    if (olderThan != null && age.compareTo(olderThan) < 0
        || youngerThan != null && age.compareTo(youngerThan) >= 0) {
      return false;
    }
    if (to == null && reason == null) {
      return true;
    }
    for (QueuedRecipient r : m.showqRecipients()) {
      if ((to == null || to.matcher(r.address()).find())
          && (reason == null || reason.matcher(r.reason()).find())) {
        return true;
      }
    }
    return false;
  }
}
