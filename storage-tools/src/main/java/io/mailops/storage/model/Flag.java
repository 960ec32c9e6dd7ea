package io.mailops.storage.model;

import java.util.Optional;

/** The IMAP system flags (RFC 3501 §2.3.2) other than {@code \Recent}. */
public enum Flag {
  SEEN("\\Seen"),
  ANSWERED("\\Answered"),
  FLAGGED("\\Flagged"),
  DELETED("\\Deleted"),
  DRAFT("\\Draft");

  private final String imapName;

  Flag(String imapName) {
    this.imapName = imapName;
  }

  /** The name as IMAP writes it, e.g. {@code \Seen}. */
  public String imapName() {
    return imapName;
  }

  /** The flag named {@code name} ({@code \Seen}, case-insensitive), if it is a system flag. */
  public static Optional<Flag> ofImapName(String name) {
    for (Flag f : values()) {
      if (f.imapName.equalsIgnoreCase(name)) {
        return Optional.of(f);
      }
    }
    return Optional.empty();
  }
}
