package io.mailops.jobs.cli;

import io.mailops.storage.queue.postfix.QueuedMessage;
import io.mailops.storage.queue.postfix.QueuedRecipient;
import java.util.Arrays;
import java.util.List;

/**
 * One message as a line of {@code postqueue -j} (Postfix 3.x {@code showq_json.c}): the same
 * members in the same order, the null sender as MAILER-DAEMON, {@code delay_reason} only when
 * there is one, and the same string quoting, so the two outputs can be compared line by line.
 *
 * <p>Lines are appended to a {@link Chunk}, a growable character buffer that is written out with
 * one call: the schema is fixed, so the lines are put together by hand, without a JSON library
 * and without a {@link String} per line.
 */
final class QueueJson {

  private static final char[] HEX = "0123456789ABCDEF".toCharArray();

  private QueueJson() {}

  /** A growable character buffer that JSON lines are appended to. Not thread-safe. */
  static final class Chunk {
    private char[] a;
    private int n;

    Chunk(int capacity) {
      a = new char[Math.max(16, capacity)];
    }

    /** The characters appended so far are {@code chars()[0 .. length())}. */
    char[] chars() {
      return a;
    }

    int length() {
      return n;
    }

    @Override
    public String toString() {
      return new String(a, 0, n);
    }

    private void room(int more) {
      if (n + more > a.length) {
        a = Arrays.copyOf(a, Math.max(n + more, a.length * 2));
      }
    }

    Chunk append(String s) {
      int len = s.length();
      room(len);
      s.getChars(0, len, a, n);
      n += len;
      return this;
    }

    Chunk append(char c) {
      room(1);
      a[n++] = c;
      return this;
    }

    Chunk append(long v) {
      if (v < 0) {
        if (v == Long.MIN_VALUE) {
          return append(Long.toString(v));
        }
        append('-');
        v = -v;
      }
      int digits = 1;
      for (long t = v; t >= 10; t /= 10) {
        digits++;
      }
      room(digits);
      for (int i = n + digits - 1; i >= n; i--) {
        a[i] = (char) ('0' + v % 10);
        v /= 10;
      }
      n += digits;
      return this;
    }
  }

  /** Appends the line of {@code m}, ended by '\n'. */
  static void append(Chunk b, QueuedMessage m) {
    b.append("{\"queue_name\": \"");
    quote(b, m.queue().dir());
    b.append("\", \"queue_id\": \"");
    quote(b, m.id().value());
    b.append("\", \"arrival_time\": ").append(m.arrival().getEpochSecond())
        .append(", \"message_size\": ").append(m.messageSize())
        .append(", \"forced_expire\": ").append(m.forcedExpire() ? "true" : "false")
        .append(", \"sender\": \"");
    quote(b, m.sender().isEmpty() ? "MAILER-DAEMON" : m.sender());
    b.append("\", \"recipients\": [");
    List<QueuedRecipient> rcpts = m.showqRecipients();
    for (int i = 0; i < rcpts.size(); i++) {
      QueuedRecipient r = rcpts.get(i);
      b.append(i == 0 ? "{\"address\": \"" : ", {\"address\": \"");
      quote(b, r.address());
      b.append('"');
      String reason = r.reason();
      if (!reason.isEmpty()) {
        b.append(", \"delay_reason\": \"");
        quote(b, reason);
        b.append('"');
      }
      b.append('}');
    }
    b.append("]}\n");
  }

  /**
   * {@code json_quote()}: {@code "} and {@code \} escaped, short escapes for \b \f \n \r \t,
   * {@code \\uXXXX} for the other controls and DEL (RFC 8259 section 7); everything else,
   * non-ASCII included, as is.
   */
  static void quote(Chunk b, String s) {
    int len = s.length();
    int plain = 0;
    while (plain < len) {
      char c = s.charAt(plain);
      if (c < 0x20 || c == '"' || c == '\\' || c == 0x7f) {
        break;
      }
      plain++;
    }
    if (plain == len) {
      b.append(s);
      return;
    }
    for (int i = 0; i < len; i++) {
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
            b.append("\\u00").append(HEX[c >> 4]).append(HEX[c & 0xf]);
          } else {
            b.append(c);
          }
        }
      }
    }
  }
}
