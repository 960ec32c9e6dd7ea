package io.mailops.migrator;

import io.mailops.storage.MailStore;
import io.mailops.storage.MailStoreException;
import io.mailops.storage.SpooledMessage;
import io.mailops.storage.model.AccountId;
import io.mailops.storage.model.Flags;
import io.mailops.storage.model.FolderPath;
import java.io.IOException;
import java.io.InputStream;
import io.mailops.storage.maildir.MaildirStore;
import io.mailops.storage.model.MessageRef;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Appends messages for the {@link Migrator}, possibly many at once: the outcome of an append is
 * told to its {@link Outcome} when the target answered, which may be after later appends were
 * sent, and at the latest in {@link #flush}. {@link #of} appends one by one through a
 * {@link MailStore} and tells the outcome before {@code append} returns; a wire-level writer
 * ({@code io.mailops.migrator.wire.WireWriter}) pipelines. Not thread-safe.
 */
public interface MessageWriter {

  /** The target's answer to one append; an exception from a method is thrown on. */
  interface Outcome {

    /** The target holds the message. */
    void stored() throws IOException;

    /**
     * The target holds the message as UID {@code uid} of its folder with UIDVALIDITY
     * {@code uidValidity} (IMAP {@code APPENDUID}, RFC 4315); by default the same as
     * {@link #stored()}.
     */
    default void stored(long uidValidity, long uid) throws IOException {
      stored();
    }

    /** The target refused the message; {@code reason} says why. */
    void refused(String reason) throws IOException;
  }

  /**
   * Sends {@code content} (read during the call only) to {@code folder} of {@code account}, which
   * exists, with {@code flags} and {@code date}. An exception means the connection failed; the
   * outcome of appends in flight is then unknown (the next run finds them by fingerprint).
   */
  void append(AccountId account, FolderPath folder, SpooledMessage content, Flags flags,
      Instant date, Outcome outcome) throws IOException;

  /** Returns when the outcome of every append sent so far was told. */
  void flush() throws IOException;

  /**
   * Sets the flags and keywords of messages of {@code folder} of {@code account} (from a scan of
   * this writer's store) to the given ones, replacing what they had; appends in flight are
   * flushed first. A message that cannot be changed is named in {@code problems}; returns how
   * many were changed. The default cannot change flags at all.
   */
  default int replaceFlags(AccountId account, FolderPath folder, Map<MessageRef, Flags> flags,
      List<String> problems) throws IOException {
    throw new MailStoreException("the target of " + account + " cannot change flags of messages"
        + " it holds; run without --sync-flags");
  }

  /**
   * Creates and subscribes {@code folders} of {@code account} (none of them there yet, parents
   * before their children) all at once where the writer can; returns those it made. A folder
   * not made here (refused, or a writer that cannot) is for the caller to create through its
   * store, which reports why it cannot. The default makes none.
   */
  default Set<FolderPath> createFolders(AccountId account, List<FolderPath> folders)
      throws IOException {
    return Set.of();
  }

  /** A writer that appends through {@code store}, one message at a time. */
  static MessageWriter of(MailStore store) {
    Objects.requireNonNull(store, "store");
    return new MessageWriter() {
      @Override
      public void append(AccountId account, FolderPath folder, SpooledMessage content,
          Flags flags, Instant date, Outcome outcome) throws IOException {
        try (InputStream in = content.open()) {
          store.append(account, folder, in, flags, date);
        } catch (MailStoreException e) {
          outcome.refused(e.getMessage());
          return;
        }
        outcome.stored();
      }

      @Override
      public void flush() {}

      @Override
      public int replaceFlags(AccountId account, FolderPath folder, Map<MessageRef, Flags> flags,
          List<String> problems) throws IOException {
        if (!(store instanceof MaildirStore maildir)) {
          return MessageWriter.super.replaceFlags(account, folder, flags, problems);
        }
        int n = 0;
        for (Map.Entry<MessageRef, Flags> e : flags.entrySet()) {
          if (maildir.setFlags(account, e.getKey(), e.getValue())) {
            n++;
          } else {
            problems.add("folder " + folder + " of " + account + ", message " + e.getKey().key()
                + ": gone from the target before its flags could be set");
          }
        }
        return n;
      }
    };
  }
}
