package io.mailops.storage.mbox;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Reads an mbox byte stream line by line without a limit on line length: {@link #next} makes
 * the first {@link #HEAD} bytes of the next line inspectable, {@link #finish} consumes the rest
 * (optionally copying it). Lines end at {@code \n}; the last line may have no terminator. Not
 * thread-safe; the caller closes the underlying stream.
 */
final class MboxLineReader {

  /** How much of each line is inspectable: enough for From_ lines and the flag headers. */
  static final int HEAD = 1024;

  private static final byte[] FROM = "From ".getBytes(StandardCharsets.US_ASCII);

  private final InputStream in;
  private final byte[] buf = new byte[64 * 1024];
  private int pos;
  private int lim;
  private long bufStart;
  private boolean eof;
  private long lineOffset;
  private int headLen;
  private boolean headIsWholeLine;
  private int lastByte = -1;

  /** Reads {@code in}, whose first byte is at {@code offset} of the file. */
  MboxLineReader(InputStream in, long offset) {
    this.in = in;
    this.bufStart = offset;
  }

  /** Starts the next line (the previous one must be finished); false at the end of input. */
  boolean next() throws IOException {
    if (lim - pos < HEAD && !eof) {
      compact();
      while (lim - pos < HEAD && !eof && indexOfNewline(pos, lim) < 0) {
        fill();
      }
    }
    if (pos == lim) {
      return false;
    }
    lineOffset = bufStart + pos;
    int max = Math.min(lim, pos + HEAD);
    int nl = indexOfNewline(pos, max);
    if (nl >= 0) {
      headLen = nl - pos + 1;
      headIsWholeLine = true;
    } else {
      headLen = max - pos;
      headIsWholeLine = eof && max == lim;
    }
    return true;
  }

  /** File offset of the current line's first byte. */
  long lineOffset() {
    return lineOffset;
  }

  /** File offset of the next unread byte. */
  long position() {
    return bufStart + pos;
  }

  /** The last byte consumed by {@link #finish}, or -1. */
  int lastByte() {
    return lastByte;
  }

  /** True if the current line is empty: just {@code \n} or {@code \r\n}. */
  boolean isBlank() {
    return headIsWholeLine && (headLen == 1 && buf[pos] == '\n'
        || headLen == 2 && buf[pos] == '\r' && buf[pos + 1] == '\n');
  }

  /** True if the current line starts with {@code "From "}. */
  boolean isFromLine() {
    return fromAt(0);
  }

  /**
   * The number of {@code >} before {@code "From "} if the line matches {@code ^>*From }, else -1:
   * 0 is a From_ line, 1 and more are quoted lines in mboxrd.
   */
  int quoteLevel() {
    int i = 0;
    while (i < headLen && buf[pos + i] == '>') {
      i++;
    }
    return fromAt(i) ? i : -1;
  }

  /** True if the line ends in {@code \r\n} (only known for lines shorter than {@link #HEAD}). */
  boolean endsWithCrLf() {
    return headIsWholeLine && headLen >= 2 && buf[pos + headLen - 2] == '\r'
        && buf[pos + headLen - 1] == '\n';
  }

  /** The inspectable start of the line as ISO-8859-1 text, without its line end. */
  String headText() {
    int n = headLen;
    while (n > 0 && (buf[pos + n - 1] == '\n' || buf[pos + n - 1] == '\r')) {
      n--;
    }
    return new String(buf, pos, n, StandardCharsets.ISO_8859_1);
  }

  /**
   * Consumes the current line, copying it without its first {@code skip} bytes to {@code sink}
   * when that is not null. Returns the line's full length including its terminator.
   */
  long finish(OutputStream sink, int skip) throws IOException {
    long total = 0;
    int toSkip = skip;
    while (true) {
      int nl = indexOfNewline(pos, lim);
      int end = nl >= 0 ? nl + 1 : lim;
      int n = end - pos;
      int skipped = Math.min(toSkip, n);
      if (sink != null && n > skipped) {
        sink.write(buf, pos + skipped, n - skipped);
      }
      toSkip -= skipped;
      if (n > 0) {
        lastByte = buf[end - 1] & 0xff;
      }
      total += n;
      pos = end;
      if (nl >= 0) {
        return total;
      }
      compact();
      fill();
      if (pos == lim) {
        return total;
      }
    }
  }

  private boolean fromAt(int i) {
    if (headLen - i < FROM.length) {
      return false;
    }
    for (int k = 0; k < FROM.length; k++) {
      if (buf[pos + i + k] != FROM[k]) {
        return false;
      }
    }
    return true;
  }

  private int indexOfNewline(int from, int to) {
    for (int i = from; i < to; i++) {
      if (buf[i] == '\n') {
        return i;
      }
    }
    return -1;
  }

  private void compact() {
    if (pos > 0) {
      System.arraycopy(buf, pos, buf, 0, lim - pos);
      bufStart += pos;
      lim -= pos;
      pos = 0;
    }
  }

  private void fill() throws IOException {
    if (eof || lim == buf.length) {
      return;
    }
    int n = in.read(buf, lim, buf.length - lim);
    if (n < 0) {
      eof = true;
    } else {
      lim += n;
    }
  }
}
