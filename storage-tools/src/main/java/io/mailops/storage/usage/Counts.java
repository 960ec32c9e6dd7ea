package io.mailops.storage.usage;

import io.mailops.storage.FolderScan;
import io.mailops.storage.model.Flag;
import io.mailops.storage.model.MessageRef;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * Message totals of a folder, account, domain or store: how many messages, their physical bytes
 * (Maildir {@code S=} or file size), how many lack {@code \Seen}, and the oldest and newest
 * internal date (empty when there are no messages). Immutable.
 */
public record Counts(long messages, long bytes, long unseen, Optional<Instant> oldest,
    Optional<Instant> newest) {

  /** No messages. */
  public static final Counts NONE = new Counts(0, 0, 0, Optional.empty(), Optional.empty());

  public Counts {
    Objects.requireNonNull(oldest, "oldest");
    Objects.requireNonNull(newest, "newest");
    if (messages < 0 || bytes < 0 || unseen < 0 || unseen > messages) {
      throw new IllegalArgumentException("invalid counts: messages " + messages + ", bytes " + bytes
          + ", unseen " + unseen + " (need 0 <= unseen <= messages and bytes >= 0)");
    }
    if (oldest.isPresent() != newest.isPresent()
        || (oldest.isPresent() && oldest.get().isAfter(newest.get()))) {
      throw new IllegalArgumentException("invalid date range " + oldest + " .. " + newest
          + ": both or neither, oldest not after newest");
    }
  }

  /** The counts of one scanned folder. */
  public static Counts of(FolderScan scan) {
    long bytes = 0;
    long unseen = 0;
    Instant oldest = null;
    Instant newest = null;
    for (MessageRef m : scan.messages()) {
      bytes += m.size();
      unseen += m.flags().has(Flag.SEEN) ? 0 : 1;
      Instant d = m.internalDate();
      oldest = oldest == null || d.isBefore(oldest) ? d : oldest;
      newest = newest == null || d.isAfter(newest) ? d : newest;
    }
    return new Counts(scan.messages().size(), bytes, unseen, Optional.ofNullable(oldest),
        Optional.ofNullable(newest));
  }

  /** The sum of both; dates span both ranges. */
  public Counts plus(Counts o) {
    return new Counts(messages + o.messages, bytes + o.bytes, unseen + o.unseen,
        earlier(oldest, o.oldest), later(newest, o.newest));
  }

  private static Optional<Instant> earlier(Optional<Instant> a, Optional<Instant> b) {
    return a.isEmpty() ? b : b.isEmpty() ? a : Optional.of(a.get().isBefore(b.get()) ? a.get() : b.get());
  }

  private static Optional<Instant> later(Optional<Instant> a, Optional<Instant> b) {
    return a.isEmpty() ? b : b.isEmpty() ? a : Optional.of(a.get().isAfter(b.get()) ? a.get() : b.get());
  }
}
