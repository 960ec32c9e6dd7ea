package io.mailops.archiver;

import io.mailops.archiver.index.MessageDocument;

/**
 * Turns the original bytes of a message into what the search index stores. Must not fail on
 * malformed mail (it indexes what it can). Implementations are thread-safe.
 */
@FunctionalInterface
public interface DocumentParser {

  /**
   * The document for message {@code id}.
   *
   * @param raw the exact original bytes; not modified
   * @param source where the message was ingested from
   * @param archivedAt when it was ingested
   */
  MessageDocument parse(String id, byte[] raw, String source, java.time.Instant archivedAt);
}
