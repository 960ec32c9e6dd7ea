package io.mailops.storage.queue.postfix;

import jakarta.mail.internet.MimeUtility;
import java.io.UnsupportedEncodingException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * One message with its header lines, for {@code show}.
 *
 * @param message the envelope view
 * @param headers the header lines, unfolded ("Subject: Quarterly report"), in file order
 */
public record QueuedMessageDetail(QueuedMessage message, List<String> headers) {

  public QueuedMessageDetail {
    if (message == null || headers == null) {
      throw new IllegalArgumentException("message detail needs a message and its header lines");
    }
    headers = List.copyOf(headers);
  }

  /**
   * The first header named {@code name} (case-insensitive), unfolded and with RFC 2047 encoded
   * words decoded; empty if there is none.
   */
  public Optional<String> header(String name) {
    String prefix = name.toLowerCase(Locale.ROOT) + ":";
    for (String h : headers) {
      if (h.length() >= prefix.length() && h.substring(0, prefix.length()).toLowerCase(Locale.ROOT).equals(prefix)) {
        String v = h.substring(prefix.length()).strip();
        if (!v.contains("=?")) {
          return Optional.of(v);   // no encoded words: spare loading the mail library
        }
        try {
          return Optional.of(MimeUtility.decodeText(v));
        } catch (UnsupportedEncodingException | RuntimeException e) {
          return Optional.of(v);
        }
      }
    }
    return Optional.empty();
  }
}
