package io.mailops.storage.sample;

import io.mailops.storage.FolderScan;
import io.mailops.storage.MailStore;
import io.mailops.storage.model.AccountId;
import io.mailops.storage.model.Flags;
import io.mailops.storage.model.FolderPath;
import io.mailops.storage.model.MessageRef;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * One message as read back from a store through the {@link MailStore} API: where it is, its
 * bytes, flags and internal date. {@link #identity()} leaves out the store's own file name, so
 * two generations of the same sample compare equal.
 */
record StoredMessage(AccountId account, FolderPath folder, Flags flags, Instant internalDate,
    byte[] bytes) {

  /** Account, folder, SHA-256 of the bytes, flags and internal date as one comparable string. */
  String identity() {
    return account + "|" + folder + "|" + sha256(bytes) + "|" + flags + "|" + internalDate;
  }

  static String sha256(byte[] data) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }

  /** Every message of every folder of every account; fails on anything the scan skipped. */
  static List<StoredMessage> readAll(MailStore store) throws IOException {
    List<StoredMessage> out = new ArrayList<>();
    for (AccountId account : store.accounts()) {
      for (FolderPath folder : store.folders(account)) {
        FolderScan scan = store.scan(account, folder);
        if (!scan.skipped().isEmpty()) {
          throw new AssertionError("scan of " + folder + " in " + account + " skipped " + scan.skipped());
        }
        for (MessageRef ref : scan.messages()) {
          try (InputStream in = store.open(account, ref)) {
            out.add(new StoredMessage(account, folder, ref.flags(), ref.internalDate(), in.readAllBytes()));
          }
        }
      }
    }
    return out;
  }

  /** The sorted identities of {@code messages}: a multiset as a list. */
  static List<String> identities(List<StoredMessage> messages) {
    return messages.stream().map(StoredMessage::identity).sorted().toList();
  }
}
