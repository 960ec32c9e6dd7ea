package io.mailops.reporting.summary;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mailops.reporting.ReportingException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The grand totals equal pflogsumm's on the same log. {@code logs/mail-summary.log} is 800 lines
 * of {@code bench/lib/maillog-gen.py 800 --hours 6 --seed 11 --style mixed} (traditional then
 * RFC 3339 timestamps), the example lines of the reference, lines for pflogsumm's corner cases
 * (reject_warning, hold, discard, smtpd milter-reject, postfix-out, a size of 0, mixed-case
 * addresses, long queue ids) and garbage. The expected numbers are pflogsumm 1.1.5's (Debian),
 * run with its unit scaling switched off so that bytes print in full:
 * <pre>
 * sed 's/^\$divByOneKAt .*&#47;$divByOneKAt = 1e18;/; s/^\$divByOneMegAt .*&#47;$divByOneMegAt = 1e18;/' \
 *   /usr/sbin/pflogsumm &gt; /tmp/pflogsumm-exact
 * perl /tmp/pflogsumm-exact reporting/src/test/resources/logs/mail-summary.log
 * </pre>
 */
class SummaryBuilderTest {

  private static final LocalDate TODAY = LocalDate.of(2025, 3, 1);

  @TempDir
  Path tmp;

  static Path log() throws URISyntaxException {
    return Path.of(SummaryBuilderTest.class.getResource("/logs/mail-summary.log").toURI());
  }

  @Test
  void grandTotalsEqualPflogsummOnTheSameLog() throws Exception {
    MailSummary s = SummaryBuilder.summarize(List.of(log()), SummaryPeriod.all(), TODAY, 10);
    MailSummary.Totals t = s.totals();
    assertThat(t.received()).isEqualTo(99);
    assertThat(t.delivered()).isEqualTo(135);
    assertThat(t.forwarded()).isEqualTo(10);
    assertThat(t.deferred()).isEqualTo(5);
    assertThat(t.deferrals()).isEqualTo(10);
    assertThat(t.bounced()).isEqualTo(3);
    assertThat(t.rejected()).isEqualTo(22);
    assertThat(t.rejectWarnings()).isEqualTo(2);
    assertThat(t.held()).isEqualTo(1);
    assertThat(t.discarded()).isEqualTo(2);
    assertThat(t.bytesReceived()).isEqualTo(8462032);
    assertThat(t.bytesDelivered()).isEqualTo(13706803);
    assertThat(t.senders()).isEqualTo(79);
    assertThat(t.sendingDomains()).isEqualTo(9);
    assertThat(t.recipients()).isEqualTo(54);
    assertThat(t.recipientDomains()).isEqualTo(8);
  }

  @Test
  void perHourTrafficAddsUpToTheTotals() throws Exception {
    MailSummary s = SummaryBuilder.summarize(List.of(log()), SummaryPeriod.all(), TODAY, 10);
    assertThat(s.perHour()).hasSize(24);
    assertThat(s.perHour().stream().mapToLong(MailSummary.HourTraffic::received).sum()).isEqualTo(99);
    assertThat(s.perHour().stream().mapToLong(MailSummary.HourTraffic::delivered).sum()).isEqualTo(135);
    assertThat(s.perHour().stream().mapToLong(MailSummary.HourTraffic::deferred).sum()).isEqualTo(10);
    // pflogsumm's per-day "rejected" column: rejects, reject warnings, holds and discards
    assertThat(s.perHour().stream().mapToLong(MailSummary.HourTraffic::rejected).sum()).isEqualTo(27);
    assertThat(s.perHour().get(13).received()).isEqualTo(2);
  }

  @Test
  void listsAreSortedAndCappedAndReasonsAreShort() throws Exception {
    MailSummary s = SummaryBuilder.summarize(List.of(log()), SummaryPeriod.all(), TODAY, 3);
    assertThat(s.sendersByCount()).hasSize(3);
    assertThat(s.sendersByCount().get(0).count()).isGreaterThanOrEqualTo(s.sendersByCount().get(2).count());
    assertThat(s.recipientsBySize().get(0).bytes()).isGreaterThanOrEqualTo(s.recipientsBySize().get(1).bytes());
    assertThat(s.rejectReasons()).extracting(MailSummary.ReasonCount::reason)
        .contains("RCPT: Recipient address rejected: User unknown in virtual mailbox table");
    assertThat(s.deferralReasons().get(0).reason()).startsWith("smtp: ");
    assertThat(s.unparsed()).isPositive();
    assertThat(s.lines()).isEqualTo(848);
  }

  @Test
  void aDayCountsOnlyItsLinesAndGivesYearlessLinesThatYear() throws Exception {
    MailSummary all = SummaryBuilder.summarize(List.of(log()), SummaryPeriod.all(), TODAY, 10);
    MailSummary day = SummaryBuilder.summarize(List.of(log()), SummaryPeriod.day(LocalDate.of(2025, 2, 2)),
        LocalDate.of(2030, 1, 1), 10);
    MailSummary other = SummaryBuilder.summarize(List.of(log()), SummaryPeriod.day(LocalDate.of(2025, 2, 3)),
        TODAY, 10);
    assertThat(day.totals()).isEqualTo(all.totals());
    assertThat(other.totals().received()).isZero();
    assertThat(other.lines()).isEqualTo(5);   // the garbage lines without a readable timestamp
  }

  @Test
  void gzipAndPlainFilesAreReadInOrderAsOneLog() throws Exception {
    List<String> lines = Files.readAllLines(log(), StandardCharsets.ISO_8859_1);
    Path first = tmp.resolve("mail.log.1.gz");
    try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(first))) {
      out.write((String.join("\n", lines.subList(0, 400)) + "\n").getBytes(StandardCharsets.ISO_8859_1));
    }
    Path second = Files.write(tmp.resolve("mail.log"), lines.subList(400, lines.size()), StandardCharsets.ISO_8859_1);
    MailSummary split = SummaryBuilder.summarize(List.of(first, second), SummaryPeriod.all(), TODAY, 10);
    MailSummary whole = SummaryBuilder.summarize(List.of(log()), SummaryPeriod.all(), TODAY, 10);
    assertThat(split.totals()).isEqualTo(whole.totals());
  }

  @Test
  void aPostfixWithItsOwnSyslogNameCountsOnlyWhenThatNameIsGivenAsWithPflogsummSyslogName() throws Exception {
    List<String> lines = Files.readAllLines(log(), StandardCharsets.ISO_8859_1);
    Path renamed = Files.write(tmp.resolve("mail-out.log"),
        lines.stream().map(l -> l.replace(" postfix/", " postfix-out/")).toList(), StandardCharsets.ISO_8859_1);
    MailSummary whole = SummaryBuilder.summarize(List.of(log()), SummaryPeriod.all(), "postfix-out", TODAY, 10);
    MailSummary postfixOnly = SummaryBuilder.summarize(List.of(log()), SummaryPeriod.all(), TODAY, 10);
    assertThat(whole.totals().delivered()).as("the log's one postfix-out/smtp status=sent line")
        .isEqualTo(postfixOnly.totals().delivered() + 1);

    MailSummary named = SummaryBuilder.summarize(List.of(renamed), SummaryPeriod.all(), "postfix-out", TODAY, 10);
    MailSummary unnamed = SummaryBuilder.summarize(List.of(renamed), SummaryPeriod.all(), TODAY, 10);
    MailSummary prefixOnly = SummaryBuilder.summarize(List.of(renamed), SummaryPeriod.all(), "postfix-o", TODAY, 10);

    assertThat(whole.totals().received()).isPositive();
    assertThat(named.totals()).isEqualTo(whole.totals());
    assertThat(unnamed.totals().received()).isZero();
    assertThat(prefixOnly.totals().received()).isZero();
    assertThatThrownBy(() -> new SummaryBuilder(SummaryPeriod.all(), "postfix/smtpd"))
        .hasMessage("syslog name must be one word without '/', like postfix-out; got 'postfix/smtpd'");
  }

  @Test
  void aMissingFileIsNamedInTheError() {
    Path missing = tmp.resolve("nope.log");
    assertThatThrownBy(() -> SummaryBuilder.summarize(List.of(missing), SummaryPeriod.all(), TODAY, 10))
        .isInstanceOf(ReportingException.class)
        .hasMessage("cannot read log file " + missing + ": no such file; check the path (--logs)");
  }

  @Test
  void aBrokenGzipFileIsNamedInTheError() throws IOException {
    Path broken = Files.write(tmp.resolve("mail.log.2.gz"), new byte[] {0x1f, (byte) 0x8b, 8, 0, 1, 2});
    assertThatThrownBy(() -> SummaryBuilder.summarize(List.of(broken), SummaryPeriod.all(), TODAY, 10))
        .isInstanceOf(ReportingException.class)
        .hasMessageStartingWith("cannot read log file " + broken + " after line 0: ");
  }
}
