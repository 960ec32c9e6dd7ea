package io.mailops.storage.queue.postfix;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * One message in the Postfix queue, read from its envelope records and logfiles.
 *
 * @param id the queue ID
 * @param queue the queue it is in
 * @param file the queue file
 * @param mode the permission bits of the file (0700 ready, +0010 forced expire, 0600 being written)
 * @param fileSize the queue file size in bytes
 * @param modified the file's mtime: for a deferred message the time of the next delivery attempt
 * @param arrival the arrival time ({@code T} record; the mtime if there is none)
 * @param messageSize the content size ({@code C} record, as {@code postqueue -j message_size});
 *     the file size for files without a valid size record (maildrop)
 * @param sender the envelope sender in external form; "" for the null sender {@code <>}
 * @param recipientCount the number of recipients at enqueue ({@code C} field 3), or -1
 * @param contentFilter the {@code content_filter} in the envelope ({@code L} record), or ""
 * @param recipients every envelope recipient in file order, done and cancelled ones included
 * @param deferLog the {@code defer/} logfile entries in file order (what {@code postqueue}
 *     lists first)
 * @param qshapeLayout true if {@code qshape} can read the file: a size record followed by the
 *     time record, or a sender-first maildrop file
 */
public record QueuedMessage(QueueId id, QueueName queue, Path file, int mode, long fileSize,
    Instant modified, Instant arrival, long messageSize, String sender, int recipientCount,
    String contentFilter, List<QueuedRecipient> recipients, List<DeliveryStatus> deferLog,
    boolean qshapeLayout) {

  /** {@code S_IXGRP}: set by {@code postsuper -e/-f} (MAIL_QUEUE_STAT_EXPIRE). */
  static final int EXPIRE_BIT = 0010;

  public QueuedMessage {
    if (id == null || queue == null || file == null || modified == null || arrival == null
        || sender == null || contentFilter == null || recipients == null || deferLog == null) {
      throw new IllegalArgumentException("queued message " + id + ": missing field");
    }
    recipients = List.copyOf(recipients);
    deferLog = List.copyOf(deferLog);
  }

  /** Marked for forced expiration ({@code postsuper -e} or {@code -f}): mode bit 0010. */
  public boolean forcedExpire() {
    return (mode & EXPIRE_BIT) != 0;
  }

  /** On hold ({@code postsuper -h} or a HOLD action). */
  public boolean held() {
    return queue == QueueName.HOLD;
  }

  /** The next delivery attempt (the mtime of a deferred file); empty in the other queues. */
  public Optional<Instant> nextAttempt() {
    return queue == QueueName.DEFERRED ? Optional.of(modified) : Optional.empty();
  }

  /** The recipients Postfix will still try (pending or deferred). */
  public List<QueuedRecipient> openRecipients() {
    return recipients.stream().filter(r -> r.state().open()).toList();
  }

  /**
   * The recipients as {@code postqueue -j} lists them ({@code showq_report()}): first every
   * {@code defer/} logfile entry with its reason, then each pending recipient record whose
   * address the logfile did not name, with an empty reason. Done recipients are not listed.
   */
  public List<QueuedRecipient> showqRecipients() {
    List<QueuedRecipient> out = new ArrayList<>(recipients.size() + deferLog.size());
    // a few logged recipients (the common case) are looked up in the list, many in a set
    Set<String> logged = deferLog.size() > 8 ? new HashSet<>() : null;
    for (DeliveryStatus d : deferLog) {
      if (logged != null) {
        logged.add(d.recipient());
      }
      out.add(new QueuedRecipient(d.recipient(), "", QueuedRecipient.State.DEFERRED, d.offset(), d));
    }
    for (QueuedRecipient r : recipients) {
      if (r.state().open() && !(logged != null ? logged.contains(r.address()) : logged(r.address()))) {
        out.add(r);
      }
    }
    return out;
  }

  private boolean logged(String address) {
    for (DeliveryStatus d : deferLog) {
      if (d.recipient().equals(address)) {
        return true;
      }
    }
    return false;
  }
}
