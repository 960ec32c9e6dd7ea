package io.mailops.archiver.index;

import jakarta.mail.MessagingException;
import jakarta.mail.internet.InternetHeaders;
import jakarta.mail.internet.MimeBodyPart;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The MIME structure of a raw message as Jakarta Mail would parse it, found on the bytes
 * themselves: where each part's body lies, and the header fields Jakarta Mail reads to interpret
 * a part ({@code Content-Type}, {@code Content-Disposition}, {@code Content-Transfer-Encoding}),
 * held in a {@link MimeBodyPart} without content so that Jakarta Mail's own code interprets them.
 *
 * <p>It follows {@code MimeMessage}'s header parsing, {@code InternetHeaders.load} and
 * {@code MimeMultipart.parse} (Jakarta Mail 2.1: the preamble read line by line, the boundary
 * found where an end of line precedes it and white space and an end of line, or {@code --},
 * follow it, the end of line before it not part of the body). Where a message leaves that well-
 * trodden path — a lone CR in a header block, a header line without a colon, a continuation line
 * first, non-ASCII bytes in one of the three fields, a missing boundary parameter, start boundary
 * or end boundary, a blank line missing after headers — it throws {@link Unsure}, and the caller
 * parses the message with Jakarta Mail instead (ADR 0044). Stateless and thread-safe.
 */
final class RawMime {

  private RawMime() {}

  /** Thrown where this class cannot promise Jakarta Mail's reading of a message. */
  static final class Unsure extends Exception {
    private static final long serialVersionUID = 1L;
    static final Unsure INSTANCE = new Unsure();

    private Unsure() {
      super("not on the common path", null, false, false);
    }
  }

  /**
   * One part (or the message itself): the header fields Jakarta Mail reads, and its body
   * {@code raw[start, end)} as Jakarta Mail's raw content stream gives it.
   */
  record Part(MimeBodyPart meta, int start, int end) {}

  private static final byte[] EMPTY = new byte[0];

  /** The message itself: its header fields and its body, which runs to the end of {@code raw}. */
  static Part message(byte[] raw) throws Unsure {
    InternetHeaders headers = new InternetHeaders();
    int body = headers(raw, 0, raw.length, headers);
    return part(headers, body, raw.length);
  }

  /**
   * The parts of a multipart body {@code raw[start, end)} with this boundary parameter, in order;
   * the epilogue after the close delimiter is ignored, as Jakarta Mail does.
   */
  static List<Part> parts(byte[] raw, int start, int end, String boundary) throws Unsure {
    if (boundary == null || boundary.isEmpty() || !ascii(boundary)) {
      throw Unsure.INSTANCE;
    }
    byte[] bnd = ("--" + boundary).getBytes(StandardCharsets.US_ASCII);
    int pos = afterStartBoundary(raw, start, end, bnd);
    int[] shift = shifts(bnd);
    List<Part> parts = new ArrayList<>();
    while (true) {
      InternetHeaders headers = new InternetHeaders();
      int bodyStart = headers(raw, pos, end, headers);
      int p = indexOf(raw, bodyStart, end, bnd, shift);
      while (true) {
        if (p < 0) {
          throw Unsure.INSTANCE;  // no end boundary: Jakarta Mail keeps the rest, not our path
        }
        int eol = 0;
        boolean atLineStart = p == bodyStart;
        if (!atLineStart) {
          byte b = raw[p - 1];
          if (b == '\r' || b == '\n') {
            eol = b == '\n' && p - 2 >= bodyStart && raw[p - 2] == '\r' ? 2 : 1;
            atLineStart = true;
          }
        }
        if (atLineStart) {
          int q = p + bnd.length;
          if (q + 1 < end && raw[q] == '-' && raw[q + 1] == '-') {
            parts.add(part(headers, bodyStart, p - eol));
            return parts;
          }
          while (q < end && (raw[q] == ' ' || raw[q] == '\t')) {
            q++;
          }
          if (q < end && (raw[q] == '\n' || raw[q] == '\r')) {
            parts.add(part(headers, bodyStart, p - eol));
            pos = raw[q] == '\r' && q + 1 < end && raw[q + 1] == '\n' ? q + 2 : q + 1;
            break;
          }
        }
        p = indexOf(raw, p + 1, end, bnd, shift);
      }
    }
  }

  private static Part part(InternetHeaders headers, int start, int end) throws Unsure {
    try {
      return new Part(new MimeBodyPart(headers, EMPTY), start, end);
    } catch (MessagingException e) {
      throw Unsure.INSTANCE;
    }
  }

  /**
   * Skips the preamble the way {@code MimeMultipart.parse} does: line by line, each without its
   * trailing spaces and tabs compared with the boundary. Returns where the first part begins.
   */
  private static int afterStartBoundary(byte[] raw, int start, int end, byte[] bnd)
      throws Unsure {
    int pos = start;
    while (pos < end) {
      int lf = indexOf(raw, pos, end, (byte) '\n');
      int next = lf < 0 ? end : lf + 1;
      int lineEnd = lf < 0 ? end : lf > pos && raw[lf - 1] == '\r' ? lf - 1 : lf;
      if (indexOf(raw, pos, lineEnd, (byte) '\r') >= 0) {
        throw Unsure.INSTANCE;   // a lone CR ends a line for Jakarta Mail
      }
      int e = lineEnd;
      while (e > pos && (raw[e - 1] == ' ' || raw[e - 1] == '\t')) {
        e--;
      }
      if (e - pos == bnd.length && Arrays.equals(raw, pos, e, bnd, 0, bnd.length)) {
        if (lf < 0) {
          throw Unsure.INSTANCE;
        }
        return next;
      }
      if (e - pos == bnd.length + 2 && Arrays.equals(raw, pos, pos + bnd.length, bnd, 0,
          bnd.length) && raw[e - 2] == '-' && raw[e - 1] == '-') {
        throw Unsure.INSTANCE;   // the close delimiter first: Jakarta Mail throws
      }
      pos = next;
    }
    throw Unsure.INSTANCE;       // no start boundary
  }

  /**
   * Reads a header block from {@code pos} up to and including its blank line, as {@code
   * InternetHeaders.load} does, and adds the three fields Jakarta Mail interprets (each folded
   * field joined with CRLF, as {@code load} joins it) to {@code headers}. Returns where the body
   * begins.
   */
  private static int headers(byte[] raw, int pos, int end, InternetHeaders headers)
      throws Unsure {
    StringBuilder field = null;   // the relevant field being read, or null
    boolean first = true;
    while (true) {
      int lf = indexOf(raw, pos, end, (byte) '\n');
      if (lf < 0) {
        throw Unsure.INSTANCE;     // headers run to the end: no body
      }
      int lineEnd = lf > pos && raw[lf - 1] == '\r' ? lf - 1 : lf;
      if (indexOf(raw, pos, lineEnd, (byte) '\r') >= 0) {
        throw Unsure.INSTANCE;
      }
      if (lineEnd == pos) {
        if (field != null) {
          headers.addHeaderLine(field.toString());
        }
        return lf + 1;
      }
      byte c = raw[pos];
      if (c == ' ' || c == '\t') {
        if (first) {
          throw Unsure.INSTANCE;
        }
        if (field != null) {
          requireAscii(raw, pos, lineEnd);
          field.append("\r\n").append(new String(raw, pos, lineEnd - pos,
              StandardCharsets.ISO_8859_1));
        }
      } else {
        if (field != null) {
          headers.addHeaderLine(field.toString());
          field = null;
        }
        int colon = indexOf(raw, pos, lineEnd, (byte) ':');
        if (colon < 0) {
          throw Unsure.INSTANCE;
        }
        if (relevant(raw, pos, colon)) {
          requireAscii(raw, pos, lineEnd);
          field = new StringBuilder(lineEnd - pos + 16)
              .append(new String(raw, pos, lineEnd - pos, StandardCharsets.ISO_8859_1));
        }
      }
      first = false;
      pos = lf + 1;
    }
  }

  private static final byte[][] RELEVANT = {
      "content-type".getBytes(StandardCharsets.US_ASCII),
      "content-disposition".getBytes(StandardCharsets.US_ASCII),
      "content-transfer-encoding".getBytes(StandardCharsets.US_ASCII)};

  /** Whether the field name {@code raw[from, colon)}, trimmed, is one of {@link #RELEVANT}. */
  private static boolean relevant(byte[] raw, int from, int colon) {
    int s = from;
    int e = colon;
    while (s < e && raw[s] <= ' ') {
      s++;
    }
    while (e > s && raw[e - 1] <= ' ') {
      e--;
    }
    int n = e - s;
    if (n < 12 || (raw[s] | 0x20) != 'c') {
      return false;
    }
    for (byte[] name : RELEVANT) {
      if (name.length == n && equalsIgnoreCase(raw, s, name)) {
        return true;
      }
    }
    return false;
  }

  private static boolean equalsIgnoreCase(byte[] raw, int from, byte[] lower) {
    for (int i = 0; i < lower.length; i++) {
      int c = raw[from + i];
      if (c != lower[i] && (c | 0x20) != lower[i]) {
        return false;
      }
    }
    return true;
  }

  private static void requireAscii(byte[] raw, int from, int to) throws Unsure {
    for (int i = from; i < to; i++) {
      if (raw[i] < 0) {
        throw Unsure.INSTANCE;
      }
    }
  }

  private static boolean ascii(String s) {
    for (int i = 0; i < s.length(); i++) {
      if (s.charAt(i) >= 0x80) {
        return false;
      }
    }
    return true;
  }

  private static int indexOf(byte[] a, int from, int to, byte b) {
    for (int i = from; i < to; i++) {
      if (a[i] == b) {
        return i;
      }
    }
    return -1;
  }

  /** Horspool's shifts for {@code p}: how far the window may move by its last byte. */
  private static int[] shifts(byte[] p) {
    int[] shift = new int[256];
    Arrays.fill(shift, p.length);
    for (int j = 0; j < p.length - 1; j++) {
      shift[p[j] & 0xff] = p.length - 1 - j;
    }
    return shift;
  }

  /** The first occurrence of {@code p} in {@code a[from, to)}, or -1. */
  private static int indexOf(byte[] a, int from, int to, byte[] p, int[] shift) {
    int last = p.length - 1;
    byte tail = p[last];
    int i = from;
    while (i + last < to) {
      byte c = a[i + last];
      if (c == tail && Arrays.equals(a, i, i + last, p, 0, last)) {
        return i;
      }
      i += shift[c & 0xff];
    }
    return -1;
  }
}
