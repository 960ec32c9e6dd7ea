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
    if (!isSha256(sha256)) {
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

  /**
   * Whether {@code s} is 64 lower-case hex digits. A loop, not {@code String.matches}: that
   * compiled a regex for each of the ~100,000 entries an incremental parses (ADR 0024).
   */
  static boolean isSha256(String s) {
    if (s == null || s.length() != 64) {
      return false;
    }
    for (int i = 0; i < 64; i++) {
      char c = s.charAt(i);
      if ((c < '0' || c > '9') && (c < 'a' || c > 'f')) {
        return false;
      }
    }
    return true;
  }
}
