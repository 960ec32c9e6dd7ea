package io.mailops.storage.queue.postfix;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Reads a {@code defer/} or {@code bounce/} logfile the way {@code bounce_log_read()} does:
 * entries separated by blank lines; each line either new-style {@code name=value} or old-style
 * {@code <recipient>: text}; unknown names ignored; missing fields get Postfix's place holders.
 */
final class DeliveryLog {

  /** Which logfile: they differ in their place-holder status and action. */
  enum Kind {
    DEFER("defer", "4.0.0", "delayed"),
    BOUNCE("bounce", "5.0.0", "failed");

    final String dir;
    final String status;
    final String action;

    Kind(String dir, String status, String action) {
      this.dir = dir;
      this.status = status;
      this.action = action;
    }
  }

  private DeliveryLog() {}

  /**
   * Reads the logfile of {@code id}, looking in the hashed subdirectories Postfix may use
   * (depth 1 first, the default, then 0, 2, 3); empty if there is none.
   */
  static List<DeliveryStatus> read(Path queueDir, Kind kind, QueueId id, byte[] buffer) throws IOException {
    String key = id.hashKey();
    Path top = queueDir.resolve(kind.dir);
    for (int depth : new int[] {1, 0, 2, 3}) {
      Path dir = top;
      for (int i = 0; i < depth; i++) {
        dir = dir.resolve(i < key.length() ? key.substring(i, i + 1) : "_");
      }
      FileChannel ch;
      try {
        ch = FileChannel.open(dir.resolve(id.value()), StandardOpenOption.READ);
      } catch (NoSuchFileException e) {
        continue;
      }
      try (ch) {
        byte[] b = buffer != null && buffer.length > 0 ? buffer : new byte[8192];
        int n = 0;
        for (;;) {
          if (n == b.length) {
            b = Arrays.copyOf(b, b.length * 2);
          }
          int r = ch.read(ByteBuffer.wrap(b, n, b.length - n));
          if (r < 0) {
            break;
          }
          n += r;
          if (n < b.length) {
            break;   // a short read of a regular file is its end (logfiles are small: one read)
          }
        }
        return parse(b, n, kind);
      }
    }
    return List.of();
  }

  /**
   * Parses a logfile. Works on the bytes and makes strings only of the values it keeps: a busy
   * queue has one logfile per deferred message, and listing reads them all.
   */
  static List<DeliveryStatus> parse(byte[] data, Kind kind) {
    return parse(data, data.length, kind);
  }

  /** Parses the first {@code length} bytes of {@code data}; see {@link #parse(byte[], Kind)}. */
  static List<DeliveryStatus> parse(byte[] data, int length, Kind kind) {
    List<DeliveryStatus> out = new ArrayList<>(2);
    Entry e = null;
    int i = 0;
    while (i < length) {
      int eol = i;
      while (eol < length && data[eol] != '\n') {
        eol++;
      }
      int start = i;
      i = eol + 1;
      if (eol == start) {
        if (e != null) {
          out.add(e.finish(data, kind));
          e = null;
        }
        continue;
      }
      if (e == null) {
        e = new Entry();
      }
      byte c = data[start];
      if (c >= '0' && c <= '9' || c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z') {
        int eq = start;
        while (eq < eol && data[eq] != '=') {
          eq++;
        }
        if (eq < eol) {
          e.set(data, start, eq, eq + 1, eol);
        }
      } else if (c == '<') {
        for (int j = start + 1; j + 2 < eol; j++) {
          if (data[j] == '>' && data[j + 1] == ':' && data[j + 2] == ' ') {
            e.recipient = Entry.range(start + 1, j);
            e.reason = Entry.range(j + 2, eol);
            e.oldStyleReason = true;
            break;
          }
        }
      }
    }
    if (e != null) {
      out.add(e.finish(data, kind));
    }
    return out;
  }

  /** Bytes {@code from..to} as text, trimmed, control characters as '?'. */
  private static String value(byte[] b, int from, int to) {
    while (from < to && (b[from] == ' ' || b[from] == '\t')) {
      from++;
    }
    while (to > from && (b[to - 1] == ' ' || b[to - 1] == '\t' || b[to - 1] == '\r')) {
      to--;
    }
    for (int k = from; k < to; k++) {
      if (b[k] >= 0 && b[k] < 0x20 || b[k] == 0x7f) {
        return printable(RecordReader.decode(b, from, to - from));
      }
    }
    return RecordReader.decode(b, from, to - from);
  }

  /** The positive decimal number in bytes {@code from..to} (blanks around it allowed), or -1. */
  private static long number(byte[] b, int from, int to) {
    while (from < to && (b[from] == ' ' || b[from] == '\t')) {
      from++;
    }
    while (to > from && (b[to - 1] == ' ' || b[to - 1] == '\t' || b[to - 1] == '\r')) {
      to--;
    }
    int k = from < to && b[from] == '+' ? from + 1 : from;
    if (k == to || to - k > 18) {
      return -1;
    }
    long n = 0;
    for (; k < to; k++) {
      if (b[k] < '0' || b[k] > '9') {
        return -1;
      }
      n = n * 10 + (b[k] - '0');
    }
    return n > 0 ? n : -1;
  }

  /** True if bytes {@code from..to} (trimmed) are {@code name}. */
  private static boolean is(byte[] b, int from, int to, String name) {
    while (from < to && b[from] == ' ') {
      from++;
    }
    while (to > from && b[to - 1] == ' ') {
      to--;
    }
    if (to - from != name.length()) {
      return false;
    }
    for (int k = 0; k < name.length(); k++) {
      if (b[from + k] != name.charAt(k)) {
        return false;
      }
    }
    return true;
  }

  /** Postfix's printable(): control characters become '?'. */
  static String printable(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 0x20 || c == 0x7f) {
        StringBuilder b = new StringBuilder(s);
        for (int j = i; j < b.length(); j++) {
          char d = b.charAt(j);
          if (d < 0x20 || d == 0x7f) {
            b.setCharAt(j, '?');
          }
        }
        return b.toString();
      }
    }
    return s;
  }

  /**
   * One entry while it is parsed: where each value is in the data (start and end packed in a
   * long, or -1), decoded once when the entry ends, so a value that a later line replaces (the
   * old-style {@code <recipient>: reason} line is followed by the same as name=value lines) is
   * never turned into a string.
   */
  private static final class Entry {
    long recipient = -1;
    long offset = -1;
    long status = -1;
    long action = -1;
    long reason = -1;
    long diagText = -1;
    long mta = -1;
    boolean oldStyleReason;

    static long range(int from, int to) {
      return (long) from << 32 | to;
    }

    void set(byte[] b, int nameFrom, int nameTo, int from, int to) {
      switch (b[nameFrom]) {
        case 'r' -> {
          if (is(b, nameFrom, nameTo, "recipient")) {
            recipient = range(from, to);
          } else if (is(b, nameFrom, nameTo, "reason")) {
            reason = range(from, to);
            oldStyleReason = false;
          }
        }
        case 'o' -> {
          if (is(b, nameFrom, nameTo, "offset")) {
            offset = number(b, from, to);
          }
        }
        case 's' -> {
          if (is(b, nameFrom, nameTo, "status")) {
            status = range(from, to);
          }
        }
        case 'a' -> {
          if (is(b, nameFrom, nameTo, "action")) {
            action = range(from, to);
          }
        }
        case 'd' -> {
          if (is(b, nameFrom, nameTo, "diag_text")) {
            diagText = range(from, to);
          }
        }
        case 'm' -> {
          if (is(b, nameFrom, nameTo, "mta_mname")) {
            mta = range(from, to);
          }
        }
        default -> { }
      }
    }

    private static String text(byte[] b, long range) {
      return range < 0 ? "" : value(b, (int) (range >>> 32), (int) range);
    }

    DeliveryStatus finish(byte[] b, Kind kind) {
      String rcpt = recipient < 0 ? "" : text(b, recipient);
      if (recipient >= 0 && rcpt.isEmpty()) {
        rcpt = "(MAILER-DAEMON)";
      }
      String why = text(b, reason);
      if (oldStyleReason) {
        why = why.stripLeading();
      }
      String st = text(b, status);
      String act = text(b, action);
      return new DeliveryStatus(rcpt.isEmpty() ? "(recipient address unavailable)" : rcpt,
          offset, st.isEmpty() ? kind.status : st, act.isEmpty() ? kind.action : act,
          why.isEmpty() ? "(description unavailable)" : why, text(b, diagText), text(b, mta));
    }
  }
}
