package io.mailops.archiver;

import java.time.Instant;
import java.util.List;

/**
 * What the archive knows of one stored message.
 *
 * @param id the archive id: hex of an HMAC of the message's SHA-256 (reveals nothing without the
 *     key; the same bytes always get the same id)
 * @param seq its position in the hash chain, from 1
 * @param digest hex SHA-256 of the original message as ingested
 * @param size bytes of the original message
 * @param date the Date header (or the ingest time when it has none), as the index parsed it
 * @param archivedAt when it was ingested
 * @param source where it was first found ({@code source/account/folder/key})
 * @param skeleton blob id of the message without its stored attachment bodies
 * @param parts the attachment bodies to put back into the skeleton, in order
 * @param discarded attachments left out under the discard policy (their stubs are in the
 *     skeleton); non-empty means the stored bytes are not the original ones
 * @param storedDigest hex SHA-256 of the bytes the archive gives back ({@code digest} unless
 *     attachments were discarded)
 * @param prev the chain hash before this message (hex)
 * @param hash this message's chain hash: hex SHA-256 of "{@code seq\nid\ndigest\nprev}"
 */
public record MessageRecord(String id, long seq, String digest, long size, Instant date,
    Instant archivedAt, String source, String skeleton, List<Part> parts,
    List<Stub> discarded, String storedDigest, String prev, String hash) {

  public MessageRecord {
    parts = List.copyOf(parts);
    discarded = List.copyOf(discarded);
  }

  /** Whether attachments were discarded, so only {@link #storedDigest} can be checked. */
  public boolean hasDiscarded() {
    return !discarded.isEmpty();
  }

  /** An attachment body ({@code length} bytes in blob {@code blob}) at {@code offset} of the skeleton. */
  public record Part(long offset, String blob, long length) {}

  /**
   * A discarded attachment.
   *
   * @param size bytes of its encoded body
   * @param sha256 hex SHA-256 of its encoded body
   */
  public record Stub(String name, String type, long size, String sha256) {}
}
