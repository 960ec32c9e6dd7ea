package io.mailops.storage;

import java.io.ByteArrayInputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The bytes of one message held so they can be read more than once (Jakarta Mail writes an
 * appended message twice: to count it, then to send it; the migrator fingerprints, then appends)
 * or after the IMAP folder is closed: in
 * memory up to {@link #IN_MEMORY} bytes, else in a private temporary file (mode 0600) that
 * {@link #close} deletes.
 */
public final class SpooledMessage implements Closeable {

  /** Messages up to this size are held in memory. */
  public static final int IN_MEMORY = 8 * 1024 * 1024;

  private final byte[] bytes;
  private final Path file;
  private final long size;

  private SpooledMessage(byte[] bytes, Path file, long size) {
    this.bytes = bytes;
    this.file = file;
    this.size = size;
  }

  /** Reads {@code in} to its end; does not close it. */
  public static SpooledMessage read(InputStream in) throws IOException {
    byte[] head = in.readNBytes(IN_MEMORY);
    int next = head.length < IN_MEMORY ? -1 : in.read();
    if (next < 0) {
      return new SpooledMessage(head, null, head.length);
    }
    Path file = Files.createTempFile("mailops-message-", ".eml");
    try (OutputStream out = Files.newOutputStream(file)) {
      out.write(head);
      out.write(next);
      long size = head.length + 1L + in.transferTo(out);
      return new SpooledMessage(null, file, size);
    } catch (IOException | RuntimeException e) {
      Files.deleteIfExists(file);
      throw e;
    }
  }

  /**
   * The message held in memory as {@code bytes}, which are not copied: the caller must not
   * change them afterwards. For a reader that knows the size up front (an IMAP literal) and
   * reads the bytes straight into one array.
   */
  public static SpooledMessage of(byte[] bytes) {
    return new SpooledMessage(bytes, null, bytes.length);
  }

  /** Writes the bytes to {@code out} (straight from memory when held there); does not close it. */
  public void writeTo(OutputStream out) throws IOException {
    if (bytes != null) {
      out.write(bytes);
    } else {
      Files.copy(file, out);
    }
  }

  /** The number of bytes. */
  public long size() {
    return size;
  }

  /** A new stream over the bytes; the caller closes it. */
  public InputStream open() throws IOException {
    return bytes != null ? new ByteArrayInputStream(bytes) : Files.newInputStream(file);
  }

  /**
   * A stream that owns the bytes: closing it deletes the temporary file. Use it instead of
   * {@link #open} and {@link #close}, not with them.
   */
  public InputStream handOver() throws IOException {
    return bytes != null ? new ByteArrayInputStream(bytes)
        : Files.newInputStream(file, StandardOpenOption.DELETE_ON_CLOSE);
  }

  /**
   * Deletes the temporary file of a message above {@link #IN_MEMORY} bytes. A message of at most
   * {@link #IN_MEMORY} bytes is always held in memory, and closing it does nothing: it stays
   * readable (a writer may keep it until the target answered, e.g. for a retry).
   */
  @Override
  public void close() throws IOException {
    if (file != null) {
      Files.deleteIfExists(file);
    }
  }
}
