package io.mailops.archiver;

import java.time.Instant;
import java.util.List;

/**
 * The last entry of a volume file, {@code manifest.json}: what the volume holds and where, and
 * its segment of the hash chain.
 *
 * @param headerSha256 hex SHA-256 of the plaintext header bytes (authenticates the header)
 * @param prev the chain hash before the first message
 * @param head the chain hash of the last message
 * @param messages the messages in chain order
 * @param entries every entry before the manifest, in file order
 * @param indexFiles the index files with the hex SHA-256 of their plaintext
 */
record VolumeManifest(int format, String id, String headerSha256, Instant from, Instant to,
    long count, long firstSeq, long lastSeq, String prev, String head, List<Message> messages,
    List<Entry> entries, List<IndexFile> indexFiles) {

  VolumeManifest {
    messages = List.copyOf(messages);
    entries = List.copyOf(entries);
    indexFiles = List.copyOf(indexFiles);
  }

  /** A message's chain entry. */
  record Message(String id, long seq, String digest, String hash) {}

  /**
   * An entry: its sealed bytes are {@code length} bytes at {@code offset} of the file.
   *
   * @param sha256 hex SHA-256 of the sealed bytes
   */
  record Entry(String name, long offset, long length, String sha256) {}

  /** An index file and the hex SHA-256 of its bytes. */
  record IndexFile(String name, String sha256) {}
}
