package io.mailops.storage.mbox;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The separator line of an mbox message, {@code From SENDER DATE}, with the date in C
 * {@code asctime} form in UTC: {@code From MAILER-DAEMON Thu Jan  1 00:00:00 2025}. The date is
 * the message's internal date, to the second.
 */
record FromLine(String sender, Instant date) {

  static final String DEFAULT_SENDER = "MAILER-DAEMON";

  private static final DateTimeFormatter ASCTIME =
      DateTimeFormatter.ofPattern("EEE MMM ppd HH:mm:ss yyyy", Locale.ROOT);

  /** Month, day, time, optional zone and year, as found after the sender in real mbox files. */
  private static final Pattern DATE = Pattern.compile(
      "(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)\\s+(\\d{1,2})\\s+(\\d{1,2}):(\\d{2})"
          + "(?::(\\d{2}))?\\s+(?:([A-Za-z]{1,5}|[+-]\\d{4})\\s+)?(\\d{4})(?:\\s+([+-]\\d{4}))?");

  private static final String MONTHS = "JanFebMarAprMayJunJulAugSepOctNovDec";

  FromLine {
    if (sender == null || sender.isEmpty() || sender.chars().anyMatch(c -> c <= 0x20 || c >= 0x7f)) {
      sender = DEFAULT_SENDER;
    }
    date = date.truncatedTo(ChronoUnit.SECONDS);
  }

  /** The line to write, without its line end. */
  String format() {
    return "From " + sender + " " + ASCTIME.format(date.atOffset(ZoneOffset.UTC));
  }

  /**
   * Parses the text of a From_ line (without line end); empty if it has no readable date.
   * Dates with a numeric zone ({@code +0200}) are converted to UTC; named zones are taken as UTC.
   */
  static Optional<FromLine> parse(String line) {
    if (!line.startsWith("From ")) {
      return Optional.empty();
    }
    String rest = line.substring(5).strip();
    int space = rest.indexOf(' ');
    String sender = space < 0 ? rest : rest.substring(0, space);
    Matcher m = DATE.matcher(rest);
    if (!m.find()) {
      return Optional.empty();
    }
    try {
      int month = MONTHS.indexOf(m.group(1)) / 3 + 1;
      LocalDateTime local = LocalDateTime.of(Integer.parseInt(m.group(7)), month,
          Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3)), Integer.parseInt(m.group(4)),
          m.group(5) == null ? 0 : Integer.parseInt(m.group(5)));
      String zone = m.group(8) != null ? m.group(8) : m.group(6);
      ZoneOffset offset = zone != null && (zone.startsWith("+") || zone.startsWith("-"))
          ? ZoneOffset.of(zone.substring(0, 3) + ":" + zone.substring(3))
          : ZoneOffset.UTC;
      return Optional.of(new FromLine(sender, local.toInstant(offset)));
    } catch (java.time.DateTimeException | NumberFormatException e) {
      return Optional.empty();
    }
  }

  /**
   * The envelope sender for a new From_ line from a {@code Return-Path:} header value, e.g.
   * {@code <alice@example.com>}; {@link #DEFAULT_SENDER} if there is none or it is empty.
   */
  static String senderFromReturnPath(String value) {
    if (value == null) {
      return DEFAULT_SENDER;
    }
    String v = value.strip();
    if (v.startsWith("<") && v.endsWith(">")) {
      v = v.substring(1, v.length() - 1).strip();
    }
    return v.isEmpty() || v.chars().anyMatch(c -> c <= 0x20 || c >= 0x7f) ? DEFAULT_SENDER : v;
  }
}
