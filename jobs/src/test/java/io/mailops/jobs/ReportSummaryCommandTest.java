package io.mailops.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The command-line contract of {@code mailops report summary} and {@code report params}. The log
 * is the example lines of the reference (reporting-snmp.md §2.7); pflogsumm 1.1.5 on it says:
 * 2 received, 1 delivered, 0 forwarded, 1 deferred (1 deferrals), 1 bounced, 3 rejected, 0 held,
 * 0 discarded, 5120 bytes received and delivered, 1 sender, 1 recipient ({@code pflogsumm FILE}).
 */
class ReportSummaryCommandTest {

  static final List<String> LOG = List.of(
      "Feb  2 12:34:50 mx1 postfix/smtpd[2101]: connect from mail.example.net[192.0.2.10]",
      "Feb  2 12:34:51 mx1 postfix/smtpd[2101]: 4F2A0001AB: client=mail.example.net[192.0.2.10]",
      "Feb  2 12:34:51 mx1 postfix/submission/smtpd[2150]: 5ABC0002CD: client=unknown[198.51.100.7], sasl_method=PLAIN, "
          + "sasl_username=alice@example.org",
      "Feb  2 12:34:51 mx1 postfix/cleanup[2102]: 4F2A0001AB: message-id=<20250202.1@example.net>",
      "Feb  2 12:34:51 mx1 postfix/qmgr[900]: 4F2A0001AB: from=<bob@example.net>, size=5120, nrcpt=1 (queue active)",
      "Feb  2 12:34:52 mx1 postfix/smtpd[2101]: disconnect from mail.example.net[192.0.2.10] ehlo=1 mail=1 rcpt=1 data=1 "
          + "quit=1 commands=5",
      "Feb  2 12:34:52 mx1 postfix/lmtp[2103]: 4F2A0001AB: to=<carol@example.org>, relay=mail.example.org[private/dovecot-lmtp], "
          + "delay=0.61, delays=0.2/0.02/0.28/0.1, dsn=2.0.0, status=sent (250 2.0.0 <carol@example.org> Saved)",
      "Feb  2 12:34:52 mx1 postfix/qmgr[900]: 4F2A0001AB: removed",
      "2025-02-02T12:40:00.211184+01:00 mx1 postfix/smtp[2200]: 6DEF0003EF: to=<dan@example.com>, relay=none, delay=300, "
          + "delays=0.1/0/300/0, dsn=4.4.1, status=deferred (connect to mx.example.com[203.0.113.25]:25: Connection timed out)",
      "Feb  2 12:41:00 mx1 postfix/smtp[2201]: 7AAA0004BB: to=<eve@example.com>, relay=mx.example.com[203.0.113.25]:25, "
          + "delay=0.5, delays=0.1/0/0.2/0.2, dsn=5.1.1, status=bounced (host mx.example.com[203.0.113.25] said: 550 5.1.1 "
          + "User unknown (in reply to RCPT TO command))",
      "Feb  2 12:42:00 mx1 postfix/smtpd[2300]: NOQUEUE: reject: RCPT from unknown[203.0.113.9]: 554 5.7.1 <x@example.org>: "
          + "Relay access denied; from=<spam@example.biz> to=<x@example.org> proto=ESMTP helo=<bad>",
      "Feb  2 12:42:05 mx1 postfix/postscreen[2301]: NOQUEUE: reject: RCPT from [203.0.113.12]:40711: 550 5.7.1 Service "
          + "unavailable; client [203.0.113.12] blocked using zen.spamhaus.org; from=<a@example.biz>, to=<b@example.org>, "
          + "proto=ESMTP, helo=<x>",
      "Feb  2 12:42:10 mx1 postfix/cleanup[2302]: 9CCC0006DD: milter-reject: END-OF-MESSAGE from unknown[203.0.113.9]: 5.7.1 "
          + "Blocked by SpamAssassin; from=<a@example.biz> to=<b@example.org> proto=ESMTP helo=<x>",
      "Feb  2 12:43:00 mx1 dovecot: imap-login: Login: user=<carol@example.org>, method=PLAIN, rip=198.51.100.20, "
          + "lip=192.0.2.1, mpid=3101, TLS, session=<e5MLrgYvcMZ/AAAB>",
      "this line is garbage",
      "Feb  3 00:00:01 mx1 postfix/smtpd[2500]: 1B2C3D4E5F: client=mail.example.net[192.0.2.10]");

  @TempDir
  Path tmp;

  Path log;
  Map<String, String> env;

  @BeforeEach
  void writeLog() throws Exception {
    log = Files.write(tmp.resolve("mail.log"), LOG);
    env = Map.of("MAILOPS_HOME", tmp.toString());
  }

  @Test
  void jsonHasTheGrandTotalsUnderTheDocumentedKeys() {
    CliResult r = CliResult.run(env, "report", "summary", "--day", "2025-02-02", "--logs", log.toString(), "--json");
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.err()).isEmpty();
    String out = r.out();
    for (String kv : List.of("\"received\": 2,", "\"delivered\": 1,", "\"forwarded\": 0,", "\"deferred\": 1,",
        "\"deferrals\": 1,", "\"bounced\": 1,", "\"rejected\": 3,", "\"held\": 0,", "\"discarded\": 0,",
        "\"bytes_received\": 5120,", "\"bytes_delivered\": 5120,", "\"senders\": 1,", "\"recipients\": 1,")) {
      assertThat(out).contains("\n  " + kv + "\n");
    }
    assertThat(out).startsWith("{\n  \"received\": 2,\n").endsWith("\n}\n");
    assertThat(out).contains("\"per_hour\": [", "{\"hour\": 12, \"received\": 2, \"delivered\": 1, \"deferred\": 1, "
        + "\"bounced\": 1, \"rejected\": 3}", "\"senders_by_count\": [\n    {\"address\": \"bob@example.net\", \"count\": 1, "
        + "\"bytes\": 5120}", "{\"reason\": \"RCPT: Relay access denied\", \"count\": 1}", "\"unparsed_lines\": 1,");
  }

  @Test
  void withoutADayEveryLineCounts() {
    CliResult r = CliResult.run(env, "report", "summary", "--logs", log.toString(), "--json");
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).contains("\n  \"received\": 3,\n");
  }

  @Test
  void textLooksLikePflogsumm() {
    CliResult r = CliResult.run(env, "report", "summary", "--day", "2025-02-02", "--logs", log.toString());
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).startsWith("Postfix log summary for 2025-02-02\n\nGrand Totals\n------------\nmessages\n\n"
        + "      2   received\n      1   delivered\n      0   forwarded\n      1   deferred  (1 deferrals)\n"
        + "      1   bounced\n      3   rejected (75%)\n");
    assertThat(r.out()).contains("   5120   bytes received\n", "    1200-1300             2          1          1"
        + "          1          3\n", "Senders by message count\n------------------------\n        1   bob@example.net\n",
        "message reject detail\n", "      1   RCPT: Relay access denied\n");
  }

  @Test
  void aMissingLogIsOneLineNamingTheFileAndExitsOne() {
    Path missing = tmp.resolve("nope.log");
    CliResult r = CliResult.run(env, "report", "summary", "--logs", missing.toString());
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err()).isEqualTo("mailops: cannot read log file " + missing + ": no such file; check the path (--logs)\n");
  }

  @Test
  void dayAndFromTogetherIsBadUsage() {
    CliResult r = CliResult.run(env, "report", "summary", "--day", "2025-02-02", "--from", "2025-02-01", "--logs",
        log.toString());
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).startsWith("mailops: --day cannot be combined with --from or --to");
    CliResult bad = CliResult.run(env, "report", "summary", "--from", "yesterday", "--logs", log.toString());
    assertThat(bad.code()).isEqualTo(2);
    assertThat(bad.err()).startsWith("mailops: --from 'yesterday': use YYYY-MM-DD or YYYY-MM-DDTHH:MM[:SS]");
  }

  @Test
  void fromToSelectsByTime() {
    CliResult r = CliResult.run(env, "report", "summary", "--from", "2025-02-02T12:41", "--to", "2025-02-02",
        "--logs", log.toString(), "--json");
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).contains("\n  \"received\": 0,\n", "\n  \"bounced\": 1,\n", "\n  \"rejected\": 3,\n");
  }

  @Test
  void paramsListsOneStableNamePerLineFirst() {
    CliResult r = CliResult.run(env, "report", "params");
    assertThat(r.code()).as(r.err()).isZero();
    List<String> lines = r.out().lines().toList();
    assertThat(lines.get(0)).startsWith("NAME").contains("TYPE", "UNIT", "SCOPES", "MIB");
    assertThat(lines).anyMatch(l -> l.matches("queue\\.total\\s+gauge\\s+messages\\s+server\\s+moQueueTotal"));
    assertThat(lines).anyMatch(l -> l.matches("smtp\\.out\\.delivered\\s+counter\\s+messages\\s+server,domain,account\\s+"
        + "moSmtpOutDelivered"));
    assertThat(lines).anyMatch(l -> l.startsWith("collector.unparsed_lines "));
    assertThat(lines).hasSizeGreaterThan(40);
  }
}
