package io.mailops.jobs;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/** The inputs the class-data archive's training feeds the commands: a Postfix queue, a mail log. */
final class TrainingData {

  private TrainingData() {}

  /** The short queue ID of the {@code i}-th training message. */
  static String queueId(int i) {
    return String.format("%05X%X", 0xA0000 + i * 977, 0x40000 + i);
  }

  /**
   * A small Postfix queue of deferred messages with their {@code defer/} logs, in Postfix's
   * record format, for {@code queue list|show}: more messages than the reader needs to use its
   * threads, one with quotes and a control character to escape in JSON.
   */
  static void postfixQueue(Path queue) {
    try {
      for (int i = 0; i < 80; i++) {
        String id = queueId(i);
        String rcpt = (i % 7 == 0 ? "\"john doe\"" : "rcpt" + i) + "@dest" + i % 5 + ".invalid";
        ByteArrayOutputStream env = new ByteArrayOutputStream();
        record(env, 'T', (1_795_000_000L + i) + " 0");
        record(env, 'A', "rewrite_context=remote");
        record(env, 'S', "sender" + i % 3 + "@example.com");
        record(env, 'O', rcpt);
        int rcptAt = 97 + env.size();
        record(env, 'R', rcpt);
        ByteArrayOutputStream content = new ByteArrayOutputStream();
        record(content, 'N', "Subject: training " + i);
        record(content, 'N', "");
        record(content, 'N', "body line " + i);
        ByteArrayOutputStream file = new ByteArrayOutputStream();
        record(file, 'C', String.format("%15d %15d %15d %15d %15d %15d", content.size(),
            97 + env.size() + 2, 1, 0, content.size(), 0));
        env.writeTo(file);
        record(file, 'M', "");
        content.writeTo(file);
        record(file, 'X', "");
        record(file, 'E', "");
        Path f = Files.createDirectories(queue.resolve("deferred").resolve(id.substring(0, 1))).resolve(id);
        Files.write(f, file.toByteArray());
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString(i == 3 ? "rwx--x---" : "rwx------"));
        Path log = Files.createDirectories(queue.resolve("defer").resolve(id.substring(0, 1))).resolve(id);
        Files.writeString(log, "recipient=" + rcpt + "\noffset=" + rcptAt + "\nstatus=4.4.1\naction=delayed\n"
            + "reason=connect to dest" + i % 5 + ".invalid[127.0.0.1]:25: Connection refused"
            + (i == 5 ? "\u0001\u00e9" : "") + "\n\n");
      }
    } catch (IOException | UnsupportedOperationException e) {
      // training only: the archive then lacks the queue reader's classes
    }
  }

  /** Appends one queue file record: type, length in 7-bit groups (low first), data. */
  private static void record(ByteArrayOutputStream out, char type, String data) {
    byte[] b = data.getBytes(StandardCharsets.UTF_8);
    out.write(type);
    int len = b.length;
    do {
      int g = len & 0x7f;
      len >>>= 7;
      out.write(len != 0 ? g | 0x80 : g);
    } while (len != 0);
    out.writeBytes(b);
  }

  /**
   * A few minutes of a mail log in both timestamp styles, one line per kind the summary counts,
   * for {@code report summary}: its parser and counting classes, not the sample store's.
   */
  static Path mailLog(Path dir) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < 40; i++) {
      String id = queueId(i);
      String t = String.format("Feb  2 12:%02d:%02d mx1 ", i % 60, i % 57);
      b.append(t).append("postfix/smtpd[2101]: connect from mail.example.net[192.0.2.10]\n")
          .append(t).append("postfix/smtpd[2101]: ").append(id).append(": client=mail.example.net[192.0.2.10]\n")
          .append(t).append("postfix/cleanup[2102]: ").append(id).append(": message-id=<").append(i)
          .append("@example.net>\n")
          .append(t).append("postfix/qmgr[900]: ").append(id).append(": from=<bob").append(i % 7)
          .append("@example.net>, size=").append(1000 + i).append(", nrcpt=1 (queue active)\n")
          .append(t).append("postfix/lmtp[2103]: ").append(id).append(": to=<carol@example.org>, relay=mail"
              + ".example.org[private/dovecot-lmtp], delay=0.61, delays=0.2/0.02/0.28/0.1, dsn=2.0.0, status=sent"
              + " (250 2.0.0 <carol@example.org> Saved)\n")
          .append(t).append("postfix/smtp[2200]: ").append(id).append(": to=<dan@example.com>, relay=none, delay=300,"
              + " delays=0.1/0/300/0, dsn=4.4.1, status=deferred (connect to mx.example.com[203.0.113.25]:25:"
              + " Connection timed out)\n")
          .append(t).append("postfix/smtp[2201]: ").append(id).append(": to=<eve@example.com>, relay=mx.example.com"
              + "[203.0.113.25]:25, delay=0.5, delays=0.1/0/0.2/0.2, dsn=5.1.1, status=bounced (host"
              + " mx.example.com[203.0.113.25] said: 550 5.1.1 User unknown (in reply to RCPT TO command))\n")
          .append(t).append("postfix/qmgr[900]: ").append(id).append(": removed\n")
          .append(t).append("postfix/smtpd[2300]: NOQUEUE: reject: RCPT from unknown[203.0.113.9]: 554 5.7.1"
              + " <x@example.org>: Relay access denied; from=<spam@example.biz> to=<x@example.org> proto=ESMTP"
              + " helo=<bad>\n")
          .append(t).append("dovecot: imap-login: Login: user=<carol@example.org>, method=PLAIN,"
              + " rip=198.51.100.20, lip=192.0.2.1, mpid=3101, TLS, session=<e5MLrgYvcMZ/AAAB>\n")
          .append("2025-02-02T12:38:00.211184+00:00 mx1 dovecot[834]: imap-login: Logged in:"
              + " user=<carol@example.org>, method=PLAIN, rip=198.51.100.20, lip=192.0.2.1, mpid=3130, TLS,"
              + " session=<x1>\n")
          .append(t).append("cron[77]: (root) CMD (run-parts /etc/cron.hourly)\n");
    }
    Path log = dir.resolve("mail.log");
    try {
      Files.writeString(log, b, StandardCharsets.US_ASCII);
    } catch (IOException e) {
      // training only: the summary then reports a missing file
    }
    return log;
  }
}
