package io.mailops.reporting.summary;

import java.util.List;

/**
 * A pflogsumm-style report of a mail log: grand totals counted by pflogsumm's rules (see
 * {@link SummaryBuilder}), traffic per hour of the day, top senders and recipients, and the
 * reasons of deferrals, bounces and rejects, most frequent first.
 *
 * @param lines the lines read in the period (and lines without a readable timestamp)
 * @param unparsed the lines of those that no rule understood
 */
public record MailSummary(Totals totals, List<HourTraffic> perHour, List<AddressStat> sendersByCount,
    List<AddressStat> sendersBySize, List<AddressStat> recipientsByCount, List<AddressStat> recipientsBySize,
    List<ReasonCount> deferralReasons, List<ReasonCount> bounceReasons, List<ReasonCount> rejectReasons,
    long lines, long unparsed) {

  /** Copies the lists. */
  public MailSummary {
    perHour = List.copyOf(perHour);
    sendersByCount = List.copyOf(sendersByCount);
    sendersBySize = List.copyOf(sendersBySize);
    recipientsByCount = List.copyOf(recipientsByCount);
    recipientsBySize = List.copyOf(recipientsBySize);
    deferralReasons = List.copyOf(deferralReasons);
    bounceReasons = List.copyOf(bounceReasons);
    rejectReasons = List.copyOf(rejectReasons);
  }

  /**
   * pflogsumm's "Grand Totals".
   *
   * @param received messages that entered the queue (smtpd/postscreen {@code client=}, pickup)
   * @param delivered successful deliveries ({@code status=sent}, one per recipient), forwards excluded
   * @param forwarded {@code status=sent (forwarded as …)}
   * @param deferred distinct queue ids with at least one deferral
   * @param deferrals {@code status=deferred} lines
   * @param bounced {@code status=bounced} lines
   * @param rejected smtpd/postscreen {@code reject:} and cleanup header/body/milter rejects
   * @param rejectWarnings {@code reject_warning:} and cleanup {@code warning:}
   * @param held {@code hold:}
   * @param discarded {@code discard:}
   * @param bytesReceived the qmgr {@code size=} of received messages
   * @param bytesDelivered the qmgr {@code size=} of the message of each delivery
   * @param senders distinct sender addresses of received messages
   * @param sendingDomains distinct sender domains (client host when the sender has none)
   * @param recipients distinct recipient addresses delivered to
   * @param recipientDomains distinct recipient domains delivered to
   */
  public record Totals(long received, long delivered, long forwarded, long deferred, long deferrals, long bounced,
      long rejected, long rejectWarnings, long held, long discarded, long bytesReceived, long bytesDelivered,
      long senders, long sendingDomains, long recipients, long recipientDomains) {}

  /** Counts of one hour of the day (summed over the days of the period, as pflogsumm does). */
  public record HourTraffic(int hour, long received, long delivered, long deferred, long bounced, long rejected) {}

  /** A sender or recipient with its message count and the bytes of those messages. */
  public record AddressStat(String address, long count, long bytes) {}

  /** A reason text with the number of lines that gave it. */
  public record ReasonCount(String reason, long count) {}
}
