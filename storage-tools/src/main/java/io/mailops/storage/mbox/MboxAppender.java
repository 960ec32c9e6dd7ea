package io.mailops.storage.mbox;

import io.mailops.storage.DotLock;
import java.io.BufferedOutputStream;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.SequenceInputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;

/**
 * Appends one message to an mbox file in mboxrd form, locked against mail programs: first a
 * dot-lock {@code FILE.lock} created exclusively (one older than {@link #STALE} is removed as
 * stale), then an exclusive {@code fcntl} lock on the file. A From_ line is written, then the
 * message with every line matching {@code ^>*From } quoted by one more {@code >}, a final line
 * end if the message lacks one, and an empty separator line. If anything fails the file is cut
 * back to its old length.
 */
final class MboxAppender {

  /** A dot-lock older than this is left over from a crashed program and removed. */
  static final Duration STALE = Duration.ofSeconds(120);

  private static final int HEADER_PEEK = 64 * 1024;

  /** Where the message went and its size as {@code open} will return it. */
  record Appended(long fromOffset, long size, Instant date) {}

  private final Clock clock;
  private final Duration lockWait;

  MboxAppender(Clock clock, Duration lockWait) {
    this.clock = clock;
    this.lockWait = lockWait;
  }

  Appended append(Path file, InputStream content, Instant internalDate) throws IOException {
    Path dotLock = file.resolveSibling(file.getFileName() + ".lock");
    try (DotLock held = DotLock.acquire(dotLock, STALE, lockWait, clock, "mbox " + file);
        FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
        StandardOpenOption.WRITE)) {
      ch.lock(); // fcntl, released when the channel closes
      long oldSize = ch.size();
      try {
        Appended a = write(ch, oldSize, content, internalDate);
        ch.force(true);
        return a;
      } catch (IOException | RuntimeException e) {
        ch.truncate(oldSize);
        throw e;
      }
    }
  }

  private Appended write(FileChannel ch, long oldSize, InputStream content, Instant date)
      throws IOException {
    byte[] head = content.readNBytes(HEADER_PEEK);
    String sender = FromLine.senderFromReturnPath(returnPath(head));
    FromLine from = new FromLine(sender, date);
    byte[] separator = separatorBefore(ch, oldSize);
    ch.position(oldSize);
    OutputStream out = new BufferedOutputStream(Channels.newOutputStream(ch), 64 * 1024);
    out.write(separator);
    out.write((from.format() + "\n").getBytes(StandardCharsets.US_ASCII));
    MboxLineReader lines = new MboxLineReader(
        new SequenceInputStream(new ByteArrayInputStream(head), content), 0);
    long size = 0;
    boolean crlf = false;
    boolean first = true;
    while (lines.next()) {
      if (first) {
        crlf = lines.endsWithCrLf();
        first = false;
      }
      if (lines.quoteLevel() >= 0) {
        out.write('>');
      }
      size += lines.finish(out, 0);
    }
    if (size == 0 || lines.lastByte() != '\n') {
      byte[] end = crlf && lines.lastByte() != '\r' ? new byte[] {'\r', '\n'} : new byte[] {'\n'};
      out.write(end);
      size += end.length;
    }
    out.write('\n');
    out.flush();
    return new Appended(oldSize + separator.length, size, from.date());
  }

  /**
   * What must precede a new From_ line so that it follows an empty line: nothing for an empty
   * file or one ending in an empty line, else one or two line ends.
   */
  private static byte[] separatorBefore(FileChannel ch, long size) throws IOException {
    if (size == 0) {
      return new byte[0];
    }
    int n = (int) Math.min(3, size);
    ByteBuffer tail = ByteBuffer.allocate(n);
    while (tail.hasRemaining()) {
      if (ch.read(tail, size - n + tail.position()) < 0) {
        throw new IOException("mbox shrank while it was locked");
      }
    }
    byte[] t = tail.array();
    byte last = t[n - 1];
    if (last != '\n') {
      return new byte[] {'\n', '\n'};
    }
    boolean blank = n == 1
        || t[n - 2] == '\n'
        || t[n - 2] == '\r' && (n == 2 || t[n - 3] == '\n');
    return blank ? new byte[0] : new byte[] {'\n'};
  }

  /** The Return-Path header value in the header block at the start of {@code head}, or null. */
  private static String returnPath(byte[] head) {
    String text = new String(head, StandardCharsets.ISO_8859_1);
    int start = 0;
    while (start < text.length()) {
      int nl = text.indexOf('\n', start);
      int end = nl < 0 ? text.length() : nl;
      String line = text.substring(start, end);
      if (line.isEmpty() || line.equals("\r")) {
        return null;
      }
      if (line.toLowerCase(Locale.ROOT).startsWith("return-path:")) {
        return line.substring("return-path:".length()).strip();
      }
      start = end + 1;
    }
    return null;
  }
}
