package io.mailops.storage.mbox;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.Locale;

/**
 * Splits an mboxrd byte stream into messages. A message starts at a line beginning with
 * {@code "From "} that is the first line of the input or follows an empty line; the empty line
 * before the next From_ line (or at the end of the input) separates messages and is not part of
 * either. Lines matching {@code ^>+From } lose one {@code >} when read. Bytes before the first
 * From_ line are counted as {@link #leadingGarbage()}. Not thread-safe; the caller closes the
 * stream.
 */
final class MboxParser {

  private final MboxLineReader lines;
  private final boolean recordQuotes;
  private boolean started;
  private boolean atFromLine;
  private long garbage;

  /**
   * Parses {@code in}, whose first byte is at {@code offset} of the file; with
   * {@code recordQuotes} each entry lists the offsets of its quoted lines (needed to read it).
   */
  MboxParser(InputStream in, long offset, boolean recordQuotes) {
    this.lines = new MboxLineReader(in, offset);
    this.recordQuotes = recordQuotes;
  }

  /** Bytes before the first From_ line (known after the first {@link #next}). */
  long leadingGarbage() {
    return garbage;
  }

  /**
   * The next message, or null at the end. With {@code strict}, the input must start with a
   * From_ line: null is returned if it does not.
   */
  MboxEntry next(boolean strict) throws IOException {
    if (!started) {
      started = true;
      boolean lineStart = true;
      while (lines.next()) {
        if (lineStart && lines.isFromLine()) {
          atFromLine = true;
          break;
        }
        if (strict) {
          return null;
        }
        lineStart = lines.isBlank();
        garbage += lines.finish(null, 0);
      }
    }
    if (!atFromLine) {
      return null;
    }
    long fromOffset = lines.lineOffset();
    String fromText = lines.headText();
    long contentStart = fromOffset + lines.finish(null, 0);
    long size = 0;
    long pendingBlank = 0;
    boolean inHeaders = true;
    String lastHeader = null;
    String[] flagHeaders = new String[3];
    long[] quotes = new long[recordQuotes ? 8 : 0];
    int quoteCount = 0;
    atFromLine = false;
    while (lines.next()) {
      if (pendingBlank > 0 && lines.isFromLine()) {
        atFromLine = true;
        break;
      }
      size += pendingBlank;
      pendingBlank = 0;
      boolean blank = lines.isBlank();
      if (inHeaders) {
        if (blank) {
          inHeaders = false;
        } else {
          lastHeader = header(lines.headText(), lastHeader, flagHeaders);
        }
      }
      int quote = lines.quoteLevel();
      long offset = lines.lineOffset();
      long len = lines.finish(null, 0);
      if (blank) {
        pendingBlank = len;
      } else if (quote > 0) {
        size += len - 1;
        if (recordQuotes) {
          if (quoteCount == quotes.length) {
            quotes = Arrays.copyOf(quotes, quotes.length * 2);
          }
          quotes[quoteCount++] = offset;
        }
      } else {
        size += len;
      }
    }
    long end = atFromLine ? lines.lineOffset() : lines.position();
    return new MboxEntry(fromOffset, fromText, contentStart, end - pendingBlank, size,
        Arrays.copyOf(quotes, quoteCount), flagHeaders[0], flagHeaders[1], flagHeaders[2]);
  }

  /** Records Status, X-Status and X-Keywords (with continuation lines); returns the header name. */
  private static String header(String text, String last, String[] out) {
    if (!text.isEmpty() && (text.charAt(0) == ' ' || text.charAt(0) == '\t')) {
      if ("x-keywords".equals(last) && out[2] != null) {
        out[2] = out[2] + " " + text.strip();
      }
      return last;
    }
    int colon = text.indexOf(':');
    if (colon <= 0) {
      return null;
    }
    String name = text.substring(0, colon).strip().toLowerCase(Locale.ROOT);
    String value = text.substring(colon + 1).strip();
    switch (name) {
      case "status" -> out[0] = value;
      case "x-status" -> out[1] = value;
      case "x-keywords" -> out[2] = value;
      default -> { }
    }
    return name;
  }
}
