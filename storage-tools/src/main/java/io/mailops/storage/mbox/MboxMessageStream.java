package io.mailops.storage.mbox;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The un-quoted bytes of one mbox message: the file range {@code [start, end)} without the
 * first byte (the quoting {@code >}) of each line listed in {@code quotedLines}. Closing the
 * stream closes the file.
 */
final class MboxMessageStream extends InputStream {

  private final Path file;
  private final FileChannel channel;
  private final long end;
  private final long[] quotedLines;
  private long pos;
  private int nextQuote;

  MboxMessageStream(Path file, MboxEntry entry) throws IOException {
    this.file = file;
    this.channel = FileChannel.open(file, StandardOpenOption.READ);
    this.pos = entry.contentStart();
    this.end = entry.contentEnd();
    this.quotedLines = entry.quotedLines();
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    int n = read(one, 0, 1);
    return n < 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    if (len == 0) {
      return 0;
    }
    while (nextQuote < quotedLines.length && quotedLines[nextQuote] <= pos) {
      if (quotedLines[nextQuote] == pos) {
        pos++;
      }
      nextQuote++;
    }
    if (pos >= end) {
      return -1;
    }
    long limit = nextQuote < quotedLines.length ? Math.min(end, quotedLines[nextQuote]) : end;
    int n = (int) Math.min(len, limit - pos);
    int got = channel.read(ByteBuffer.wrap(b, off, n), pos);
    if (got <= 0) {
      throw new IOException("mbox " + file + " shrank while a message was read from it;"
          + " another program rewrote it: scan the folder again");
    }
    pos += got;
    return got;
  }

  @Override
  public void close() throws IOException {
    channel.close();
  }
}
