package io.mailops.storage.interop;

import static io.mailops.storage.model.Flag.ANSWERED;
import static io.mailops.storage.model.Flag.DRAFT;
import static io.mailops.storage.model.Flag.FLAGGED;
import static io.mailops.storage.model.Flag.SEEN;
import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static java.nio.charset.StandardCharsets.UTF_8;

import io.mailops.storage.model.Flag;
import io.mailops.storage.model.Flags;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The messages the Dovecot interop tests send and write, each found again by its unique
 * Message-ID, and the line-ending conversions between Maildir files and IMAP.
 */
final class TestMail {

  static final DateTimeFormatter IMAP_DATE =
      DateTimeFormatter.ofPattern("dd-MMM-yyyy HH:mm:ss xx", Locale.ENGLISH);
  static final Pattern MESSAGE_ID = Pattern.compile("(?m)^Message-ID: <([^>]+)>");

  private TestMail() {}

  /** A test message: its bytes, flags and internal date (IMAP sends it with this offset). */
  record Spec(String messageId, byte[] bytes, Flags flags, OffsetDateTime date) {
    String imapFlags() {
      return flags.toString();
    }

    String imapDate() {
      return IMAP_DATE.format(date);
    }
  }

  /**
   * Five messages per folder: all flags and keywords with CRLF; no flags with LF; 8-bit UTF-8
   * body, \Seen and NonJunk; no final newline; 70 KB, keyword only, with a CR as byte 65535 and
   * its LF as byte 65536 (a CRLF split between two 64 KiB reads must not count as a bare LF in
   * {@code W=}). Internal dates in the past, in several UTC offsets.
   */
  static List<Spec> specs(String run, String tag) {
    List<Spec> specs = new ArrayList<>();
    String id = id(run, tag, 1);
    specs.add(new Spec(id, mail(id, "all flags, CRLF", "Grüße aus Köln\nZeile 2\n", "\r\n"),
        Flags.of(Set.of(SEEN, ANSWERED, FLAGGED, DRAFT), Set.of("$Label1", "NonJunk")),
        OffsetDateTime.of(2019, 3, 14, 9, 26, 53, 0, ZoneOffset.ofHours(1))));
    id = id(run, tag, 2);
    specs.add(new Spec(id, mail(id, "no flags, LF", "plain\nbody\n", "\n"), Flags.NONE,
        OffsetDateTime.of(2021, 2, 1, 23, 59, 59, 0, ZoneOffset.ofHours(-8))));
    id = id(run, tag, 3);
    specs.add(new Spec(id, mail(id, "8-bit", "Entwürfe für die Übersicht: ÄÖÜß €\n", "\r\n"),
        Flags.of(Set.of(SEEN), Set.of("NonJunk")),
        OffsetDateTime.of(2016, 2, 29, 0, 0, 1, 0, ZoneOffset.UTC)));
    id = id(run, tag, 4);
    specs.add(new Spec(id, mail(id, "no final newline", "the end", "\n"), Flags.of(FLAGGED),
        OffsetDateTime.of(2024, 12, 31, 23, 59, 58, 0, ZoneOffset.ofHoursMinutes(5, 30))));
    id = id(run, tag, 5);
    byte[] head = mail(id, "70 KB, CRLF across the 64 KiB read", "", "\r\n");
    StringBuilder body = new StringBuilder();
    int crAt = 65535 - head.length;
    while (body.length() + 76 <= crAt) {
      body.append("abcdefghij".repeat(7)).append("klmn\r\n");
    }
    body.append("y".repeat(crAt - body.length())).append("\r\n").append("z\r\n".repeat(2000));
    byte[] big = new byte[head.length + body.length()];
    System.arraycopy(head, 0, big, 0, head.length);
    System.arraycopy(body.toString().getBytes(ISO_8859_1), 0, big, head.length, body.length());
    if (big[65535] != '\r') {
      throw new IllegalStateException("byte 65535 of the big message must be CR");
    }
    specs.add(new Spec(id, big, Flags.of(Set.<Flag>of(), Set.of("$Label1")),
        OffsetDateTime.of(2010, 7, 4, 4, 5, 6, 0, ZoneOffset.ofHours(-4))));
    return specs;
  }

  /** A Message-ID unique to this run. */
  static String id(String run, String tag, int n) {
    return run + "." + tag + "." + n + "@mailops.test";
  }

  /** A text/plain 8-bit message with {@code eol} line ends. */
  static byte[] mail(String messageId, String subject, String body, String eol) {
    String text = "From: =?UTF-8?Q?J=C3=BCrgen?= <juergen@example.org>\n"
        + "To: alice@example.com\n"
        + "Subject: " + subject + "\n"
        + "Date: Thu, 14 Mar 2019 09:26:53 +0100\n"
        + "Message-ID: <" + messageId + ">\n"
        + "MIME-Version: 1.0\n"
        + "Content-Type: text/plain; charset=UTF-8\n"
        + "Content-Transfer-Encoding: 8bit\n"
        + "\n" + body;
    return text.replace("\n", eol).getBytes(UTF_8);
  }

  /** The Message-ID (without brackets) of a message. */
  static String messageId(byte[] message) {
    Matcher m = MESSAGE_ID.matcher(new String(message, ISO_8859_1));
    if (!m.find()) {
      throw new AssertionError("no Message-ID in "
          + new String(message, 0, Math.min(200, message.length), ISO_8859_1));
    }
    return m.group(1);
  }

  /** Reads and closes {@code in}. */
  static byte[] read(InputStream in) throws IOException {
    try (in) {
      return in.readAllBytes();
    }
  }

  /** Bare LF -> CRLF, as IMAP serves a message. */
  static byte[] crlf(byte[] b) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(b.length + b.length / 20);
    for (int i = 0; i < b.length; i++) {
      if (b[i] == '\n' && (i == 0 || b[i - 1] != '\r')) {
        out.write('\r');
      }
      out.write(b[i]);
    }
    return out.toByteArray();
  }

  /** CRLF -> LF, as Dovecot stores an APPENDed message. */
  static byte[] lf(byte[] b) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(b.length);
    for (int i = 0; i < b.length; i++) {
      if (!(b[i] == '\r' && i + 1 < b.length && b[i + 1] == '\n')) {
        out.write(b[i]);
      }
    }
    return out.toByteArray();
  }

  /** SHA-256 in hex. */
  static String sha(byte[] b) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
