package io.mailops.jobs.cli;

import io.mailops.storage.queue.postfix.QueuedMessage;
import io.mailops.storage.queue.postfix.QueuedRecipient;

/**
 * One message as a line of {@code postqueue -j} (Postfix 3.x {@code showq_json.c}): the same
 * members in the same order, the null sender as MAILER-DAEMON, {@code delay_reason} only when
 * there is one, and the same string quoting, so the two outputs can be compared line by line.
 */
final class QueueJson {

  private QueueJson() {}

  static void append(StringBuilder b, QueuedMessage m) {
    b.append("{\"queue_name\": \"");
    quote(b, m.queue().dir());
    b.append("\", \"queue_id\": \"");
    quote(b, m.id().value());
    b.append("\", \"arrival_time\": ").append(m.arrival().getEpochSecond())
        .append(", \"message_size\": ").append(m.messageSize())
        .append(", \"forced_expire\": ").append(m.forcedExpire())
        .append(", \"sender\": \"");
    quote(b, m.sender().isEmpty() ? "MAILER-DAEMON" : m.sender());
    b.append("\", \"recipients\": [");
    boolean first = true;
    for (QueuedRecipient r : m.showqRecipients()) {
      b.append(first ? "{\"address\": \"" : ", {\"address\": \"");
      quote(b, r.address());
      b.append('"');
      if (!r.reason().isEmpty()) {
        b.append(", \"delay_reason\": \"");
        quote(b, r.reason());
        b.append('"');
      }
      b.append('}');
      first = false;
    }
    b.append("]}\n");
  }

  /** {@code json_quote()}: short escapes for \b \f \n \r \t, {@code \\uXXXX} for other controls. */
  static void quote(StringBuilder b, String s) {
    if (plain(s)) {
      b.append(s);
      return;
    }
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"', '\\' -> b.append('\\').append(c);
        case '\b' -> b.append("\\b");
        case '\f' -> b.append("\\f");
        case '\n' -> b.append("\\n");
        case '\r' -> b.append("\\r");
        case '\t' -> b.append("\\t");
        default -> {
          if (c < 0x20 || c == 0x7f) {
            b.append(String.format("\\u%04X", (int) c));
          } else {
            b.append(c);
          }
        }
      }
    }
  }

  /** True if nothing in {@code s} needs escaping (the common case: one pass, no copying). */
  private static boolean plain(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 0x20 || c == '"' || c == '\\' || c == 0x7f) {
        return false;
      }
    }
    return true;
  }
}
