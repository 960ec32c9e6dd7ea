package io.mailops.backup;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Queue;

/**
 * A packed file on its way to the target: held in a byte array up to {@code limit} bytes, moved
 * to a temporary file in {@code dir} once it grows past that. Saves a full backup writing every
 * tar to the local disk and reading it back for the upload (ADR 0038). The arrays come from and
 * go back to a shared pool, so a run allocates about one per folder in flight. Used by one thread
 * at a time (written on a packing thread, then read on an upload thread).
 */
final class Scratch extends OutputStream {

  private static final int FIRST = 256 * 1024;
  private static final int FILE_BUFFER = 256 * 1024;

  private final Queue<byte[]> pool;
  private final int limit;
  private final Path dir;
  private byte[] buf;
  private int count;
  private Path file;
  private OutputStream out;

  /**
   * @param pool arrays to take one from (and give it back to on {@link #release})
   * @param limit the most bytes held in memory
   * @param dir where the file goes when there are more
   */
  Scratch(Queue<byte[]> pool, int limit, Path dir) {
    this.pool = pool;
    this.limit = limit;
    this.dir = dir;
    byte[] b = pool.poll();
    this.buf = b != null ? b : new byte[Math.min(FIRST, Math.max(limit, 1))];
  }

  @Override
  public void write(int b) throws IOException {
    write(new byte[] {(byte) b}, 0, 1);
  }

  @Override
  public void write(byte[] b, int off, int len) throws IOException {
    if (out != null) {
      out.write(b, off, len);
      return;
    }
    if ((long) count + len > limit) {
      file = Files.createTempFile(dir, "messages", ".tar.zst");
      out = new BufferedOutputStream(Files.newOutputStream(file), FILE_BUFFER);
      out.write(buf, 0, count);
      out.write(b, off, len);
      giveBack();
      return;
    }
    if (count + len > buf.length) {
      buf = Arrays.copyOf(buf, (int) Math.min(limit, Math.max(2L * buf.length, count + len)));
    }
    System.arraycopy(b, off, buf, count, len);
    count += len;
  }

  /**
   * The array to write up to {@code n} more bytes into directly, at {@link #length()}, grown if
   * needed; {@code null} when they might not fit in memory (or the bytes are in a file already):
   * then write them with {@link #write(byte[], int, int)}. Follow with {@link #commit}.
   */
  byte[] reserve(int n) {
    if (out != null || (long) count + n > limit) {
      return null;
    }
    if (count + n > buf.length) {
      buf = Arrays.copyOf(buf, (int) Math.min(limit, Math.max(2L * buf.length, count + n)));
    }
    return buf;
  }

  /** Counts {@code n} bytes written into the array from {@link #reserve} at {@link #length()}. */
  void commit(int n) {
    if (n < 0 || count + n > buf.length) {
      throw new IllegalArgumentException("commit of " + n + " bytes at " + count + " of "
          + buf.length);
    }
    count += n;
  }

  @Override
  public void close() throws IOException {
    if (out != null) {
      out.close();
    }
  }

  /** The temporary file holding the bytes, or {@code null} while they are in memory. */
  Path file() {
    return file;
  }

  /** The array holding the bytes while they are in memory ({@link #length} of them). */
  byte[] bytes() {
    return buf;
  }

  /** The number of bytes in {@link #bytes()}. */
  int length() {
    return count;
  }

  /** Gives the array back to the pool and deletes the file; the bytes are gone after this. */
  void release() throws IOException {
    giveBack();
    if (file != null) {
      if (out != null) {
        out.close();
      }
      Files.deleteIfExists(file);
    }
  }

  private void giveBack() {
    if (buf != null) {
      pool.offer(buf);
      buf = null;
      count = 0;
    }
  }
}
