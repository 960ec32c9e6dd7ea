package io.mailops.archiver;

import io.mailops.archiver.index.MessageDocument;
import io.mailops.archiver.mime.MimeSplitter;
import java.time.Instant;
import java.util.List;

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
  MessageDocument parse(String id, byte[] raw, String source, Instant archivedAt);

  /**
   * The same document, given the attachments {@link MimeSplitter#attachments} finds in {@code
   * raw} (ingest has split the message already, so a parser that needs them need not walk the
   * message again). By default they are not used.
   */
  default MessageDocument parse(String id, byte[] raw, List<MimeSplitter.Attachment> attachments,
      String source, Instant archivedAt) {
    return parse(id, raw, source, archivedAt);
  }

  /** The second form of {@link DocumentParser#parse}, with the attachments. */
  @FunctionalInterface
  interface Split {
    MessageDocument parse(String id, byte[] raw, List<MimeSplitter.Attachment> attachments,
        String source, Instant archivedAt);
  }

  /**
   * A parser of both forms: {@code whole} finds the attachments itself, {@code split} is given
   * them.
   */
  static DocumentParser of(DocumentParser whole, Split split) {
    return new DocumentParser() {
      @Override
      public MessageDocument parse(String id, byte[] raw, String source, Instant archivedAt) {
        return whole.parse(id, raw, source, archivedAt);
      }

      @Override
      public MessageDocument parse(String id, byte[] raw,
          List<MimeSplitter.Attachment> attachments, String source, Instant archivedAt) {
        return split.parse(id, raw, attachments, source, archivedAt);
      }
    };
  }
}
