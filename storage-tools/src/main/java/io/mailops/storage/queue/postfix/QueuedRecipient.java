package io.mailops.storage.queue.postfix;

/**
 * One envelope recipient of a queued message ({@code R}, {@code D} or {@code /} record).
 *
 * @param address the address in Postfix's external form (local part quoted when needed, as
 *     {@code postqueue -j} prints it)
 * @param originalAddress the address before rewriting ({@code O} record), or ""
 * @param state what happened to it so far
 * @param offset the byte offset of its record in the queue file (the {@code offset=} of the
 *     logfiles), or -1 for a recipient known only from the defer logfile
 * @param status the matching {@code defer/} or {@code bounce/} logfile entry, or null
 */
public record QueuedRecipient(String address, String originalAddress, State state, long offset,
    DeliveryStatus status) {

  /** Where a recipient stands. */
  public enum State {
    /** Not tried yet ({@code R}, no logfile entry). */
    PENDING("pending"),
    /** Tried and deferred ({@code R} with a {@code defer/} entry). */
    DEFERRED("deferred"),
    /** Done: delivered, or bounced with the notice already sent ({@code D}). */
    DONE("done"),
    /** Bounced; the non-delivery notice is not sent yet ({@code D} with a {@code bounce/} entry). */
    BOUNCED("bounced, notice pending"),
    /** Cancelled ({@code /}), e.g. removed by a milter. */
    CANCELLED("cancelled");

    private final String label;

    State(String label) {
      this.label = label;
    }

    /** True while Postfix will still try to deliver to this recipient. */
    public boolean open() {
      return this == PENDING || this == DEFERRED;
    }

    @Override
    public String toString() {
      return label;
    }
  }

  public QueuedRecipient {
    if (address == null || originalAddress == null || state == null) {
      throw new IllegalArgumentException("queued recipient '" + address
          + "': address, original address and state need values");
    }
  }

  /** The domain: the part after the last '@', lower case; "" for a local name. */
  public String domain() {
    int at = address.lastIndexOf('@');
    return at < 0 ? "" : address.substring(at + 1).toLowerCase(java.util.Locale.ROOT);
  }

  /** The logged reason, or "". */
  public String reason() {
    return status == null ? "" : status.reason();
  }
}
