package io.mailops.migrator;

import io.mailops.storage.FolderScan;
import io.mailops.storage.MailStore;
import io.mailops.storage.SpooledMessage;
import io.mailops.storage.model.AccountId;
import io.mailops.storage.model.FolderPath;
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
    List<MessageRef> refs = scan.messages();
    return refs.isEmpty() ? new LinkedHashMap<>()
        : of(MessageReader.of(store), account, refs.get(0).folder(), refs, mode, problems);
  }

  /**
   * Reads through {@code reader} and fingerprints every message of {@code refs} (all of
   * {@code folder}). A message expunged meanwhile is left out; one that cannot be read is left
   * out and named in {@code problems}. The order is the order the reader delivers them.
   */
  static Map<String, List<MessageRef>> of(MessageReader reader, AccountId account,
      FolderPath folder, List<MessageRef> refs, Fingerprint.Mode mode, List<String> problems)
      throws IOException {
    Map<String, List<MessageRef>> out = new LinkedHashMap<>();
    reader.read(account, folder, refs, new MessageReader.Sink() {
      @Override
      public void message(MessageRef ref, SpooledMessage content) throws IOException {
        try (InputStream in = content.open()) {
          out.computeIfAbsent(Fingerprint.of(in, mode), p -> new ArrayList<>()).add(ref);
        }
      }

      @Override
      public void gone(MessageRef ref) {}

      @Override
      public void failed(MessageRef ref, String reason) {
        problems.add("folder " + ref.folder() + " of " + account + ", message " + ref.key()
            + ": cannot read it to compare (" + reason + ")");
      }
    });
    return out;
  }
}
