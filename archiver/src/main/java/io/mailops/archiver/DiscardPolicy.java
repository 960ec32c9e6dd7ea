package io.mailops.archiver;

import java.util.Locale;

/**
 * Which attachments the archive does not keep: {@link Mode#NEVER} (keep all), {@link Mode#OVER}
 * (those whose encoded body is larger than {@code maxBytes}) or {@link Mode#ALWAYS}. A discarded
 * attachment is replaced by a stub naming it, its type, size and SHA-256; the message record
 * lists it and keeps the SHA-256 of the original message. Immutable.
 */
public record DiscardPolicy(Mode mode, long maxBytes) {

  /** Keep every attachment. */
  public static final DiscardPolicy NEVER = new DiscardPolicy(Mode.NEVER, 0);

  /** When attachments are discarded. */
  public enum Mode {
    NEVER, OVER, ALWAYS;

    /** Parses {@code never}, {@code over} or {@code always}, in any case. */
    public static Mode parse(String s) {
      return valueOf(s.trim().toUpperCase(Locale.ROOT));
    }
  }

  public DiscardPolicy {
    if (mode == null) {
      throw new IllegalArgumentException("a discard policy needs a mode, got null");
    }
    if (mode == Mode.OVER && maxBytes < 0) {
      throw new IllegalArgumentException("invalid discard size " + maxBytes + ": must be >= 0");
    }
  }

  /** Discard attachments larger than {@code maxBytes} encoded bytes. */
  public static DiscardPolicy over(long maxBytes) {
    return new DiscardPolicy(Mode.OVER, maxBytes);
  }

  /** Discard every attachment. */
  public static DiscardPolicy always() {
    return new DiscardPolicy(Mode.ALWAYS, 0);
  }

  /** Whether an attachment of {@code encodedBytes} is discarded. */
  public boolean discards(long encodedBytes) {
    return switch (mode) {
      case NEVER -> false;
      case ALWAYS -> true;
      case OVER -> encodedBytes > maxBytes;
    };
  }
}
