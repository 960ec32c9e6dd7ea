package io.mailops.archiver;

import io.mailops.archiver.index.MessageDocument;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;

/**
 * A test {@link DocumentParser}: Subject, From, To, Message-ID and Date from the header lines,
 * the rest of the message as body text.
 */
final class HeaderParser implements DocumentParser {

  static final HeaderParser INSTANCE = new HeaderParser();

  @Override
  public MessageDocument parse(String id, byte[] raw, String source, Instant archivedAt) {
    String s = new String(raw, StandardCharsets.ISO_8859_1);
    int end = s.indexOf("\n\n");
    int crlf = s.indexOf("\r\n\r\n");
    int split = crlf >= 0 && (end < 0 || crlf < end) ? crlf : end;
    String head = split < 0 ? s : s.substring(0, split);
    String body = split < 0 ? "" : s.substring(split);
    Instant date = archivedAt;
    try {
      String d = header(head, "date");
      if (!d.isEmpty()) {
        date = ZonedDateTime.parse(d, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
      }
    } catch (RuntimeException e) {
      date = archivedAt;
    }
    return new MessageDocument(id, header(head, "message-id").replaceAll("[<>]", ""), date,
        List.of(header(head, "from").toLowerCase(Locale.ROOT)),
        List.of(header(head, "to").toLowerCase(Locale.ROOT)), List.of(), List.of(), List.of(),
        header(head, "subject"), raw.length, body, List.of(), source, archivedAt);
  }

  private static String header(String head, String name) {
    for (String line : head.split("\r?\n")) {
      int colon = line.indexOf(':');
      if (colon > 0 && line.substring(0, colon).equalsIgnoreCase(name)) {
        return line.substring(colon + 1).trim();
      }
    }
    return "";
  }
}
