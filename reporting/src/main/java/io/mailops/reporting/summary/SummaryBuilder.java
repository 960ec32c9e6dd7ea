package io.mailops.reporting.summary;

import io.mailops.reporting.logs.LogEvent;
import io.mailops.reporting.logs.LogFiles;
import io.mailops.reporting.logs.LogLineParser;
import io.mailops.reporting.logs.Origin;
import io.mailops.reporting.logs.RejectAction;
import java.io.IOException;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Counts log events into a {@link MailSummary} with the rules of pflogsumm 1.1.5 (Debian), so
 * that the grand totals are the same on the same log:
 * <ul>
 *   <li>Only lines of {@code postfix/SERVICE}, {@code postfix/smtps/SERVICE} and
 *       {@code postfix/submission/SERVICE} count, and the same with the syslog name given instead
 *       of {@code postfix} (pflogsumm's {@code --syslog-name}, e.g. {@code postfix-out}).</li>
 *   <li>received: smtpd or postscreen {@code QID: client=} (with a pid), and pickup
 *       {@code uid=}/{@code sender=} lines.</li>
 *   <li>bytes received, senders: the first qmgr {@code from=<…>, size=N} of a received queue
 *       id adds N and counts the sender (domain lower-cased, the null sender as {@code from=<>});
 *       a later size line of the same id is ignored.</li>
 *   <li>delivered / forwarded: each {@code status=sent} line of any other service, forwarded when
 *       the text says {@code forwarded as}; bytes delivered adds the size of the queue id (0 if
 *       its size line was not seen); recipients counts distinct delivered addresses.</li>
 *   <li>deferrals: each {@code status=deferred} line; deferred: distinct queue ids among them.</li>
 *   <li>bounced: each {@code status=bounced} line. Expiries are not counted.</li>
 *   <li>rejected, reject warnings, held, discarded: smtpd and postscreen
 *       {@code reject:}/{@code reject_warning:}/{@code hold:}/{@code discard:} (not
 *       {@code milter-reject}), and cleanup ones at {@code header}, {@code body} or
 *       {@code END-OF-MESSAGE} (milter ones included).</li>
 * </ul>
 * Not thread-safe.
 */
public final class SummaryBuilder {

  /** pflogsumm's default {@code --syslog-name}. */
  public static final String POSTFIX = "postfix";

  /**
   * Threads that parse while one reads and the caller counts: parsing is about half the CPU of a
   * summary, counting a quarter; two parsers keep the counting thread busy on two cores.
   */
  private static final int PARSING_THREADS = 2;

  private final SummaryPeriod period;
  private final String syslogName;
  private long lines;
  private long unparsed;
  private long received;
  private long delivered;
  private long forwarded;
  private long deferrals;
  private long bounced;
  private long rejected;
  private long rejectWarnings;
  private long held;
  private long discarded;
  private long bytesReceived;
  private long bytesDelivered;
  private final long[][] hours = new long[24][5];
  private final Set<String> receivedIds = new HashSet<>();
  private final Map<String, Long> sizes = new HashMap<>();
  private final Set<String> deferredIds = new HashSet<>();
  private final Map<String, long[]> senders = new HashMap<>();
  private final Map<String, long[]> senderDomains = new HashMap<>();
  private final Map<String, long[]> recipients = new HashMap<>();
  private final Set<String> recipientDomains = new HashSet<>();
  private final Map<String, long[]> deferralReasons = new HashMap<>();
  private final Map<String, long[]> bounceReasons = new HashMap<>();
  private final Map<String, long[]> rejectReasons = new HashMap<>();

  /** A builder that counts the events of {@code period} logged as {@code postfix/…}. */
  public SummaryBuilder(SummaryPeriod period) {
    this(period, POSTFIX);
  }

  /**
   * A builder that counts the events of {@code period} logged as {@code postfix/…} or
   * {@code SYSLOGNAME/…} (Postfix's {@code syslog_name}).
   */
  public SummaryBuilder(SummaryPeriod period, String syslogName) {
    if (syslogName == null || syslogName.isEmpty() || syslogName.contains("/") || syslogName.contains(" ")) {
      throw new IllegalArgumentException("syslog name must be one word without '/', like postfix-out; got '"
          + syslogName + "'");
    }
    this.period = period;
    this.syslogName = syslogName;
  }

  /**
   * Reads {@code logs} in order and summarises the lines of {@code period}; yearless timestamps
   * get their year from {@link SummaryPeriod#yearReference}. The lines are read on a second
   * thread and parsed on two more while this one counts.
   *
   * @param top how many senders, recipients and reasons each list keeps
   */
  public static MailSummary summarize(List<Path> logs, SummaryPeriod period, LocalDate today, int top)
      throws IOException {
    return summarize(logs, period, POSTFIX, today, top);
  }

  /**
   * {@link #summarize(List, SummaryPeriod, LocalDate, int)} for a Postfix whose {@code syslog_name}
   * is {@code syslogName} (its lines count as well as {@code postfix/…} ones, as with pflogsumm's
   * {@code --syslog-name}).
   */
  public static MailSummary summarize(List<Path> logs, SummaryPeriod period, String syslogName, LocalDate today,
      int top) throws IOException {
    SummaryBuilder b = new SummaryBuilder(period, syslogName);
    LocalDate reference = period.yearReference(today);
    LogFiles.forEachEvent(logs, () -> new LogLineParser(reference), PARSING_THREADS, b::accept);
    return b.build(top);
  }

  /** Counts one event if it is in the period. */
  public void accept(LogEvent e) {
    Origin o = e.origin();
    if (o != null && !period.contains(o.time())) {
      return;
    }
    lines++;
    if (e instanceof LogEvent.Unparsed) {
      unparsed++;
      return;
    }
    if (!pflogsummProgram(o)) {
      return;
    }
    int hour = o.time().getHour();
    String service = o.service();
    boolean smtpd = service.equals("smtpd") || service.equals("postscreen");
    if (e instanceof LogEvent.Reject r) {
      boolean counted = service.equals("cleanup")
          ? r.stage().equals("header") || r.stage().equals("body") || r.stage().equals("END-OF-MESSAGE")
              || (r.queueId() == null && !r.milter())
          : !r.milter() && (smtpd || r.queueId() == null);
      if (counted) {
        reject(r, hour);
      }
    } else if (e instanceof LogEvent.ClientAccepted a) {
      if (smtpd && o.pid() >= 0 && !a.client().isEmpty()) {
        received++;
        hours[hour][0]++;
        if (hasDomain(a.client())) {
          receivedIds.add(a.queueId());
        }
      }
    } else if (smtpd || service.equals("master")) {
      return;
    } else if (e instanceof LogEvent.Queued q) {
      queued(q);
    } else if (e instanceof LogEvent.Delivery d) {
      delivery(d, hour);
    } else if (e instanceof LogEvent.Pickup p && service.equals("pickup")) {
      received++;
      hours[hour][0]++;
      receivedIds.add(p.queueId());
    }
  }

  private void reject(LogEvent.Reject r, int hour) {
    hours[hour][4]++;
    RejectAction a = r.action();
    switch (a) {
      case REJECT -> rejected++;
      case WARNING -> rejectWarnings++;
      case HOLD -> held++;
      case DISCARD -> discarded++;
    }
    if (a == RejectAction.REJECT) {
      add(rejectReasons, r.stage() + ": " + Reasons.reject(r.reason()), 0);
    }
  }

  private void queued(LogEvent.Queued q) {
    Long known = sizes.putIfAbsent(q.queueId(), q.size());
    if (known != null) {
      if (known != 0) {
        return;   // pflogsumm: "avoid double-counting!" (a size of 0 does not count as seen)
      }
      sizes.put(q.queueId(), q.size());
    }
    if (receivedIds.remove(q.queueId())) {
      String addr = q.from().isEmpty() ? "from=<>" : lowerDomain(q.from());
      add(senders, addr, q.size());
      int at = addr.indexOf('@');
      add(senderDomains, at < 0 ? addr : addr.substring(at + 1), q.size());
      bytesReceived += q.size();
    }
  }

  private void delivery(LogEvent.Delivery d, int hour) {
    String addr = lowerDomain(d.to());
    switch (d.status()) {
      case SENT -> {
        if (d.detail().contains("forwarded as ")) {
          forwarded++;
          return;
        }
        delivered++;
        hours[hour][1]++;
        Long size = sizes.get(d.queueId());
        long s = size == null ? 0 : size;
        add(recipients, addr, s);
        int at = addr.indexOf('@');
        recipientDomains.add(at < 0 ? addr : addr.substring(at + 1));
        bytesDelivered += s;
      }
      case DEFERRED -> {
        deferrals++;
        hours[hour][2]++;
        deferredIds.add(d.queueId());
        add(deferralReasons, d.origin().service() + ": " + Reasons.deferral(d.detail()), 0);
      }
      case BOUNCED -> {
        bounced++;
        hours[hour][3]++;
        add(bounceReasons, Reasons.bounce(d.detail()), 0);
      }
      default -> { }
    }
  }

  /** The summary of what was accepted so far; lists keep the {@code top} first entries. */
  public MailSummary build(int top) {
    MailSummary.Totals t = new MailSummary.Totals(received, delivered, forwarded, deferredIds.size(), deferrals,
        bounced, rejected, rejectWarnings, held, discarded, bytesReceived, bytesDelivered, senders.size(),
        senderDomains.size(), recipients.size(), recipientDomains.size());
    List<MailSummary.HourTraffic> perHour = new ArrayList<>();
    for (int h = 0; h < 24; h++) {
      long[] c = hours[h];
      perHour.add(new MailSummary.HourTraffic(h, c[0], c[1], c[2], c[3], c[4]));
    }
    return new MailSummary(t, perHour, top(senders, 0, top), top(senders, 1, top), top(recipients, 0, top),
        top(recipients, 1, top), reasons(deferralReasons, top), reasons(bounceReasons, top),
        reasons(rejectReasons, top), lines, unparsed);
  }

  private static List<MailSummary.AddressStat> top(Map<String, long[]> m, int by, int top) {
    Comparator<Map.Entry<String, long[]>> c = Comparator.comparingLong(e -> -e.getValue()[by]);
    c = c.thenComparingLong(e -> -e.getValue()[1 - by]).thenComparing(Map.Entry::getKey);
    return m.entrySet().stream().sorted(c).limit(top)
        .map(e -> new MailSummary.AddressStat(e.getKey(), e.getValue()[0], e.getValue()[1])).toList();
  }

  private static List<MailSummary.ReasonCount> reasons(Map<String, long[]> m, int top) {
    Comparator<Map.Entry<String, long[]>> c = Comparator.comparingLong(e -> -e.getValue()[0]);
    return m.entrySet().stream().sorted(c.thenComparing(Map.Entry::getKey)).limit(top)
        .map(e -> new MailSummary.ReasonCount(e.getKey(), e.getValue()[0])).toList();
  }

  private static void add(Map<String, long[]> m, String key, long bytes) {
    long[] v = m.computeIfAbsent(key, k -> new long[2]);
    v[0]++;
    v[1] += bytes;
  }

  /** pflogsumm's {@code s/(@.+)/\L$1/}: everything from the first '@' lower-cased. */
  static String lowerDomain(String addr) {
    int at = addr.indexOf('@');
    if (at < 0) {
      return addr;
    }
    for (int i = at + 1; i < addr.length(); i++) {
      char c = addr.charAt(i);
      if (c >= 'A' && c <= 'Z' || c > 0x7f) {
        return addr.substring(0, at) + addr.substring(at).toLowerCase(Locale.ROOT);
      }
    }
    return addr;
  }

  /** pflogsumm reads only {@code postfix/X}, {@code postfix/smtps/X} and {@code postfix/submission/X}. */
  private boolean pflogsummProgram(Origin o) {
    String p = o.program();
    int n;
    if (p.startsWith("postfix/")) {
      n = 8;
    } else if (p.startsWith(syslogName) && p.length() > syslogName.length() && p.charAt(syslogName.length()) == '/') {
      n = syslogName.length() + 1;
    } else {
      return false;
    }
    int rest = p.length() - o.service().length();
    return rest == n || (rest == n + 6 && p.startsWith("smtps/", n)) || (rest == n + 11 && p.startsWith("submission/", n));
  }

  /** pflogsumm's gimme_domain() gives a value for {@code host[ip]}, {@code host/ip} and {@code host(ip)} clients. */
  private static boolean hasDomain(String client) {
    return client.indexOf('[') >= 0 || client.indexOf('/') >= 0 || client.indexOf('(') >= 0;
  }
}
