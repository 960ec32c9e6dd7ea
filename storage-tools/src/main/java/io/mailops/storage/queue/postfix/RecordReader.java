package io.mailops.storage.queue.postfix;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * Reads the records of one queue file ({@code src/global/record.c}): a type byte, the length in
 * 7-bit groups (low group first, high bit = more), the data. Pointer records ({@code p}, a
 * {@code %15ld} absolute offset; 0 = placeholder) are followed and padding ({@code w}) is skipped,
 * as {@code rec_get()} does; more than {@value #REVERSE_JUMP_LIMIT} backward jumps are a loop.
 *
 * <p>The file is read through one window buffer, so a small queue file costs one read. The data
 * of the current record is {@code buf()[dataStart() .. dataStart() + length())}, valid until the
 * next call. Not thread-safe; the caller closes the channel it passed in.
 */
final class RecordReader implements Closeable {

  static final int EOF = -1;
  static final int REVERSE_JUMP_LIMIT = 10_000;
  private static final int WINDOW = 8192;

  private final FileChannel channel;
  private final long size;
  private final Path file;
  private byte[] buf;
  private long windowStart;
  private int windowLength;
  private long position;
  private long recordOffset;
  private int dataStart;
  private int length;
  private long lastJump;
  private int reverseJumps;

  RecordReader(FileChannel channel, long size, Path file, byte[] buffer) {
    this.channel = channel;
    this.size = size;
    this.file = file;
    this.buf = buffer != null && buffer.length >= 64 ? buffer : new byte[WINDOW];
  }

  /** The file size the reader works with (taken when the file was opened). */
  long size() {
    return size;
  }

  /** The next record's type (0-255), or {@link #EOF} at the end of the file. */
  int next() throws DamagedQueueFileException {
    for (;;) {
      int type = nextRaw();
      if (type == 'p') {
        long target = parseLong(0, length);
        if (target < 0) {
          throw damaged(recordOffset, "pointer record holds '" + text() + "', not an offset");
        }
        if (target == 0) {
          continue;
        }
        if (target >= size) {
          throw damaged(recordOffset, "pointer to offset " + target + " beyond the end of the file ("
              + size + " bytes)");
        }
        if (target <= lastJump && ++reverseJumps > REVERSE_JUMP_LIMIT) {
          throw damaged(recordOffset, "more than " + REVERSE_JUMP_LIMIT
              + " backward pointer jumps (a pointer loop)");
        }
        lastJump = target;
        position = target;
        continue;
      }
      if (type == 'w') {
        continue;
      }
      return type;
    }
  }

  /** The next record as stored, pointers and padding included. */
  int nextRaw() throws DamagedQueueFileException {
    if (position >= size) {
      return EOF;
    }
    recordOffset = position;
    fill(position, (int) Math.min(6, size - position));
    int at = (int) (position - windowStart);
    int type = buf[at++] & 0xff;
    long len = 0;
    int shift = 0;
    for (;;) {
      if (shift >= 32) {
        throw damaged(recordOffset, "record " + name(type) + " has a length of more than 4 bytes");
      }
      if (windowStart + at >= size) {
        throw damaged(recordOffset, "the file ends inside the length of record " + name(type));
      }
      int b = buf[at++] & 0xff;
      len |= (long) (b & 0x7f) << shift;
      if ((b & 0x80) == 0) {
        break;
      }
      shift += 7;
    }
    long data = windowStart + at;
    if (len > size - data) {
      throw damaged(recordOffset, "record " + name(type) + " needs " + len + " bytes but the file ends "
          + (size - data) + " bytes later (truncated)");
    }
    if (len > Integer.MAX_VALUE - 16) {
      throw damaged(recordOffset, "record " + name(type) + " claims " + len + " bytes");
    }
    fill(data, (int) len);
    dataStart = (int) (data - windowStart);
    length = (int) len;
    position = data + len;
    return type;
  }

  /** The type byte of the next stored record without reading it, or {@link #EOF}. */
  int peekType() throws DamagedQueueFileException {
    if (position >= size) {
      return EOF;
    }
    fill(position, 1);
    return buf[(int) (position - windowStart)] & 0xff;
  }

  /** Continues reading at {@code offset} (no pointer bookkeeping). */
  void seek(long offset) {
    position = offset;
  }

  /** Where the next record starts (after the current one). */
  long position() {
    return position;
  }

  long recordOffset() {
    return recordOffset;
  }

  byte[] buf() {
    return buf;
  }

  int dataStart() {
    return dataStart;
  }

  int length() {
    return length;
  }

  /** The record data as text: ASCII as is, UTF-8 decoded, invalid bytes as '?'. */
  String text() {
    return decode(buf, dataStart, length);
  }

  /**
   * Parses the {@code index}-th (0-based) blank-separated decimal field of the data, or -1 if
   * it is missing or not a number.
   */
  long field(int index) {
    int i = dataStart;
    int end = dataStart + length;
    for (int f = 0; ; f++) {
      while (i < end && buf[i] == ' ') {
        i++;
      }
      int start = i;
      while (i < end && buf[i] != ' ') {
        i++;
      }
      if (start == i) {
        return -1;
      }
      if (f == index) {
        return parseLong(start - dataStart, i - start);
      }
    }
  }

  /** True if the data holds only digits and blanks (showq's test of a size record). */
  boolean digitsAndBlanks() {
    for (int i = dataStart; i < dataStart + length; i++) {
      if (buf[i] != ' ' && (buf[i] < '0' || buf[i] > '9')) {
        return false;
      }
    }
    return true;
  }

  private long parseLong(int from, int len) {
    long n = 0;
    boolean digits = false;
    for (int i = dataStart + from; i < dataStart + from + len; i++) {
      byte b = buf[i];
      if (b == ' ' && !digits) {
        continue;
      }
      if (b < '0' || b > '9' || n > (Long.MAX_VALUE - 9) / 10) {
        return -1;
      }
      n = n * 10 + (b - '0');
      digits = true;
    }
    return digits ? n : -1;
  }

  private void fill(long from, int n) throws DamagedQueueFileException {
    if (from >= windowStart && from + n <= windowStart + windowLength) {
      return;
    }
    if (n > buf.length) {
      buf = new byte[Math.max(n, buf.length * 2)];
    }
    int want = (int) Math.min(buf.length, size - from);
    ByteBuffer bb = ByteBuffer.wrap(buf, 0, want);
    try {
      while (bb.hasRemaining()) {
        if (channel.read(bb, from + bb.position()) < 0) {
          break;
        }
      }
    } catch (IOException e) {
      throw damaged(from, "read error: " + e.getMessage());
    }
    windowStart = from;
    windowLength = bb.position();
    if (windowLength < n) {
      throw damaged(from, "the file shrank while it was read (now " + (from + windowLength)
          + " bytes); the message was probably delivered or removed");
    }
  }

  DamagedQueueFileException damaged(long offset, String what) {
    return new DamagedQueueFileException(file, offset, what);
  }

  static String name(int type) {
    return type >= 0x21 && type < 0x7f ? "'" + (char) type + "'" : String.format("0x%02x", type);
  }

  /** ASCII fast path; otherwise UTF-8 with '?' for invalid bytes (Postfix's printable()). */
  static String decode(byte[] b, int off, int len) {
    boolean ascii = true;
    for (int i = off; i < off + len; i++) {
      if (b[i] < 0) {
        ascii = false;
        break;
      }
    }
    if (ascii) {
      return new String(b, off, len, StandardCharsets.ISO_8859_1);
    }
    CharsetDecoder d = StandardCharsets.UTF_8.newDecoder()
        .onMalformedInput(CodingErrorAction.REPLACE).onUnmappableCharacter(CodingErrorAction.REPLACE)
        .replaceWith("?");
    try {
      return d.decode(ByteBuffer.wrap(b, off, len)).toString();
    } catch (CharacterCodingException e) {
      return new String(b, off, len, StandardCharsets.ISO_8859_1);
    }
  }

  @Override
  public void close() throws IOException {
    channel.close();
  }
}
