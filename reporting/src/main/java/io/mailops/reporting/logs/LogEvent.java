package io.mailops.reporting.logs;

/**
 * What one Postfix or Dovecot log line says, as {@link LogLineParser} understood it. Lines no
 * rule understood become {@link Unparsed}. Addresses and queue ids are kept as written.
 */
public sealed interface LogEvent {

  /** The syslog header of the line; null only for an {@link Unparsed} line without a valid header. */
  Origin origin();

  /** smtpd {@code connect from host[ip]}, postscreen {@code CONNECT from [ip]:port}. */
  record Connect(Origin origin, String client) implements LogEvent {}

  /** smtpd {@code disconnect from host[ip] ...}. */
  record Disconnect(Origin origin, String client) implements LogEvent {}

  /** smtpd {@code lost connection after STAGE from host[ip]}. */
  record LostConnection(Origin origin, String stage, String client) implements LogEvent {}

  /**
   * smtpd {@code QID: client=host[ip]}, with the SASL method and user on submission: a message
   * entered the queue over SMTP.
   *
   * @param saslMethod the method, or null when the client did not authenticate
   * @param saslUser the user, or null when the client did not authenticate
   */
  record ClientAccepted(Origin origin, String queueId, String client, String saslMethod, String saslUser)
      implements LogEvent {}

  /** pickup {@code QID: uid=N from=<sender>} or {@code sender=<…>}: a locally submitted message. */
  record Pickup(Origin origin, String queueId, String sender) implements LogEvent {}

  /** cleanup {@code QID: message-id=<id>} (the id without its angle brackets). */
  record MessageId(Origin origin, String queueId, String messageId) implements LogEvent {}

  /** qmgr {@code QID: from=<sender>, size=N, nrcpt=N (queue active)}; the null sender is "". */
  record Queued(Origin origin, String queueId, String from, long size, int nrcpt) implements LogEvent {}

  /**
   * A delivery attempt by smtp, lmtp, local, virtual, pipe, error …: {@code QID: to=<rcpt>,
   * [orig_to=<…>,] relay=R, delay=D, [delays=…,] [dsn=X.Y.Z,] status=S (detail)}.
   *
   * @param origTo the original recipient, or null
   * @param dsn the enhanced status code, or "" when the line has none
   * @param detail the text in parentheses after the status, or ""
   */
  record Delivery(Origin origin, String queueId, String to, String origTo, String relay, String delay,
      String dsn, DeliveryStatus status, String detail) implements LogEvent {

    /** True for {@code status=sent (forwarded as QID)}: local forwarding, not a final delivery. */
    public boolean forwarded() {
      return status == DeliveryStatus.SENT && detail.startsWith("forwarded as ");
    }
  }

  /** qmgr {@code QID: from=<sender>, status=expired, returned to sender} (or {@code force-expired}). */
  record Expired(Origin origin, String queueId, String from) implements LogEvent {}

  /** qmgr {@code QID: removed}. */
  record Removed(Origin origin, String queueId) implements LogEvent {}

  /**
   * A reject, reject warning, hold or discard by smtpd, postscreen or cleanup (header/body checks,
   * milters): {@code NOQUEUE: reject: RCPT from client: 554 5.7.1 reason; from=<…> to=<…>} or
   * {@code QID: milter-reject: END-OF-MESSAGE from …} or {@code QID: hold: header Subject: …}.
   *
   * @param queueId the queue id, or null for {@code NOQUEUE} and lines without one
   * @param milter true for {@code milter-reject} and friends
   * @param stage the SMTP command or check: {@code RCPT}, {@code CONNECT}, {@code header}, {@code END-OF-MESSAGE} …
   * @param client the client as written ({@code host[ip]} or {@code [ip]:port}), or ""
   * @param reason the text after the client up to {@code "; from="}, e.g. {@code 554 5.7.1 …: Relay access denied}
   * @param from the envelope sender, or null when the line has none
   * @param to the recipient, or null when the line has none
   */
  record Reject(Origin origin, String queueId, RejectAction action, boolean milter, String stage, String client,
      String reason, String from, String to) implements LogEvent {}

  /** bounce {@code QID: sender non-delivery notification: NEWQID}. */
  record BounceNotice(Origin origin, String queueId, String notificationId) implements LogEvent {}

  /** smtpd {@code warning: host[ip]: SASL METHOD authentication failed: …}. */
  record SaslFailure(Origin origin, String client, String method) implements LogEvent {}

  /** Any other Postfix {@code warning:}, {@code error:}, {@code fatal:} or {@code panic:} line. */
  record Problem(Origin origin, String level, String text) implements LogEvent {}

  /**
   * A Dovecot login, good or bad: {@code imap-login: Login: user=<…>} (2.2/2.3),
   * {@code Logged in:} (2.4), or a line with {@code (auth failed, N attempts …)}.
   *
   * @param protocol {@code imap}, {@code pop3}, {@code submission}, {@code managesieve} …
   * @param user the user name as sent, "" when the line has none
   * @param remoteIp the {@code rip=} value, "" when the line has none
   * @param attempts the failed attempts the line reports (0 for a good login)
   */
  record DovecotLogin(Origin origin, String protocol, String user, String remoteIp, boolean success, int attempts)
      implements LogEvent {}

  /**
   * A Dovecot session end with byte counts: IMAP {@code in=N out=N}, POP3 {@code retr=N/BYTES}
   * (then {@code bytesOut} is the bytes retrieved and {@code bytesIn} 0).
   */
  record DovecotLogout(Origin origin, String protocol, String user, long bytesIn, long bytesOut) implements LogEvent {}

  /**
   * A message saved into a mailbox by a Dovecot mail process, as the {@code mail_log} plugin logs
   * it with {@code mail_log_events = save}: {@code imap(user)<pid><session>: save: box=INBOX, uid=30,
   * …}; from {@code imap} these are IMAP APPENDs (a COPY is the {@code copy} event).
   *
   * @param protocol {@code imap}, {@code lmtp}, {@code pop3} …
   * @param user the user of the session
   * @param mailbox the {@code box=} value, "" when the line has none
   */
  record DovecotSave(Origin origin, String protocol, String user, String mailbox) implements LogEvent {}

  /**
   * A line no rule understood: garbage, another program, or a Postfix or Dovecot message we do not
   * read. Counted, never an error.
   *
   * @param origin the header when it could be read, else null
   */
  record Unparsed(Origin origin, String line) implements LogEvent {}
}
