package io.mailops.migrator;

import io.mailops.storage.FolderScan;
import io.mailops.storage.MailStore;
import io.mailops.storage.MailStoreException;
import io.mailops.storage.MessageGoneException;
import io.mailops.storage.model.AccountId;
import io.mailops.storage.model.MessageRef;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Fingerprints of the messages of one scanned folder: fingerprint → messages, scan order. */
final class FolderPrints {

  private FolderPrints() {}

  /**
   * Opens and fingerprints every message of {@code scan}. A message expunged meanwhile is left
   * out; one that cannot be read is left out and named in {@code problems}.
   */
  static Map<String, List<MessageRef>> of(MailStore store, AccountId account, FolderScan scan,
      Fingerprint.Mode mode, List<String> problems) throws IOException {
    Map<String, List<MessageRef>> out = new LinkedHashMap<>();
    for (MessageRef ref : scan.messages()) {
      String print;
      try (InputStream in = store.open(account, ref)) {
        print = Fingerprint.of(in, mode);
      } catch (MessageGoneException e) {
        continue;
      } catch (MailStoreException e) {
        problems.add("folder " + ref.folder() + " of " + account + ", message " + ref.key()
            + ": cannot read it to compare (" + e.getMessage() + ")");
        continue;
      }
      out.computeIfAbsent(print, p -> new ArrayList<>()).add(ref);
    }
    return out;
  }
}
