package io.mailops.reporting.logs;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Each rule on real line shapes (reference reporting-snmp.md §2.7), and garbage. */
class LogLineParserTest {

  private final LogLineParser parser = new LogLineParser(LocalDate.of(2025, 3, 1));

  private <T extends LogEvent> T parse(String line, Class<T> type) {
    LogEvent e = parser.parse(line);
    assertThat(e).as(line).isInstanceOf(type);
    return type.cast(e);
  }

  @Test
  void traditionalTimestampGetsTheLatestYearNotAfterTheReference() {
    LogEvent.Connect c = parse("Feb  2 12:34:50 mx1 postfix/smtpd[2101]: connect from mail.example.net[192.0.2.10]",
        LogEvent.Connect.class);
    assertThat(c.origin()).isEqualTo(new Origin(LocalDateTime.of(2025, 2, 2, 12, 34, 50), "mx1", "postfix/smtpd",
        "smtpd", 2101));
    assertThat(c.client()).isEqualTo("mail.example.net[192.0.2.10]");
    LogEvent dec = parser.parse("Dec 31 23:59:59 mx1 postfix/smtpd[1]: connect from a[192.0.2.1]");
    assertThat(dec.origin().time()).isEqualTo(LocalDateTime.of(2024, 12, 31, 23, 59, 59));
    LogEvent twoDigits = parser.parse("Feb 12 01:02:03 mx1 postfix/smtpd[1]: connect from a[192.0.2.1]");
    assertThat(twoDigits.origin().time()).isEqualTo(LocalDateTime.of(2025, 2, 12, 1, 2, 3));
  }

  @Test
  void leapDayFindsALeapYear() {
    LogEvent e = new LogLineParser(LocalDate.of(2027, 3, 1))
        .parse("Feb 29 10:00:00 mx1 postfix/smtpd[1]: connect from a[192.0.2.1]");
    assertThat(e.origin().time()).isEqualTo(LocalDateTime.of(2024, 2, 29, 10, 0));
  }

  @Test
  void rfc3339TimestampKeepsTheWallTimeAsWritten() {
    LogEvent.Queued q = parse("2025-02-02T09:50:42.211184+01:00 mx1 postfix/qmgr[900]: 4F2A0001AB: "
        + "from=<bob@example.net>, size=5120, nrcpt=1 (queue active)", LogEvent.Queued.class);
    assertThat(q.origin().time()).isEqualTo(LocalDateTime.of(2025, 2, 2, 9, 50, 42));
    assertThat(q).isEqualTo(new LogEvent.Queued(q.origin(), "4F2A0001AB", "bob@example.net", 5120, 1));
    LogEvent z = parser.parse("2025-02-02T09:50:42Z mx1 postfix/qmgr[900]: 4F2A0001AB: removed");
    assertThat(z).isInstanceOf(LogEvent.Removed.class);
  }

  @Test
  void smtpdClientWithAndWithoutSasl() {
    LogEvent.ClientAccepted a = parse("Feb  2 12:34:51 mx1 postfix/smtpd[2101]: 4F2A0001AB: client=mail.example.net[192.0.2.10]",
        LogEvent.ClientAccepted.class);
    assertThat(a.queueId()).isEqualTo("4F2A0001AB");
    assertThat(a.client()).isEqualTo("mail.example.net[192.0.2.10]");
    assertThat(a.saslMethod()).isNull();
    LogEvent.ClientAccepted s = parse("Feb  2 12:34:51 mx1 postfix/submission/smtpd[2150]: 5ABC0002CD: "
        + "client=unknown[198.51.100.7], sasl_method=PLAIN, sasl_username=alice@example.org", LogEvent.ClientAccepted.class);
    assertThat(s.origin().program()).isEqualTo("postfix/submission/smtpd");
    assertThat(s.origin().service()).isEqualTo("smtpd");
    assertThat(s.client()).isEqualTo("unknown[198.51.100.7]");
    assertThat(s.saslMethod()).isEqualTo("PLAIN");
    assertThat(s.saslUser()).isEqualTo("alice@example.org");
  }

  @Test
  void longQueueIds() {
    LogEvent.Delivery d = parse("Feb  2 12:34:52 mx1 postfix/lmtp[2103]: 3Lq8Yx1N4Gz9vQk: to=<carol@example.org>, "
        + "relay=mail.example.org[private/dovecot-lmtp], delay=0.61, delays=0.2/0.02/0.28/0.1, dsn=2.0.0, "
        + "status=sent (250 2.0.0 <carol@example.org> Saved)", LogEvent.Delivery.class);
    assertThat(d.queueId()).isEqualTo("3Lq8Yx1N4Gz9vQk");
    assertThat(d.to()).isEqualTo("carol@example.org");
    assertThat(d.relay()).isEqualTo("mail.example.org[private/dovecot-lmtp]");
    assertThat(d.delay()).isEqualTo("0.61");
    assertThat(d.dsn()).isEqualTo("2.0.0");
    assertThat(d.status()).isEqualTo(DeliveryStatus.SENT);
    assertThat(d.detail()).isEqualTo("250 2.0.0 <carol@example.org> Saved");
    assertThat(d.forwarded()).isFalse();
  }

  @Test
  void deliveryStatuses() {
    LogEvent.Delivery deferred = parse("Feb  2 12:40:00 mx1 postfix/smtp[2200]: 6DEF0003EF: to=<dan@example.com>, "
        + "relay=none, delay=300, delays=0.1/0/300/0, dsn=4.4.1, status=deferred (connect to "
        + "mx.example.com[203.0.113.25]:25: Connection timed out)", LogEvent.Delivery.class);
    assertThat(deferred.status()).isEqualTo(DeliveryStatus.DEFERRED);
    assertThat(deferred.detail()).isEqualTo("connect to mx.example.com[203.0.113.25]:25: Connection timed out");
    LogEvent.Delivery bounced = parse("Feb  2 12:41:00 mx1 postfix/smtp[2201]: 7AAA0004BB: to=<eve@example.com>, "
        + "relay=mx.example.com[203.0.113.25]:25, delay=0.5, delays=0.1/0/0.2/0.2, dsn=5.1.1, status=bounced (host "
        + "mx.example.com[203.0.113.25] said: 550 5.1.1 User unknown (in reply to RCPT TO command))", LogEvent.Delivery.class);
    assertThat(bounced.status()).isEqualTo(DeliveryStatus.BOUNCED);
    assertThat(bounced.detail()).endsWith("(in reply to RCPT TO command)");
    LogEvent.Delivery forwarded = parse("Feb  2 12:41:00 mx1 postfix/local[2204]: 8AAA0004BB: to=<root@mx1.example.org>, "
        + "orig_to=<root>, relay=local, delay=0.1, delays=0.1/0/0/0, dsn=2.0.0, status=sent (forwarded as 9BBB0005CC)",
        LogEvent.Delivery.class);
    assertThat(forwarded.origTo()).isEqualTo("root");
    assertThat(forwarded.forwarded()).isTrue();
    LogEvent.Delivery connUse = parse("Feb  2 12:41:00 mx1 postfix/smtp[2205]: 8AAA0004BC: to=<a@example.net>, "
        + "relay=mx.example.net[192.0.2.5]:25, conn_use=2, delay=0.2, delays=0/0/0/0.2, dsn=2.0.0, status=sent (250 ok)",
        LogEvent.Delivery.class);
    assertThat(connUse.relay()).isEqualTo("mx.example.net[192.0.2.5]:25");
    LogEvent.Expired x = parse("Feb  2 12:50:00 mx1 postfix/qmgr[900]: 6DEF0003EF: from=<bob@example.org>, "
        + "status=expired, returned to sender", LogEvent.Expired.class);
    assertThat(x.from()).isEqualTo("bob@example.org");
  }

  @Test
  void smtpdAndPostscreenRejects() {
    LogEvent.Reject r = parse("Feb  2 12:42:00 mx1 postfix/smtpd[2300]: NOQUEUE: reject: RCPT from unknown[203.0.113.9]: "
        + "554 5.7.1 <x@example.org>: Relay access denied; from=<spam@example.biz> to=<x@example.org> proto=ESMTP helo=<bad>",
        LogEvent.Reject.class);
    assertThat(r).isEqualTo(new LogEvent.Reject(r.origin(), null, RejectAction.REJECT, false, "RCPT",
        "unknown[203.0.113.9]", "554 5.7.1 <x@example.org>: Relay access denied", "spam@example.biz", "x@example.org"));
    LogEvent.Reject p = parse("Feb  2 12:42:05 mx1 postfix/postscreen[2301]: NOQUEUE: reject: RCPT from "
        + "[203.0.113.12]:40711: 550 5.7.1 Service unavailable; client [203.0.113.12] blocked using zen.spamhaus.org; "
        + "from=<a@example.biz>, to=<b@example.org>, proto=ESMTP, helo=<x>", LogEvent.Reject.class);
    assertThat(p.origin().service()).isEqualTo("postscreen");
    assertThat(p.client()).isEqualTo("[203.0.113.12]:40711");
    assertThat(p.from()).isEqualTo("a@example.biz");
    assertThat(p.to()).isEqualTo("b@example.org");
    LogEvent.Reject w = parse("Feb  2 13:00:00 mx1 postfix/smtpd[3001]: NOQUEUE: reject_warning: RCPT from "
        + "unknown[203.0.113.50]: 450 4.7.1 Client host rejected: cannot find your hostname, [203.0.113.50]; "
        + "from=<x@example.biz> to=<alice@example.org> proto=ESMTP helo=<h>", LogEvent.Reject.class);
    assertThat(w.action()).isEqualTo(RejectAction.WARNING);
  }

  @Test
  void cleanupMilterRejectHoldDiscardAndMessageId() {
    LogEvent.Reject m = parse("Feb  2 12:42:10 mx1 postfix/cleanup[2302]: 9CCC0006DD: milter-reject: END-OF-MESSAGE "
        + "from unknown[203.0.113.9]: 5.7.1 Blocked by SpamAssassin; from=<a@example.biz> to=<b@example.org> "
        + "proto=ESMTP helo=<x>", LogEvent.Reject.class);
    assertThat(m.queueId()).isEqualTo("9CCC0006DD");
    assertThat(m.milter()).isTrue();
    assertThat(m.stage()).isEqualTo("END-OF-MESSAGE");
    assertThat(m.reason()).isEqualTo("5.7.1 Blocked by SpamAssassin");
    LogEvent.Reject h = parse("Feb  2 13:00:02 mx1 postfix/cleanup[3002]: 3Lq8Yx1N4Gz9vQk: hold: header Subject: "
        + "invoice from unknown[203.0.113.50]; from=<x@example.biz> to=<alice@example.org> proto=ESMTP helo=<h>: Held",
        LogEvent.Reject.class);
    assertThat(h.action()).isEqualTo(RejectAction.HOLD);
    assertThat(h.stage()).isEqualTo("header");
    assertThat(h.to()).isEqualTo("alice@example.org");
    assertThat(parse("Feb  2 13:03:01 mx1 postfix/cleanup[3005]: 4ABCDEF013: discard: body viagra from "
        + "unknown[203.0.113.53]; from=<s@example.biz> to=<b@example.org> proto=ESMTP helo=<h>: dropped",
        LogEvent.Reject.class).action()).isEqualTo(RejectAction.DISCARD);
    assertThat(parse("Feb  2 12:34:51 mx1 postfix/cleanup[2102]: 4F2A0001AB: message-id=<20250202.1@example.net>",
        LogEvent.MessageId.class).messageId()).isEqualTo("20250202.1@example.net");
  }

  @Test
  void pickupBounceNoticeSaslFailureAndConnections() {
    assertThat(parse("Feb  2 12:00:00 mx1 postfix/pickup[1200]: 1A2B3C4D5E: uid=0 from=<root>", LogEvent.Pickup.class)
        .sender()).isEqualTo("root");
    assertThat(parse("Feb  2 12:41:00 mx1 postfix/bounce[2202]: 7AAA0004BB: sender non-delivery notification: 8BBB0005CC",
        LogEvent.BounceNotice.class).notificationId()).isEqualTo("8BBB0005CC");
    LogEvent.SaslFailure f = parse("Feb  2 12:43:00 mx1 postfix/smtpd[2400]: warning: unknown[203.0.113.77]: SASL LOGIN "
        + "authentication failed: UGFzc3dvcmQ6", LogEvent.SaslFailure.class);
    assertThat(f.client()).isEqualTo("unknown[203.0.113.77]");
    assertThat(f.method()).isEqualTo("LOGIN");
    assertThat(parse("Feb  2 12:43:00 mx1 postfix/smtpd[2400]: warning: hostname bad.example does not resolve to "
        + "address 203.0.113.44", LogEvent.Problem.class).level()).isEqualTo("warning");
    assertThat(parse("Feb  2 12:44:00 mx1 postfix/postscreen[2401]: CONNECT from [203.0.113.12]:40711 to [192.0.2.1]:25",
        LogEvent.Connect.class).client()).isEqualTo("[203.0.113.12]:40711");
    LogEvent.LostConnection l = parse("Feb  2 12:44:00 mx1 postfix/smtpd[2402]: lost connection after RCPT from "
        + "unknown[203.0.113.9]", LogEvent.LostConnection.class);
    assertThat(l.stage()).isEqualTo("RCPT");
    parse("Feb  2 12:34:52 mx1 postfix/smtpd[2101]: disconnect from mail.example.net[192.0.2.10] ehlo=1 mail=1 rcpt=1 "
        + "data=1 quit=1 commands=5", LogEvent.Disconnect.class);
  }

  @Test
  void dovecot23LoginsFailuresAndLogouts() {
    LogEvent.DovecotLogin ok = parse("Feb  2 12:35:00 mx1 dovecot: imap-login: Login: user=<carol@example.org>, "
        + "method=PLAIN, rip=198.51.100.20, lip=192.0.2.1, mpid=3101, TLS, session=<e5MLrgYvcMZ/AAAB>",
        LogEvent.DovecotLogin.class);
    assertThat(ok).isEqualTo(new LogEvent.DovecotLogin(ok.origin(), "imap", "carol@example.org", "198.51.100.20", true, 0));
    LogEvent.DovecotLogout imap = parse("Feb  2 12:35:30 mx1 dovecot: imap(carol@example.org)<3101><e5MLrgYvcMZ/AAAB>: "
        + "Disconnected: Logged out in=397 out=10242 deleted=0 expunged=0 trashed=0 hdr_count=17 hdr_bytes=5147 "
        + "body_count=0 body_bytes=0", LogEvent.DovecotLogout.class);
    assertThat(imap).isEqualTo(new LogEvent.DovecotLogout(imap.origin(), "imap", "carol@example.org", 397, 10242));
    LogEvent.DovecotLogout pop = parse("Feb  2 12:36:02 mx1 dovecot: pop3(dan@example.org)<3120><Kx7f2p9qAAAB>: "
        + "Disconnected: Logged out top=0/0, retr=1/1523, del=1/1, size=1507", LogEvent.DovecotLogout.class);
    assertThat(pop.bytesOut()).isEqualTo(1523);
    LogEvent.DovecotLogin bad = parse("Feb  2 12:37:00 mx1 dovecot: imap-login: Disconnected (auth failed, 1 attempts "
        + "in 2 secs): user=<admin>, method=PLAIN, rip=203.0.113.5, lip=192.0.2.1, TLS, session=<abc>",
        LogEvent.DovecotLogin.class);
    assertThat(bad).isEqualTo(new LogEvent.DovecotLogin(bad.origin(), "imap", "admin", "203.0.113.5", false, 1));
    assertThat(parse("Feb  2 12:37:05 mx1 dovecot: imap-login: Aborted login (auth failed, 3 attempts in 6 secs): "
        + "user=<admin>, method=PLAIN, rip=203.0.113.5, lip=192.0.2.1", LogEvent.DovecotLogin.class).attempts())
        .isEqualTo(3);
    assertThat(parse("Feb  2 13:09:00 mx1 dovecot: pop3-login: Disconnected (auth failed, 1 attempts): user=<bob>, "
        + "method=PLAIN, rip=203.0.113.6, lip=192.0.2.1", LogEvent.DovecotLogin.class).protocol()).isEqualTo("pop3");
  }

  @Test
  void dovecot24Wording() {
    LogEvent.DovecotLogin ok = parse("Feb  2 12:38:00 mx1 dovecot[834]: imap-login: Logged in: user=<carol@example.org>, "
        + "method=PLAIN, rip=198.51.100.20, lip=192.0.2.1, mpid=3130, TLS, session=<x1>", LogEvent.DovecotLogin.class);
    assertThat(ok.success()).isTrue();
    assertThat(ok.origin().pid()).isEqualTo(834);
    LogEvent.DovecotLogin bad = parse("Feb  2 12:38:10 mx1 dovecot[834]: pop3-login: Login aborted: Connection closed "
        + "(auth failed, 1 attempts in 2 secs) (auth_failed): user=<admin@example.org>, method=PLAIN, rip=203.0.113.5, "
        + "lip=192.0.2.1, session=<x2>", LogEvent.DovecotLogin.class);
    assertThat(bad).isEqualTo(new LogEvent.DovecotLogin(bad.origin(), "pop3", "admin@example.org", "203.0.113.5", false, 1));
  }

  /**
   * Dovecot's own log file ({@code log_path}) has no host and no program field; these are the
   * lines Dovecot 2.3.19 wrote in the interop harness (logs/dovecot-log-path.log), which were all
   * counted as not understood before.
   */
  @Test
  void dovecotLogPathLinesWithoutHostAreUnderstood() throws Exception {
    List<String> lines = Files.readAllLines(Path.of(getClass().getResource("/logs/dovecot-log-path.log").toURI()));
    LogLineParser p = new LogLineParser(LocalDate.of(2026, 11, 22));
    List<LogEvent> events = lines.stream().map(p::parse).toList();

    assertThat(events.get(5)).isEqualTo(new LogEvent.DovecotLogin(new Origin(LocalDateTime.of(2026, 11, 22, 10, 3, 12),
        "", "dovecot", "dovecot", -1), "imap", "rep-a@report.test", "127.0.0.1", true, 0));
    assertThat(events.get(6)).isInstanceOfSatisfying(LogEvent.DovecotLogout.class, o -> assertThat(o)
        .extracting(LogEvent.DovecotLogout::protocol, LogEvent.DovecotLogout::user, LogEvent.DovecotLogout::bytesIn,
            LogEvent.DovecotLogout::bytesOut).containsExactly("imap", "rep-a@report.test", 32L, 823L));
    assertThat(events.get(7)).isInstanceOfSatisfying(LogEvent.DovecotLogin.class, f -> assertThat(f)
        .extracting(LogEvent.DovecotLogin::protocol, LogEvent.DovecotLogin::success, LogEvent.DovecotLogin::attempts)
        .containsExactly("imap", false, 1));
    assertThat(events.get(8)).isInstanceOfSatisfying(LogEvent.DovecotLogin.class, l -> assertThat(l)
        .extracting(LogEvent.DovecotLogin::protocol, LogEvent.DovecotLogin::user, LogEvent.DovecotLogin::success)
        .containsExactly("pop3", "rep-b@report.test", true));
    assertThat(events.get(9)).isInstanceOfSatisfying(LogEvent.DovecotLogout.class,
        o -> assertThat(o.bytesOut()).isEqualTo(572));
    assertThat(events.get(10)).isInstanceOfSatisfying(LogEvent.DovecotLogin.class, f -> assertThat(f)
        .extracting(LogEvent.DovecotLogin::protocol, LogEvent.DovecotLogin::success).containsExactly("pop3", false));
    assertThat(events.get(12)).isEqualTo(new LogEvent.DovecotSave(events.get(12).origin(), "imap",
        "rep-a@report.test", "INBOX"));
    assertThat(events.get(13)).isInstanceOfSatisfying(LogEvent.DovecotSave.class,
        v -> assertThat(v.mailbox()).isEqualTo("Foo"));
    assertThat(events.subList(0, 5)).as("start-up, no-auth disconnect and LMTP lines carry no counted event")
        .allSatisfy(e -> assertThat(e).isInstanceOf(LogEvent.Unparsed.class)
            .extracting(LogEvent::origin).isNotNull());
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "garbage", "Feb  2 12:34:5", "Feb 30 12:00:00 mx1 postfix/smtpd[1]: connect from x[1.2.3.4]",
      "Foo  2 12:00:00 mx1 postfix/smtpd[1]: connect from x[1.2.3.4]", "2025-02-02T25:61:00+01:00 mx1 postfix/qmgr[900]: 1: removed",
      "2025-02-02 09:50:42 mx1 postfix/qmgr[900]: 1234567890: removed", "Feb  2 12:34:50 mx1 postfix/smtpd[12",
      "Feb  2 12:34:50 mx1 postfix/smtpd[2101] connect from a[192.0.2.1]", "Feb  2 12:34:50 mx1 ",
      "Feb  2 12:50:01 mx1 postfix/smtp[2200]: 6DEF0003EF: to=<dan@example.com>, relay=none, delay=30",
      "Feb  2 12:50:01 mx1 postfix/smtp[2200]: 6DEF0003EF: to=<dan@example.com",
      "Feb  2 12:50:01 mx1 postfix/qmgr[900]: 6DEF0003EF: from=<a, size=",
      "Feb  2 12:50:01 mx1 postfix/qmgr[900]: 6DEF0003EF: from=<a>, size=99999999999999999999999",
      "Feb  2 12:50:01 mx1 postfix/anvil[1800]: statistics: max connection rate 3/60s for (smtp:203.0.113.9)",
      "Feb  2 12:50:01 mx1 postfix/smtpd[1]: NOQUEUE: reject:", "Feb  2 12:50:01 mx1 dovecot: imap-login: Disconnected (no auth attempts in 0 secs)",
      "Feb  2 12:50:01 mx1 dovecot: auth: passwd-file(bob,203.0.113.5): unknown user", "Feb  2 12:50:01 mx1 dovecot: ",
      "Feb  2 12:51:00 mx1 kernel: [12345.678] eth0: link up", "Feb  2 12:52:00 mx1 postfix/smtpd[9]: \u0001\u0002\u00ff\u00fe"})
  void garbageIsUnparsedNeverAnError(String line) {
    assertThat(parser.parse(line)).isInstanceOf(LogEvent.Unparsed.class);
  }

  @Test
  void everyPrefixOfARealLineIsParsedWithoutError() {
    String line = "2025-02-02T09:50:42.211184+01:00 mx1 postfix/lmtp[2103]: 3Lq8Yx1N4Gz9vQk: to=<carol@example.org>, "
        + "orig_to=<c>, relay=mail.example.org[private/dovecot-lmtp], delay=0.61, delays=0.2/0.02/0.28/0.1, dsn=2.0.0, "
        + "status=sent (250 2.0.0 <carol@example.org> Saved)";
    for (int i = 0; i <= line.length(); i++) {
      assertThat(parser.parse(line.substring(0, i))).isNotNull();
    }
  }
}
