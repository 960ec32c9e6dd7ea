package io.mailops.jobs.backup;

import io.mailops.storage.MailStore;
import io.mailops.storage.maildir.MaildirLayout;
import io.mailops.storage.maildir.MaildirStore;
import io.mailops.storage.model.AccountId;
import io.mailops.storage.model.FolderPath;
import io.mailops.storage.model.MessageRef;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;

/** What a user checks after a restore: per account and folder, each message's bytes, flags, date. */
final class StoreSnapshot {

  private StoreSnapshot() {}

  static MaildirStore maildir(Path root) {
    return new MaildirStore(root, MaildirLayout.standard(), MaildirStore.Settings.defaults());
  }

  /** "account/folder sha256" → "flags | keywords | internal date" of the accounts selected. */
  static Map<String, String> of(Path maildirRoot, Predicate<AccountId> accounts) throws IOException {
    try (MailStore store = maildir(maildirRoot)) {
      Map<String, String> out = new TreeMap<>();
      for (AccountId a : store.accounts()) {
        if (!accounts.test(a)) {
          continue;
        }
        for (FolderPath f : store.folders(a)) {
          for (MessageRef m : store.scan(a, f).messages()) {
            MessageDigest sha;
            try {
              sha = MessageDigest.getInstance("SHA-256");
            } catch (NoSuchAlgorithmException e) {
              throw new IllegalStateException(e);
            }
            try (InputStream in = new DigestInputStream(store.open(a, m), sha)) {
              in.transferTo(OutputStream.nullOutputStream());
            }
            String key = a + "/" + f + " " + HexFormat.of().formatHex(sha.digest());
            if (out.put(key, m.flags().system() + " | " + m.flags().keywords() + " | "
                + m.internalDate()) != null) {
              out.put(key + " (duplicate)", "");
            }
          }
        }
      }
      return out;
    }
  }
}
