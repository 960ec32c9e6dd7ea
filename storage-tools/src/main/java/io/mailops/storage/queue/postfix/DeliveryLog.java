package io.mailops.storage.queue.postfix;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
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
        return parse(readAll(ch, buffer), kind);
      }
    }
    return List.of();
  }

  /**
   * Reads the whole file into {@code buffer} when it fits (one read call, as logfiles are small),
   * else into a new array; returns a copy of exactly the bytes read.
   */
  private static byte[] readAll(FileChannel ch, byte[] buffer) throws IOException {
    byte[] b = buffer != null ? buffer : new byte[8192];
    int n = 0;
    for (;;) {
      if (n == b.length) {
        b = java.util.Arrays.copyOf(b, b.length * 2);
      }
      int r = ch.read(ByteBuffer.wrap(b, n, b.length - n));
      if (r < 0) {
        break;
      }
      n += r;
      if (n < b.length) {
        break;   // a short read of a regular file is its end
      }
    }
    return java.util.Arrays.copyOf(b, n);
  }

  /**
   * Parses a logfile. Works on the bytes and makes strings only of the values it keeps: a busy
   * queue has one logfile per deferred message, and listing reads them all.
   */
  static List<DeliveryStatus> parse(byte[] data, Kind kind) {
    List<DeliveryStatus> out = new ArrayList<>(2);
    Entry e = null;
    int i = 0;
    while (i < data.length) {
      int eol = i;
      while (eol < data.length && data[eol] != '\n') {
        eol++;
      }
      int start = i;
      i = eol + 1;
      if (eol == start) {
        if (e != null) {
          out.add(e.finish(kind));
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
            String rcpt = value(data, start + 1, j);
            e.recipient = rcpt.isEmpty() ? "(MAILER-DAEMON)" : rcpt;
            e.reason = value(data, j + 2, eol).stripLeading();
            break;
          }
        }
      }
    }
    if (e != null) {
      out.add(e.finish(kind));
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

  private static final class Entry {
    String recipient = "";
    long offset = -1;
    String status = "";
    String action = "";
    String reason = "";
    String diagText = "";
    String mta = "";

    void set(byte[] b, int nameFrom, int nameTo, int from, int to) {
      switch (b[nameFrom]) {
        case 'r' -> {
          if (is(b, nameFrom, nameTo, "recipient")) {
            String v = value(b, from, to);
            recipient = v.isEmpty() ? "(MAILER-DAEMON)" : v;
          } else if (is(b, nameFrom, nameTo, "reason")) {
            reason = value(b, from, to);
          }
        }
        case 'o' -> {
          if (is(b, nameFrom, nameTo, "offset")) {
            offset = number(b, from, to);
          }
        }
        case 's' -> {
          if (is(b, nameFrom, nameTo, "status")) {
            status = value(b, from, to);
          }
        }
        case 'a' -> {
          if (is(b, nameFrom, nameTo, "action")) {
            action = value(b, from, to);
          }
        }
        case 'd' -> {
          if (is(b, nameFrom, nameTo, "diag_text")) {
            diagText = value(b, from, to);
          }
        }
        case 'm' -> {
          if (is(b, nameFrom, nameTo, "mta_mname")) {
            mta = value(b, from, to);
          }
        }
        default -> { }
      }
    }

    DeliveryStatus finish(Kind kind) {
      return new DeliveryStatus(recipient.isEmpty() ? "(recipient address unavailable)" : recipient,
          offset, status.isEmpty() ? kind.status : status, action.isEmpty() ? kind.action : action,
          reason.isEmpty() ? "(description unavailable)" : reason, diagText, mta);
    }
  }
}
