package io.mailops.reporting.chart;

import io.mailops.reporting.summary.MailSummary;
import java.util.ArrayList;
import java.util.List;
import java.util.function.ToLongFunction;

/**
 * A table under the charts of a {@link ReportPage}: a title, the column headings and the rows,
 * each row as wide as the header. The cells are plain text (the page escapes them).
 */
public record SummaryTable(String title, List<String> header, List<List<String>> rows) {

  /** Checks that every row has as many cells as the header; copies the lists. */
  public SummaryTable {
    if (title == null || title.isBlank() || header == null || header.isEmpty()) {
      throw new IllegalArgumentException("summary table '" + title + "': give a title and at least one column");
    }
    header = List.copyOf(header);
    List<List<String>> copy = new ArrayList<>();
    for (List<String> row : rows) {
      if (row.size() != header.size()) {
        throw new IllegalArgumentException("summary table '" + title + "' row " + (copy.size() + 1) + ": " + row.size()
            + " cells for " + header.size() + " columns");
      }
      copy.add(List.copyOf(row));
    }
    rows = List.copyOf(copy);
  }

  /**
   * The tables of a pflogsumm-style summary: grand totals, traffic per hour, top senders and
   * recipients by count and size, deferral, bounce and reject reasons.
   */
  public static List<SummaryTable> of(MailSummary s) {
    MailSummary.Totals t = s.totals();
    List<List<String>> totals = List.of(
        row("received", t.received()), row("delivered", t.delivered()), row("forwarded", t.forwarded()),
        row("deferred", t.deferred()), row("deferrals", t.deferrals()), row("bounced", t.bounced()),
        row("rejected", t.rejected()), row("reject warnings", t.rejectWarnings()), row("held", t.held()),
        row("discarded", t.discarded()), row("bytes received", t.bytesReceived()),
        row("bytes delivered", t.bytesDelivered()), row("senders", t.senders()),
        row("sending hosts/domains", t.sendingDomains()), row("recipients", t.recipients()),
        row("recipient hosts/domains", t.recipientDomains()), row("log lines", s.lines()),
        row("log lines not understood", s.unparsed()));
    List<List<String>> hours = s.perHour().stream().map(h -> List.of(
        String.format("%02d00-%02d00", h.hour(), h.hour() + 1), Long.toString(h.received()),
        Long.toString(h.delivered()), Long.toString(h.deferred()), Long.toString(h.bounced()),
        Long.toString(h.rejected()))).toList();
    return List.of(
        new SummaryTable("Grand totals", List.of("total", "value"), totals),
        new SummaryTable("Per-hour traffic", List.of("time", "received", "delivered", "deferred", "bounced",
            "rejected"), hours),
        addresses("Senders by message count", "messages", s.sendersByCount(), MailSummary.AddressStat::count),
        addresses("Recipients by message count", "messages", s.recipientsByCount(), MailSummary.AddressStat::count),
        addresses("Senders by message size", "bytes", s.sendersBySize(), MailSummary.AddressStat::bytes),
        addresses("Recipients by message size", "bytes", s.recipientsBySize(), MailSummary.AddressStat::bytes),
        reasons("Deferral reasons", s.deferralReasons()),
        reasons("Bounce reasons", s.bounceReasons()),
        reasons("Reject reasons", s.rejectReasons()));
  }

  private static List<String> row(String name, long value) {
    return List.of(name, Long.toString(value));
  }

  private static SummaryTable addresses(String title, String unit, List<MailSummary.AddressStat> list,
      ToLongFunction<MailSummary.AddressStat> value) {
    return new SummaryTable(title, List.of(unit, "address"),
        list.stream().map(a -> List.of(Long.toString(value.applyAsLong(a)), a.address())).toList());
  }

  private static SummaryTable reasons(String title, List<MailSummary.ReasonCount> list) {
    return new SummaryTable(title, List.of("lines", "reason"),
        list.stream().map(r -> List.of(Long.toString(r.count()), r.reason())).toList());
  }
}
