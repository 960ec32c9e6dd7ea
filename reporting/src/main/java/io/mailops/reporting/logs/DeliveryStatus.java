package io.mailops.reporting.logs;

/** The {@code status=} word of a delivery line. */
public enum DeliveryStatus {
  /** Delivered (or forwarded, see {@link LogEvent.Delivery#forwarded()}). */
  SENT,
  /** Temporary failure: the message stays in the queue. */
  DEFERRED,
  /** Permanent failure: a bounce goes to the sender. */
  BOUNCED,
  /** Given up after {@code maximal_queue_lifetime}. */
  EXPIRED,
  /** Anything else ({@code deliverable}, {@code undeliverable} from address verification …). */
  OTHER;

  static DeliveryStatus of(String word) {
    return switch (word) {
      case "sent" -> SENT;
      case "deferred" -> DEFERRED;
      case "bounced" -> BOUNCED;
      case "expired" -> EXPIRED;
      default -> OTHER;
    };
  }
}
