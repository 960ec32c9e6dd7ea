package io.mailops.archiver.mime;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Finds the attachments of a raw message as byte ranges of their encoded bodies. A leaf part is
 * an attachment when its {@code Content-Disposition} is {@code attachment}, or when it has a
 * {@code filename}/{@code name} parameter and its type is not {@code text/*}. Multiparts are
 * walked by their boundary lines and {@code message/rfc822} parts are walked into. A message that
 * is not MIME, or whose structure cannot be followed (no boundary, no blank line after the
 * headers), simply yields fewer or no attachments: the bytes outside the ranges are kept as they
 * are, so splitting never changes what comes back. Stateless and thread-safe.
 */
public final class MimeSplitter {

  private static final int MAX_DEPTH = 32;

  private MimeSplitter() {}

  /**
   * One attachment: its encoded body is {@code raw[start, end)}.
   *
   * @param type the lower-case MIME type, {@code application/octet-stream} when missing
   * @param name the file name as written in the header (quotes removed), or {@code ""}
   * @param encoding the lower-case Content-Transfer-Encoding, {@code 7bit} when missing
   */
  public record Attachment(int start, int end, String type, String name, String encoding) {

    /** Bytes of the encoded body. */
    public int length() {
      return end - start;
    }
  }

  /** The attachments of {@code raw}, in order of their position, not overlapping. */
  public static List<Attachment> attachments(byte[] raw) {
    List<Attachment> out = new ArrayList<>();
    walk(raw, 0, raw.length, 0, out);
    return out;
  }

  private static void walk(byte[] raw, int start, int end, int depth, List<Attachment> out) {
    if (depth > MAX_DEPTH) {
      return;
    }
    int bodyStart = bodyStart(raw, start, end);
    if (bodyStart < 0) {
      return;
    }
    String headers = unfold(new String(raw, start, bodyStart - start,
        StandardCharsets.ISO_8859_1));
    String contentType = header(headers, "content-type");
    String type = contentType.isEmpty() ? "text/plain" : baseValue(contentType);
    if (type.startsWith("multipart/")) {
      String boundary = param(contentType, "boundary");
      if (!boundary.isEmpty()) {
        parts(raw, bodyStart, end, boundary, depth, out);
      }
      return;
    }
    if (type.equals("message/rfc822")) {
      walk(raw, bodyStart, end, depth + 1, out);
      return;
    }
    String disposition = header(headers, "content-disposition");
    String name = param(disposition, "filename");
    if (name.isEmpty()) {
      name = param(contentType, "name");
    }
    boolean attachment = baseValue(disposition).equals("attachment")
        || (!name.isEmpty() && !type.startsWith("text/"));
    if (attachment && end > bodyStart) {
      String enc = baseValue(header(headers, "content-transfer-encoding"));
      out.add(new Attachment(bodyStart, end, contentType.isEmpty() ? "application/octet-stream"
          : type, name, enc.isEmpty() ? "7bit" : enc));
    }
  }

  private static void parts(byte[] raw, int from, int end, String boundary, int depth,
      List<Attachment> out) {
    byte[] delim = ("--" + boundary).getBytes(StandardCharsets.ISO_8859_1);
    int partStart = -1;
    int pos = from;
    while (pos < end) {
      int lineEnd = lineEnd(raw, pos, end);
      if (startsWith(raw, pos, lineEnd, delim)) {
        int after = pos + delim.length;
        boolean close = after + 1 < lineEnd && raw[after] == '-' && raw[after + 1] == '-';
        if (close || onlyWhitespace(raw, after, lineEnd)) {
          if (partStart >= 0) {
            int partEnd = pos;
            if (partEnd > partStart && raw[partEnd - 1] == '\n') {
              partEnd--;
              if (partEnd > partStart && raw[partEnd - 1] == '\r') {
                partEnd--;
              }
            }
            walk(raw, partStart, Math.max(partStart, partEnd), depth + 1, out);
          }
          if (close) {
            return;
          }
          partStart = next(raw, lineEnd, end);
        }
      }
      pos = next(raw, lineEnd, end);
    }
  }

  /** Where the body starts: after the first empty line, or -1 when there is none. */
  private static int bodyStart(byte[] raw, int start, int end) {
    int pos = start;
    while (pos < end) {
      int lineEnd = lineEnd(raw, pos, end);
      if (lineEnd == pos || (lineEnd == pos + 1 && raw[pos] == '\r')) {
        return next(raw, lineEnd, end);
      }
      if (lineEnd >= end) {
        return -1;
      }
      pos = lineEnd + 1;
    }
    return -1;
  }

  /** Index of the {@code \n} ending the line at {@code pos}, or {@code end}. */
  private static int lineEnd(byte[] raw, int pos, int end) {
    while (pos < end && raw[pos] != '\n') {
      pos++;
    }
    return pos;
  }

  private static int next(byte[] raw, int lineEnd, int end) {
    return Math.min(end, lineEnd + 1);
  }

  private static boolean startsWith(byte[] raw, int pos, int lineEnd, byte[] prefix) {
    if (lineEnd - pos < prefix.length) {
      return false;
    }
    for (int i = 0; i < prefix.length; i++) {
      if (raw[pos + i] != prefix[i]) {
        return false;
      }
    }
    return true;
  }

  private static boolean onlyWhitespace(byte[] raw, int from, int to) {
    for (int i = from; i < to; i++) {
      if (raw[i] != ' ' && raw[i] != '\t' && raw[i] != '\r') {
        return false;
      }
    }
    return true;
  }

  /**
   * {@code headers} with each line break followed by blanks (CR LF or LF, then spaces and tabs)
   * replaced by one space: what {@code replaceAll("\r?\n[ \t]+", " ")} gives, without compiling
   * a pattern per part.
   */
  static String unfold(String headers) {
    int n = headers.length();
    StringBuilder out = null;
    int from = 0;
    for (int lf = headers.indexOf('\n'); lf >= 0; lf = headers.indexOf('\n', lf + 1)) {
      int blanks = lf + 1;
      while (blanks < n && (headers.charAt(blanks) == ' ' || headers.charAt(blanks) == '\t')) {
        blanks++;
      }
      if (blanks == lf + 1) {
        continue;
      }
      int cut = lf > from && headers.charAt(lf - 1) == '\r' ? lf - 1 : lf;
      if (out == null) {
        out = new StringBuilder(n);
      }
      out.append(headers, from, cut).append(' ');
      from = blanks;
      lf = blanks - 1;
    }
    return out == null ? headers : out.append(headers, from, n).toString();
  }

  /**
   * The value of the first header {@code name} (lower case) in unfolded {@code headers}: the
   * lines are those {@code split("\r?\n")} gives (a line ends at LF, the CR before it dropped),
   * read without compiling a pattern per call.
   */
  static String header(String headers, String name) {
    int n = headers.length();
    int from = 0;
    while (from < n) {
      int lf = headers.indexOf('\n', from);
      int end = lf < 0 ? n : lf;
      int lineEnd = lf > from && headers.charAt(lf - 1) == '\r' ? lf - 1 : end;
      int colon = headers.indexOf(':', from);
      if (colon > from && colon < lineEnd && headers.substring(from, colon).trim()
          .toLowerCase(Locale.ROOT).equals(name)) {
        return headers.substring(colon + 1, lineEnd).trim();
      }
      if (lf < 0) {
        break;
      }
      from = lf + 1;
    }
    return "";
  }

  private static String baseValue(String value) {
    int semi = value.indexOf(';');
    return (semi < 0 ? value : value.substring(0, semi)).trim().toLowerCase(Locale.ROOT);
  }

  /** A parameter of a structured header value, unquoted, or {@code ""}. */
  private static String param(String value, String name) {
    for (String p : value.split(";")) {
      int eq = p.indexOf('=');
      if (eq < 0) {
        continue;
      }
      String key = p.substring(0, eq).trim().toLowerCase(Locale.ROOT);
      if (key.equals(name) || key.equals(name + "*")) {
        String v = p.substring(eq + 1).trim();
        if (v.length() >= 2 && v.startsWith("\"") && v.endsWith("\"")) {
          v = v.substring(1, v.length() - 1);
        }
        return v;
      }
    }
    return "";
  }
}
