package io.mailops.reporting;

import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * One reporting parameter: a stable name ({@code smtp.out.delivered}), whether it is a counter
 * (never decreases; history keeps per-minute deltas, aggregated by total) or a gauge (sampled each
 * minute; aggregated by average, min, max), its unit, the scopes it is collected at, and its name in
 * the SNMP MIB. {@link #ALL} is the registry the collector, the charts and the SNMP agent share.
 *
 * @param name the stable name: lower case words joined by '.' and '_'
 * @param mibName the object name in the mailops MIB ({@code moSmtpOutDelivered})
 */
public record Parameter(String name, Type type, String unit, Set<Scope> scopes, String mibName, String description) {

  private static final Pattern NAME = Pattern.compile("[a-z0-9]+(?:[._][a-z0-9]+)*");

  /** Counter or gauge. */
  public enum Type {
    /** Never decreases; SNMP Counter64. */
    COUNTER,
    /** A sampled level; SNMP Gauge32. */
    GAUGE
  }

  /** Where a parameter is collected: the whole server, per domain, per account. */
  public enum Scope {
    /** The whole server. */
    SERVER,
    /** One mail domain (off by default). */
    DOMAIN,
    /** One account (off by default). */
    ACCOUNT
  }

  /** Checks the name and copies the scopes. */
  public Parameter {
    if (name == null || !NAME.matcher(name).matches()) {
      throw new IllegalArgumentException("parameter name must be lower-case words joined by '.' or '_', got " + name);
    }
    if (scopes.isEmpty() || !scopes.contains(Scope.SERVER)) {
      throw new IllegalArgumentException("parameter " + name + " must have the server scope, got " + scopes);
    }
    scopes = Set.copyOf(scopes);
  }

  private static final Set<Scope> S = EnumSet.of(Scope.SERVER);
  private static final Set<Scope> SD = EnumSet.of(Scope.SERVER, Scope.DOMAIN);
  private static final Set<Scope> SDA = EnumSet.of(Scope.SERVER, Scope.DOMAIN, Scope.ACCOUNT);

  /** Every parameter, in the order of the reference table (docs: reporting-snmp §6). */
  public static final List<Parameter> ALL = List.of(
      c("smtp.in.connections", "connections", S, "moSmtpInConnections", "smtpd connect from"),
      g("smtp.in.active_connections", "connections", S, "moSmtpInActiveConnections", "established on :25/:465/:587"),
      c("smtp.in.auth_success", "sessions", SDA, "moSmtpInAuthSuccess", "smtpd client= with sasl_method"),
      c("smtp.in.auth_failures", "attempts", S, "moSmtpInAuthFailures", "smtpd SASL authentication failed"),
      c("smtp.in.accepted", "messages", SD, "moSmtpInMessagesAccepted", "smtpd QID: client="),
      c("smtp.in.rejected", "messages", SD, "moSmtpInRejected", "smtpd/postscreen NOQUEUE: reject:"),
      c("smtp.in.rcpt_rejected", "recipients", SD, "moSmtpInRcptRejected", "NOQUEUE: reject: RCPT"),
      c("smtp.in.bytes", "bytes", SD, "moSmtpInBytes", "qmgr size= of messages received by smtpd"),
      c("smtp.in.lost_connections", "connections", S, "moSmtpInLostConnections", "smtpd lost connection after"),
      c("smtp.out.delivered", "messages", SDA, "moSmtpOutDelivered", "status=sent"),
      c("smtp.out.deferred", "messages", SD, "moSmtpOutDeferred", "status=deferred"),
      c("smtp.out.bounced", "messages", SD, "moSmtpOutBounced", "status=bounced"),
      c("smtp.out.expired", "messages", SD, "moSmtpOutExpired", "qmgr status=expired, returned to sender"),
      c("smtp.out.connections", "connections", S, "moSmtpOutConnections", "smtp delivery attempts"),
      g("smtp.out.active_connections", "connections", S, "moSmtpOutActiveConnections", "established to remote :25"),
      c("smtp.out.bytes", "bytes", SD, "moSmtpOutBytes", "qmgr size= per delivery"),
      g("queue.total", "messages", S, "moQueueTotal", "messages in the Postfix queue"),
      g("queue.active", "messages", S, "moQueueActive", "messages in the active queue"),
      g("queue.deferred", "messages", S, "moQueueDeferred", "messages in the deferred queue"),
      g("queue.hold", "messages", S, "moQueueHold", "messages in the hold queue"),
      g("queue.incoming", "messages", S, "moQueueIncoming", "messages in the incoming queue"),
      g("queue.oldest_age", "seconds", S, "moQueueOldestAgeSec", "age of the oldest queued message"),
      g("queue.size", "KiB", S, "moQueueSizeKB", "total size of the queued messages"),
      c("queue.inserted", "messages", S, "moQueueInserted", "qmgr from=, size=, nrcpt= (queue active)"),
      c("pop3.logins", "logins", SDA, "moPop3Logins", "dovecot pop3-login: Login"),
      c("pop3.login_failures", "attempts", SD, "moPop3LoginFailures", "dovecot pop3-login auth failed, N attempts"),
      g("pop3.active_sessions", "sessions", S, "moPop3ActiveSessions", "established on :110/:995"),
      c("pop3.bytes_retrieved", "bytes", SDA, "moPop3BytesRetrieved", "dovecot pop3 Logged out retr=N/bytes"),
      c("imap.logins", "logins", SDA, "moImapLogins", "dovecot imap-login: Login"),
      c("imap.login_failures", "attempts", SD, "moImapLoginFailures", "dovecot imap-login auth failed, N attempts"),
      g("imap.active_sessions", "sessions", S, "moImapActiveSessions", "established on :143/:993"),
      c("imap.bytes_in", "bytes", SDA, "moImapBytesIn", "dovecot imap Logged out in="),
      c("imap.bytes_out", "bytes", SDA, "moImapBytesOut", "dovecot imap Logged out out="),
      c("imap.appends", "commands", SDA, "moImapAppends", "dovecot imap(user): save: lines (mail_log plugin, mail_log_events = save)"),
      c("filter.rejected", "messages", SD, "moFilterRejectedTotal", "NOQUEUE: reject and cleanup reject/discard"),
      c("filter.spam", "messages", SD, "moFilterSpam", "spam verdicts (amavis, rspamd, milters)"),
      c("filter.virus", "messages", SD, "moFilterVirus", "virus verdicts"),
      c("filter.greylisted", "messages", SD, "moFilterGreylisted", "greylisting deferrals"),
      c("filter.rbl_rejects", "messages", S, "moFilterRblRejects", "rejects blocked using a DNSBL"),
      g("system.load1", "load x100", S, "moSysLoad1", "/proc/loadavg, 1 minute"),
      g("system.load5", "load x100", S, "moSysLoad5", "/proc/loadavg, 5 minutes"),
      g("system.load15", "load x100", S, "moSysLoad15", "/proc/loadavg, 15 minutes"),
      g("storage.used", "KiB", SDA, "moStorageUsedKB", "mail storage used"),
      g("storage.free", "KiB", S, "moStorageFreeKB", "free space of the storage file system"),
      g("collector.last_run", "seconds since epoch", S, "moCollectorLastRun", "last successful collection"),
      c("collector.unparsed_lines", "lines", S, "moCollectorUnparsedLines", "log lines no rule understood"));

  /** The parameter called {@code name}, if there is one. */
  public static Optional<Parameter> byName(String name) {
    return ALL.stream().filter(p -> p.name.equals(name)).findFirst();
  }

  private static Parameter c(String name, String unit, Set<Scope> scopes, String mib, String description) {
    return new Parameter(name, Type.COUNTER, unit, scopes, mib, description);
  }

  private static Parameter g(String name, String unit, Set<Scope> scopes, String mib, String description) {
    return new Parameter(name, Type.GAUGE, unit, scopes, mib, description);
  }
}
