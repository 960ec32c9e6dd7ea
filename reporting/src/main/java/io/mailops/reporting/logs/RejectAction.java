package io.mailops.reporting.logs;

/** What smtpd, postscreen or cleanup did to a message or command. */
public enum RejectAction {
  /** {@code reject:} or {@code milter-reject:}. */
  REJECT,
  /** {@code reject_warning:} (smtpd, soft_bounce-style dry run) or cleanup {@code warning:}. */
  WARNING,
  /** {@code hold:}: the message was put on hold. */
  HOLD,
  /** {@code discard:}: accepted and thrown away. */
  DISCARD
}
