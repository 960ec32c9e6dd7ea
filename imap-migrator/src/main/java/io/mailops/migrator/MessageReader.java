package io.mailops.migrator;

import io.mailops.storage.FolderScan;
import io.mailops.storage.MailStore;
import io.mailops.storage.MailStoreException;
import io.mailops.storage.MessageGoneException;
import io.mailops.storage.SpooledMessage;
import io.mailops.storage.model.AccountId;
import io.mailops.storage.model.FolderPath;
import io.mailops.storage.model.MessageRef;
import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Reads the content of many messages of one folder, for the {@link Migrator} and
 * {@link MigrationVerify}, and scans folders. {@link #of} reads them one by one through a {@link MailStore}; a
 * wire-level reader ({@code io.mailops.migrator.wire.WireReader}) asks for all of them at once.
 * Not thread-safe.
 */
public interface MessageReader {

  /** What becomes of each message; an exception from a method stops the read and is thrown on. */
  interface Sink {

    /** The message's exact bytes; {@code content} is closed by the reader after the call. */
    void message(MessageRef ref, SpooledMessage content) throws IOException;

    /** The message is gone (expunged, or the folder's UIDVALIDITY changed). */
    void gone(MessageRef ref) throws IOException;

    /** The message cannot be read; {@code reason} says why. */
    void failed(MessageRef ref, String reason) throws IOException;
  }

  /** The messages of {@code folder} of {@code account}, as {@link MailStore#scan} lists them. */
  FolderScan scan(AccountId account, FolderPath folder) throws IOException;

  /** A folder's {@link #scan}, or why it failed. */
  record Scanned(FolderScan scan, MailStoreException failure) {

    /** The scan, or the failure {@link #scan} would have thrown. */
    public FolderScan get() throws MailStoreException {
      if (failure != null) {
        throw failure;
      }
      return scan;
    }
  }

  /**
   * The {@link #scan} of each of {@code folders} (a folder given twice is scanned once); a folder
   * that cannot be scanned maps to the {@link MailStoreException} {@link #scan} would throw, any
   * other failure (the connection) is thrown. By default one scan after the other; a reader on
   * the wire sends all the commands before it reads the answers (one round trip).
   */
  default Map<FolderPath, Scanned> scanAll(AccountId account, List<FolderPath> folders)
      throws IOException {
    Map<FolderPath, Scanned> out = new LinkedHashMap<>();
    for (FolderPath f : folders) {
      if (!out.containsKey(f)) {
        try {
          out.put(f, new Scanned(scan(account, f), null));
        } catch (MailStoreException e) {
          out.put(f, new Scanned(null, e));
        }
      }
    }
    return out;
  }

  /**
   * Tells {@code sink} about every message of {@code refs} (all of {@code folder} of
   * {@code account}, from a scan of this reader's store) exactly once, in any order. Failures of
   * single messages go to the sink; an exception means the folder or the connection failed.
   */
  void read(AccountId account, FolderPath folder, List<MessageRef> refs, Sink sink)
      throws IOException;

  /**
   * The {@link Fingerprint}s of {@code refs} (all of {@code folder}), each with the messages that
   * have it; a message gone meanwhile is left out, one that cannot be read is left out and named
   * in {@code problems}. By default every message is read whole; a reader may compute the same
   * fingerprints from less (the header and the size).
   */
  default Map<String, List<MessageRef>> prints(AccountId account, FolderPath folder,
      List<MessageRef> refs, Fingerprint.Mode mode, List<String> problems) throws IOException {
    return FolderPrints.of(this, account, folder, refs, mode, problems);
  }

  /**
   * The {@link FolderStatus} of each of {@code folders} of {@code account} that the reader can
   * tell cheaply (IMAP {@code STATUS}, all folders in one round trip); folders it cannot tell
   * are left out. The default tells none.
   */
  default Map<FolderPath, FolderStatus> status(AccountId account, List<FolderPath> folders)
      throws IOException {
    return Map.of();
  }

  /**
   * The UIDs of the messages of {@code folder} of {@code account} whose flags or keywords changed
   * since mod-sequence {@code modSeq} ({@code UID FETCH 1:* (UID) (CHANGEDSINCE modSeq)}, RFC
   * 7162), while the folder's UIDVALIDITY is still {@code uidValidity}; empty when the reader
   * cannot tell (no CONDSTORE, another UIDVALIDITY). The default cannot tell.
   */
  default Optional<Set<Long>> changedSince(AccountId account, FolderPath folder, long uidValidity,
      long modSeq) throws IOException {
    return Optional.empty();
  }

  /** A reader that opens each message through {@code store}. */
  static MessageReader of(MailStore store) {
    Objects.requireNonNull(store, "store");
    return new MessageReader() {
      @Override
      public FolderScan scan(AccountId account, FolderPath folder) throws IOException {
        return store.scan(account, folder);
      }

      @Override
      public void read(AccountId account, FolderPath folder, List<MessageRef> refs, Sink sink)
          throws IOException {
        for (MessageRef ref : refs) {
          SpooledMessage spool;
          try (InputStream in = store.open(account, ref)) {
            spool = SpooledMessage.read(in);
          } catch (MessageGoneException e) {
            sink.gone(ref);
            continue;
          } catch (MailStoreException e) {
            sink.failed(ref, e.getMessage());
            continue;
          }
          try (spool) {
            sink.message(ref, spool);
          }
        }
      }
    };
  }
}
