package io.mailops.storage.queue.postfix;

/**
 * One recipient entry of a {@code defer/} or {@code bounce/} logfile ({@code bounce_log.c}): why
 * the last delivery attempt for that recipient did not succeed. Missing fields get Postfix's
 * place holders ("(description unavailable)", status 4.0.0/5.0.0, action delayed/failed).
 *
 * @param recipient the address as Postfix logged it (RFC 5321 quoted form)
 * @param offset the queue file offset of the recipient record, or -1 if not logged
 * @param status the DSN status code, e.g. "4.2.0"
 * @param action "delayed" (defer log) or "failed" (bounce log), or what the log says
 * @param reason the human-readable reason, as {@code postqueue -j} prints it (delay_reason)
 * @param diagnostic the remote server's reply ("450 4.2.0 mailbox busy"), or ""
 * @param mta the remote MTA name ("127.0.0.1"), or ""
 */
public record DeliveryStatus(String recipient, long offset, String status, String action,
    String reason, String diagnostic, String mta) {

  public DeliveryStatus {
    if (recipient == null || status == null || action == null || reason == null
        || diagnostic == null || mta == null) {
      throw new IllegalArgumentException("delivery status of '" + recipient
          + "': every field needs a value (use \"\" for none)");
    }
  }

  /** True for a permanent failure (a 5.x.x status). */
  public boolean permanent() {
    return status.startsWith("5");
  }
}
