package io.mailops.storage;

import io.mailops.storage.model.MessageRef;
import java.util.List;

/**
 * The result of scanning one folder: its messages (each once, in the store's own order: IMAP by
 * UID, an mbox file by position, a Maildir and an eml directory by file name), the items that
 * could not be read as messages, each with the reason, and how many messages vanished for good
 * while the scan ran (expunged by the server: counted, not reported missing).
 */
public record FolderScan(List<MessageRef> messages, List<Skip> skipped, int vanished) {

  public FolderScan {
    messages = List.copyOf(messages);
    skipped = List.copyOf(skipped);
    if (vanished < 0) {
      throw new IllegalArgumentException("vanished must be >= 0, got " + vanished);
    }
  }

  /** A scan without vanished messages. */
  public FolderScan(List<MessageRef> messages, List<Skip> skipped) {
    this(messages, skipped, 0);
  }

  /** Total physical size of the messages in bytes. */
  public long totalSize() {
    long t = 0;
    for (MessageRef m : messages) {
      t += m.size();
    }
    return t;
  }
}
