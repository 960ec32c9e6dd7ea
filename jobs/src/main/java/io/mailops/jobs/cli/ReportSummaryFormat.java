package io.mailops.jobs.cli;

import tools.jackson.core.io.JsonStringEncoder;
import io.mailops.reporting.summary.MailSummary;
import java.util.List;
import java.util.function.Function;

/** The text and JSON layouts of {@code mailops report summary}. */
final class ReportSummaryFormat {

  private ReportSummaryFormat() {}

  /** pflogsumm's layout: Grand Totals, Per-Hour Traffic, top senders/recipients, problem details. */
  static String text(MailSummary s, String title) {
    MailSummary.Totals t = s.totals();
    long all = t.delivered() + t.rejected() + t.discarded();
    StringBuilder b = new StringBuilder();
    b.append(title).append("\n\n");
    heading(b, "Grand Totals");
    b.append("messages\n\n");
    count(b, t.received(), "received");
    count(b, t.delivered(), "delivered");
    count(b, t.forwarded(), "forwarded");
    count(b, t.deferred(), "deferred" + (t.deferrals() > 0 ? "  (" + t.deferrals() + " deferrals)" : ""));
    count(b, t.bounced(), "bounced");
    count(b, t.rejected(), "rejected (" + percent(t.rejected(), all) + "%)");
    count(b, t.rejectWarnings(), "reject warnings");
    count(b, t.held(), "held");
    count(b, t.discarded(), "discarded (" + percent(t.discarded(), all) + "%)");
    b.append('\n');
    count(b, t.bytesReceived(), "bytes received");
    count(b, t.bytesDelivered(), "bytes delivered");
    count(b, t.senders(), "senders");
    count(b, t.sendingDomains(), "sending hosts/domains");
    count(b, t.recipients(), "recipients");
    count(b, t.recipientDomains(), "recipient hosts/domains");
    b.append('\n');
    heading(b, "Per-Hour Traffic Summary");
    b.append(String.format("    %-12s %10s %10s %10s %10s %10s%n", "time", "received", "delivered", "deferred", "bounced",
        "rejected"));
    b.append("    ").append("-".repeat(67)).append('\n');
    for (MailSummary.HourTraffic h : s.perHour()) {
      b.append(String.format("    %02d00-%02d00    %10d %10d %10d %10d %10d%n", h.hour(), h.hour() + 1, h.received(),
          h.delivered(), h.deferred(), h.bounced(), h.rejected()));
    }
    addresses(b, "Senders by message count", s.sendersByCount(), MailSummary.AddressStat::count);
    addresses(b, "Recipients by message count", s.recipientsByCount(), MailSummary.AddressStat::count);
    addresses(b, "Senders by message size", s.sendersBySize(), MailSummary.AddressStat::bytes);
    addresses(b, "Recipients by message size", s.recipientsBySize(), MailSummary.AddressStat::bytes);
    reasons(b, "message deferral detail", s.deferralReasons());
    reasons(b, "message bounce detail", s.bounceReasons());
    reasons(b, "message reject detail", s.rejectReasons());
    b.append('\n').append(s.lines()).append(" log lines in the period, ").append(s.unparsed())
        .append(" not understood by any rule\n");
    return b.toString();
  }

  /** One object: the grand totals first as top-level keys, then the per-hour and top lists. */
  static String json(MailSummary s) {
    MailSummary.Totals t = s.totals();
    StringBuilder b = new StringBuilder("{\n");
    key(b, "received", t.received());
    key(b, "delivered", t.delivered());
    key(b, "forwarded", t.forwarded());
    key(b, "deferred", t.deferred());
    key(b, "deferrals", t.deferrals());
    key(b, "bounced", t.bounced());
    key(b, "rejected", t.rejected());
    key(b, "held", t.held());
    key(b, "discarded", t.discarded());
    key(b, "bytes_received", t.bytesReceived());
    key(b, "bytes_delivered", t.bytesDelivered());
    key(b, "senders", t.senders());
    key(b, "recipients", t.recipients());
    key(b, "reject_warnings", t.rejectWarnings());
    key(b, "sending_domains", t.sendingDomains());
    key(b, "recipient_domains", t.recipientDomains());
    key(b, "lines", s.lines());
    key(b, "unparsed_lines", s.unparsed());
    b.append("  \"per_hour\": [");
    for (int i = 0; i < s.perHour().size(); i++) {
      MailSummary.HourTraffic h = s.perHour().get(i);
      b.append(i == 0 ? "\n    " : ",\n    ").append("{\"hour\": ").append(h.hour()).append(", \"received\": ")
          .append(h.received()).append(", \"delivered\": ").append(h.delivered()).append(", \"deferred\": ")
          .append(h.deferred()).append(", \"bounced\": ").append(h.bounced()).append(", \"rejected\": ")
          .append(h.rejected()).append('}');
    }
    b.append("\n  ],\n");
    addressList(b, "senders_by_count", s.sendersByCount());
    addressList(b, "senders_by_size", s.sendersBySize());
    addressList(b, "recipients_by_count", s.recipientsByCount());
    addressList(b, "recipients_by_size", s.recipientsBySize());
    reasonList(b, "deferral_reasons", s.deferralReasons());
    reasonList(b, "bounce_reasons", s.bounceReasons());
    reasonList(b, "reject_reasons", s.rejectReasons());
    b.setLength(b.length() - 2);
    return b.append("\n}\n").toString();
  }

  private static void heading(StringBuilder b, String title) {
    b.append(title).append('\n').append("-".repeat(title.length())).append('\n');
  }

  private static void count(StringBuilder b, long n, String label) {
    b.append(String.format(" %6d   %s%n", n, label));
  }

  private static long percent(long part, long all) {
    return all == 0 ? 0 : part * 100 / all;
  }

  private static void addresses(StringBuilder b, String title, List<MailSummary.AddressStat> list,
      Function<MailSummary.AddressStat, Long> value) {
    b.append('\n');
    heading(b, title);
    if (list.isEmpty()) {
      b.append(" none\n");
    }
    for (MailSummary.AddressStat a : list) {
      b.append(String.format(" %8d   %s%n", value.apply(a), a.address()));
    }
  }

  private static void reasons(StringBuilder b, String title, List<MailSummary.ReasonCount> list) {
    b.append('\n');
    heading(b, title);
    if (list.isEmpty()) {
      b.append(" none\n");
    }
    for (MailSummary.ReasonCount r : list) {
      b.append(String.format(" %6d   %s%n", r.count(), r.reason()));
    }
  }

  private static void key(StringBuilder b, String key, long value) {
    b.append("  \"").append(key).append("\": ").append(value).append(",\n");
  }

  private static void addressList(StringBuilder b, String key, List<MailSummary.AddressStat> list) {
    b.append("  \"").append(key).append("\": [");
    for (int i = 0; i < list.size(); i++) {
      MailSummary.AddressStat a = list.get(i);
      b.append(i == 0 ? "\n    " : ",\n    ").append("{\"address\": \"");
      b.append(JsonStringEncoder.getInstance().quoteAsCharArray(a.address()));
      b.append("\", \"count\": ").append(a.count()).append(", \"bytes\": ").append(a.bytes()).append('}');
    }
    b.append(list.isEmpty() ? "],\n" : "\n  ],\n");
  }

  private static void reasonList(StringBuilder b, String key, List<MailSummary.ReasonCount> list) {
    b.append("  \"").append(key).append("\": [");
    for (int i = 0; i < list.size(); i++) {
      MailSummary.ReasonCount r = list.get(i);
      b.append(i == 0 ? "\n    " : ",\n    ").append("{\"reason\": \"");
      b.append(JsonStringEncoder.getInstance().quoteAsCharArray(r.reason()));
      b.append("\", \"count\": ").append(r.count()).append('}');
    }
    b.append(list.isEmpty() ? "],\n" : "\n  ],\n");
  }
}
