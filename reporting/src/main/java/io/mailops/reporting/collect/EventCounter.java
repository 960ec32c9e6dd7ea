package io.mailops.reporting.collect;

import io.mailops.reporting.Parameter;
import io.mailops.reporting.logs.DeliveryStatus;
import io.mailops.reporting.logs.LogEvent;
import io.mailops.reporting.logs.RejectAction;
import io.mailops.reporting.series.ScopeRef;
import java.time.Instant;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Turns {@link LogEvent}s into per-minute counter deltas of the reference's §6 parameters, stamped
 * with the minute of the line's own timestamp (read in {@code zone}). Always at server scope; at
 * domain and account scope when enabled and the parameter has that scope, attributed from the
 * addresses in the lines: the SASL user on submission, the recipient of a local delivery (lmtp,
 * virtual, local), the sender (from the qmgr line of the same queue id) of other deliveries and
 * rejects' recipients, the user of a Dovecot login or save. IMAP appends are the {@code save:} lines
 * of Dovecot's {@code mail_log} plugin from {@code imap} processes (without the plugin, none are
 * logged and the counter stays 0).
 *
 * <p>Bytes need the qmgr {@code size=} of a queue id seen earlier: the last {@value #QIDS} queue ids are
 * remembered, in memory only (a restart between a message's qmgr line and its delivery leaves its
 * bytes out). A line without a readable timestamp is counted in the minute of the last line that had
 * one. Not thread-safe.
 */
public final class EventCounter {

  static final int QIDS = 100_000;

  private static final Parameter SMTP_IN_CONNECTIONS = p("smtp.in.connections");
  private static final Parameter SMTP_IN_AUTH_SUCCESS = p("smtp.in.auth_success");
  private static final Parameter SMTP_IN_AUTH_FAILURES = p("smtp.in.auth_failures");
  private static final Parameter SMTP_IN_ACCEPTED = p("smtp.in.accepted");
  private static final Parameter SMTP_IN_REJECTED = p("smtp.in.rejected");
  private static final Parameter SMTP_IN_RCPT_REJECTED = p("smtp.in.rcpt_rejected");
  private static final Parameter SMTP_IN_BYTES = p("smtp.in.bytes");
  private static final Parameter SMTP_IN_LOST = p("smtp.in.lost_connections");
  private static final Parameter SMTP_OUT_DELIVERED = p("smtp.out.delivered");
  private static final Parameter SMTP_OUT_DEFERRED = p("smtp.out.deferred");
  private static final Parameter SMTP_OUT_BOUNCED = p("smtp.out.bounced");
  private static final Parameter SMTP_OUT_EXPIRED = p("smtp.out.expired");
  private static final Parameter SMTP_OUT_CONNECTIONS = p("smtp.out.connections");
  private static final Parameter SMTP_OUT_BYTES = p("smtp.out.bytes");
  private static final Parameter QUEUE_INSERTED = p("queue.inserted");
  private static final Parameter POP3_LOGINS = p("pop3.logins");
  private static final Parameter POP3_FAILURES = p("pop3.login_failures");
  private static final Parameter POP3_BYTES = p("pop3.bytes_retrieved");
  private static final Parameter IMAP_LOGINS = p("imap.logins");
  private static final Parameter IMAP_FAILURES = p("imap.login_failures");
  private static final Parameter IMAP_BYTES_IN = p("imap.bytes_in");
  private static final Parameter IMAP_BYTES_OUT = p("imap.bytes_out");
  private static final Parameter IMAP_APPENDS = p("imap.appends");
  private static final Parameter FILTER_REJECTED = p("filter.rejected");
  private static final Parameter FILTER_SPAM = p("filter.spam");
  private static final Parameter FILTER_VIRUS = p("filter.virus");
  private static final Parameter FILTER_GREYLISTED = p("filter.greylisted");
  private static final Parameter FILTER_RBL = p("filter.rbl_rejects");
  private static final Parameter UNPARSED = p("collector.unparsed_lines");

  /** What the queue manager said about a queue id. */
  private record Message(boolean smtpd, String from, long size) {}

  private final ZoneId zone;
  private final boolean domains;
  private final boolean accounts;
  private final Map<String, Message> messages = new LinkedHashMap<>(1024, 0.75f, false) {
    private static final long serialVersionUID = 1L;

    @Override
    protected boolean removeEldestEntry(Map.Entry<String, Message> eldest) {
      return size() > QIDS;
    }
  };
  private Instant lastTime;

  /**
   * A counter for log lines written in {@code zone}.
   *
   * @param domains also count at domain scope
   * @param accounts also count at account scope
   */
  public EventCounter(ZoneId zone, boolean domains, boolean accounts) {
    this.zone = Objects.requireNonNull(zone, "zone");
    this.domains = domains;
    this.accounts = accounts;
  }

  /**
   * Adds what {@code event} counts to {@code batch}; {@code fallback} is the time of a line without a
   * timestamp when no earlier line had one.
   */
  public void count(LogEvent event, MinuteBatch batch, Instant fallback) {
    Instant t;
    if (event.origin() != null) {
      t = event.origin().time().atZone(zone).toInstant();
      lastTime = t;
    } else {
      t = lastTime != null ? lastTime : fallback;
    }
    if (event instanceof LogEvent.Connect c) {
      if (c.origin().service().equals("smtpd")) {
        batch.add(SMTP_IN_CONNECTIONS, ScopeRef.SERVER, t, 1);
      }
    } else if (event instanceof LogEvent.LostConnection) {
      batch.add(SMTP_IN_LOST, ScopeRef.SERVER, t, 1);
    } else if (event instanceof LogEvent.SaslFailure) {
      batch.add(SMTP_IN_AUTH_FAILURES, ScopeRef.SERVER, t, 1);
    } else if (event instanceof LogEvent.ClientAccepted a) {
      messages.put(a.queueId(), new Message(true, null, 0));
      add(batch, SMTP_IN_ACCEPTED, t, 1, a.saslUser());
      if (a.saslMethod() != null) {
        add(batch, SMTP_IN_AUTH_SUCCESS, t, 1, a.saslUser());
      }
    } else if (event instanceof LogEvent.Queued q) {
      Message before = messages.get(q.queueId());
      boolean smtpd = before != null && before.smtpd();
      messages.put(q.queueId(), new Message(smtpd, q.from(), q.size()));
      add(batch, QUEUE_INSERTED, t, 1, null);
      if (smtpd) {
        add(batch, SMTP_IN_BYTES, t, q.size(), q.from());
      }
    } else if (event instanceof LogEvent.Delivery d) {
      delivery(d, batch, t);
    } else if (event instanceof LogEvent.Expired e) {
      add(batch, SMTP_OUT_EXPIRED, t, 1, e.from());
    } else if (event instanceof LogEvent.Reject r) {
      reject(r, batch, t);
    } else if (event instanceof LogEvent.DovecotLogin l) {
      login(l, batch, t);
    } else if (event instanceof LogEvent.DovecotLogout l) {
      if (l.protocol().equals("pop3")) {
        add(batch, POP3_BYTES, t, l.bytesOut(), l.user());
      } else if (l.protocol().equals("imap")) {
        add(batch, IMAP_BYTES_IN, t, l.bytesIn(), l.user());
        add(batch, IMAP_BYTES_OUT, t, l.bytesOut(), l.user());
      }
    } else if (event instanceof LogEvent.DovecotSave v) {
      if (v.protocol().equals("imap")) {
        add(batch, IMAP_APPENDS, t, 1, v.user());
      }
    } else if (event instanceof LogEvent.Unparsed u) {
      unparsed(u, batch, t);
    }
  }

  private void delivery(LogEvent.Delivery d, MinuteBatch batch, Instant t) {
    Message m = messages.get(d.queueId());
    boolean local = switch (d.origin().service()) {
      case "lmtp", "virtual", "local" -> true;
      default -> false;
    };
    // local deliveries belong to the recipient, the others to the sender
    String who = local ? d.to() : m == null ? null : m.from();
    if (d.origin().service().equals("smtp")) {
      add(batch, SMTP_OUT_CONNECTIONS, t, 1, null);
    }
    if (d.status() == DeliveryStatus.SENT && !d.forwarded()) {
      add(batch, SMTP_OUT_DELIVERED, t, 1, who);
      if (m != null) {
        add(batch, SMTP_OUT_BYTES, t, m.size(), who);
      }
    } else if (d.status() == DeliveryStatus.DEFERRED) {
      add(batch, SMTP_OUT_DEFERRED, t, 1, who);
      if (d.detail().toLowerCase(Locale.ROOT).contains("greylist")) {
        add(batch, FILTER_GREYLISTED, t, 1, who);
      }
    } else if (d.status() == DeliveryStatus.BOUNCED) {
      add(batch, SMTP_OUT_BOUNCED, t, 1, who);
    }
  }

  private void reject(LogEvent.Reject r, MinuteBatch batch, Instant t) {
    String service = r.origin().service();
    String reason = r.reason().toLowerCase(Locale.ROOT);
    if (r.action() == RejectAction.REJECT && r.queueId() == null
        && (service.equals("smtpd") || service.equals("postscreen"))) {
      add(batch, SMTP_IN_REJECTED, t, 1, r.to());
      if ("RCPT".equals(r.stage())) {
        add(batch, SMTP_IN_RCPT_REJECTED, t, 1, r.to());
      }
      if (reason.contains("greylist")) {
        add(batch, FILTER_GREYLISTED, t, 1, r.to());
      }
    }
    boolean rejected = r.action() == RejectAction.REJECT
        || (r.action() == RejectAction.DISCARD && service.equals("cleanup"));
    if (rejected) {
      add(batch, FILTER_REJECTED, t, 1, r.to());
      if (reason.contains("blocked using")) {
        add(batch, FILTER_RBL, t, 1, null);
      }
      if ((r.milter() || service.equals("cleanup")) && reason.contains("spam")) {
        add(batch, FILTER_SPAM, t, 1, r.to());
      }
      if (reason.contains("virus") || reason.contains("infected")) {
        add(batch, FILTER_VIRUS, t, 1, r.to());
      }
    }
  }

  private void login(LogEvent.DovecotLogin l, MinuteBatch batch, Instant t) {
    boolean pop3 = l.protocol().equals("pop3");
    if (!pop3 && !l.protocol().equals("imap")) {
      return;
    }
    if (l.success()) {
      add(batch, pop3 ? POP3_LOGINS : IMAP_LOGINS, t, 1, l.user());
    } else {
      add(batch, pop3 ? POP3_FAILURES : IMAP_FAILURES, t, Math.max(1, l.attempts()), l.user());
    }
  }

  /** amavis verdicts are read here (no parser rule); every other unparsed line is counted as such. */
  private static void unparsed(LogEvent.Unparsed u, MinuteBatch batch, Instant t) {
    if (u.origin() != null && u.origin().program().startsWith("amavis")) {
      String line = u.line();
      if (line.contains("Blocked SPAM") || line.contains("Passed SPAM")) {
        batch.add(FILTER_SPAM, ScopeRef.SERVER, t, 1);
        return;
      }
      if (line.contains("Blocked INFECTED") || line.contains("Blocked BANNED")) {
        batch.add(FILTER_VIRUS, ScopeRef.SERVER, t, 1);
        return;
      }
    }
    batch.add(UNPARSED, ScopeRef.SERVER, t, 1);
  }

  /** Adds at server scope and, when enabled and allowed, at the domain and account of {@code address}. */
  private void add(MinuteBatch batch, Parameter p, Instant t, double delta, String address) {
    batch.add(p, ScopeRef.SERVER, t, delta);
    if (address == null || (!domains && !accounts)) {
      return;
    }
    int at = address.lastIndexOf('@');
    if (at <= 0 || at == address.length() - 1) {
      return;
    }
    if (domains && p.scopes().contains(Parameter.Scope.DOMAIN)) {
      batch.add(p, new ScopeRef(Parameter.Scope.DOMAIN, address.substring(at + 1)), t, delta);
    }
    if (accounts && p.scopes().contains(Parameter.Scope.ACCOUNT)) {
      batch.add(p, new ScopeRef(Parameter.Scope.ACCOUNT, address), t, delta);
    }
  }

  static Parameter p(String name) {
    return Parameter.byName(name).orElseThrow(() -> new IllegalStateException("no parameter " + name));
  }
}
