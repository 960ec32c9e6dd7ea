package io.mailops.backup;

import java.util.List;

/**
 * One message of a folder manifest: SHA-256 (hex) and size of its bytes, internal date
 * (ISO-8601 instant, restored as the file mtime), IMAP system flags ({@code \Seen} …), keywords,
 * {@code new} or {@code cur}, its Message-ID if it has one, and where its bytes are.
 */
public record MessageEntry(String sha256, long size, String internalDate, List<String> flags,
    List<String> keywords, String state, String messageId, Location location) {

  public MessageEntry {
    if (sha256 == null || !sha256.matches("[0-9a-f]{64}")) {
      throw new IllegalArgumentException("invalid sha256 '" + sha256 + "': expected 64 hex digits");
    }
    if (size < 0) {
      throw new IllegalArgumentException("invalid message size " + size + ": must be >= 0");
    }
    if (!"new".equals(state) && !"cur".equals(state)) {
      throw new IllegalArgumentException("invalid message state '" + state + "': expected new or cur");
    }
    if (internalDate == null || location == null) {
      throw new IllegalArgumentException("a message entry needs an internal date and a location");
    }
    flags = flags == null ? List.of() : List.copyOf(flags);
    keywords = keywords == null ? List.of() : List.copyOf(keywords);
  }
}
