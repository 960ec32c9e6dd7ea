package io.mailops.storage.interop;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/** Varied RFC 5322 messages with CRLF line ends, each with a unique Message-ID and X-Test-Id. */
public final class TestMessages {

  public static final List<String> KEYWORDS = List.of("$Label1", "$Label3", "$Forwarded", "Projekt_Alpha",
      "wichtig", "NonJunk");
  public static final List<String> SYSTEM = List.of("\\Seen", "\\Answered", "\\Flagged", "\\Deleted", "\\Draft");
  public static final List<ZoneId> ZONES = List.of(ZoneId.of("UTC"), ZoneId.of("Europe/Berlin"),
      ZoneId.of("America/New_York"), ZoneId.of("Asia/Kolkata"));
  private static final DateTimeFormatter RFC_DATE =
      DateTimeFormatter.ofPattern("EEE, d MMM yyyy HH:mm:ss Z", Locale.ENGLISH);

  private TestMessages() {}

  /**
   * A message of about {@code size} bytes: plain text (some with UTF-8 8-bit text) or, above
   * 64 KiB, a base64 attachment of random bytes.
   */
  public static byte[] message(String id, String subject, int size, Instant date, Random rnd) {
    StringBuilder h = new StringBuilder();
    h.append("Return-Path: <sender@example.org>\r\n");
    h.append("From: Sender ").append(rnd.nextInt(100)).append(" <sender@example.org>\r\n");
    h.append("To: recipient@example.net\r\n");
    h.append("Subject: ").append(subject).append("\r\n");
    h.append("Date: ").append(RFC_DATE.format(ZonedDateTime.ofInstant(date, ZoneId.of("Europe/Berlin"))))
        .append("\r\n");
    h.append("Message-ID: <").append(id).append("@mailops.test>\r\n");
    h.append("X-Test-Id: ").append(id).append("\r\n");
    h.append("MIME-Version: 1.0\r\n");
    ByteArrayOutputStream out = new ByteArrayOutputStream(size + 1024);
    if (size > 64 * 1024) {
      String boundary = "b-" + id;
      h.append("Content-Type: multipart/mixed; boundary=\"").append(boundary).append("\"\r\n\r\n");
      h.append("--").append(boundary).append("\r\nContent-Type: text/plain; charset=us-ascii\r\n\r\n")
          .append("See the attachment.\r\n\r\n--").append(boundary)
          .append("\r\nContent-Type: application/octet-stream; name=\"data.bin\"\r\n")
          .append("Content-Transfer-Encoding: base64\r\n\r\n");
      out.writeBytes(h.toString().getBytes(StandardCharsets.US_ASCII));
      byte[] raw = new byte[size * 3 / 4];
      rnd.nextBytes(raw);
      String b64 = Base64.getMimeEncoder(76, "\r\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(raw);
      out.writeBytes(b64.getBytes(StandardCharsets.US_ASCII));
      out.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII));
      return out.toByteArray();
    }
    boolean utf8 = rnd.nextBoolean();
    h.append("Content-Type: text/plain; charset=").append(utf8 ? "utf-8" : "us-ascii").append("\r\n");
    h.append("Content-Transfer-Encoding: ").append(utf8 ? "8bit" : "7bit").append("\r\n\r\n");
    out.writeBytes(h.toString().getBytes(StandardCharsets.US_ASCII));
    String line = utf8 ? "Grüße aus Übersicht – Zeile " : "The quick brown fox, line ";
    int n = 0;
    while (out.size() < size) {
      out.writeBytes((line + (n++) + " " + Long.toString(rnd.nextLong(), 36) + "\r\n")
          .getBytes(StandardCharsets.UTF_8));
    }
    return out.toByteArray();
  }

  /** A random flag list (inside of the parentheses) of system flags and keywords. */
  public static String flags(Random rnd) {
    StringBuilder b = new StringBuilder();
    for (String f : SYSTEM) {
      double p = f.equals("\\Seen") ? 0.6 : f.equals("\\Deleted") || f.equals("\\Draft") ? 0.08 : 0.2;
      if (rnd.nextDouble() < p) {
        b.append(b.length() == 0 ? "" : " ").append(f);
      }
    }
    for (String k : KEYWORDS) {
      if (rnd.nextDouble() < 0.15) {
        b.append(b.length() == 0 ? "" : " ").append(k);
      }
    }
    return b.toString();
  }

  /** A size: mostly small, some medium, a few of some hundred KiB. */
  public static int size(Random rnd) {
    double p = rnd.nextDouble();
    if (p < 0.7) {
      return 400 + rnd.nextInt(6_000);
    }
    if (p < 0.95) {
      return 6_000 + rnd.nextInt(60_000);
    }
    return 100_000 + rnd.nextInt(300_000);
  }

  /** An instant between 2015 and 2026, to the second. */
  public static Instant date(Random rnd) {
    long from = Instant.parse("2015-01-01T00:00:00Z").getEpochSecond();
    long to = Instant.parse("2026-11-01T00:00:00Z").getEpochSecond();
    return Instant.ofEpochSecond(from + (long) (rnd.nextDouble() * (to - from)));
  }
}
