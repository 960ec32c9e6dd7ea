package io.mailops.storage;

import io.mailops.storage.model.AccountId;
import io.mailops.storage.model.Flags;
import io.mailops.storage.model.FolderPath;
import io.mailops.storage.model.MessageRef;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * A mail store: domains → accounts → folders → messages. Implementations: Maildir, eml
 * directory, mbox, IMAP; chosen by URI through {@link MailStores#open}.
 *
 * <p>Lists are snapshots, sorted, and empty (never null) when there is nothing. Failures that
 * stop the operation throw {@link MailStoreException} naming the item and what to do; problems
 * with single items (a garbage file name, a broken index) are returned as {@link Skip}s in a
 * {@link FolderScan} so the caller can report them. Implementations are safe for use by one
 * thread at a time unless they say otherwise; the caller closes the store.
 */
public interface MailStore extends Closeable {

  /** Every account the store holds, sorted by domain then user. */
  List<AccountId> accounts() throws IOException;

  /** The distinct domains of {@link #accounts()}, sorted. */
  default List<String> domains() throws IOException {
    TreeSet<String> d = new TreeSet<>();
    for (AccountId a : accounts()) {
      d.add(a.domain());
    }
    return List.copyOf(d);
  }

  /** The folders of an account, INBOX first; throws if the account does not exist. */
  List<FolderPath> folders(AccountId account) throws IOException;

  /**
   * The messages of a folder with their metadata, each exactly once, plus what was skipped and
   * why. A message the server renames during the scan is reported once under its latest name.
   */
  FolderScan scan(AccountId account, FolderPath folder) throws IOException;

  /**
   * Opens the bytes of a message listed by {@link #scan}. If the server renamed it since (flag
   * change, {@code new/} → {@code cur/}) it is found again by its key. The caller closes the
   * stream.
   *
   * @throws MessageGoneException if the message was expunged since the scan
   */
  InputStream open(AccountId account, MessageRef message) throws IOException;

  /**
   * Whether {@link #open} may be called, and the streams it returns read, on several threads at
   * once, beside the other calls (made by one thread at a time), so a caller may read messages
   * ahead of its own thread. False unless the store says so.
   */
  default boolean concurrentReads() {
    return false;
  }

  /**
   * Appends a message with its exact bytes, flags, keywords and internal date; the stream is
   * read to its end but not closed. Returns the new message's reference.
   */
  MessageRef append(AccountId account, FolderPath folder, InputStream content, Flags flags,
      Instant internalDate) throws IOException;

  /**
   * Folders the store found but could not list as folders (a directory name that is not valid
   * modified UTF-7, say), each with the reason. Empty for stores that have none.
   */
  default List<Skip> folderProblems(AccountId account) throws IOException {
    return List.of();
  }

  /** Creates a folder (and, where the store needs them, its parents); no-op if it exists. */
  void createFolder(AccountId account, FolderPath folder) throws IOException;

  /**
   * The folders subscribed in an account (IMAP {@code LSUB}, Dovecot's {@code subscriptions}
   * file), INBOX among them only if it is subscribed; empty when the store keeps no
   * subscriptions (eml, mbox), so that every folder counts as subscribed.
   */
  default Optional<Set<FolderPath>> subscriptions(AccountId account) throws IOException {
    return Optional.empty();
  }

  /**
   * Subscribes an existing folder where the store keeps subscriptions (nothing if it is
   * subscribed, nothing in stores that keep none).
   */
  default void subscribe(AccountId account, FolderPath folder) throws IOException {}

  /**
   * The special-use attributes (RFC 6154: {@code \Sent}, {@code \Drafts}, {@code \Trash},
   * {@code \Junk}, {@code \Archive}, {@code \All}, {@code \Flagged}) of an account's folders
   * as its latest folder listing gave them, one per folder; empty for stores without them.
   */
  default Map<FolderPath, String> specialUse(AccountId account) throws IOException {
    return Map.of();
  }
}
