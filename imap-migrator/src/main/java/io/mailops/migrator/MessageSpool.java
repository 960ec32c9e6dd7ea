package io.mailops.migrator;

import java.io.ByteArrayInputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The bytes of one message, readable more than once: in memory up to {@link #IN_MEMORY} bytes,
 * else in a temporary file that {@link #close} deletes. Keeps memory bounded per message.
 */
final class MessageSpool implements Closeable {

  static final int IN_MEMORY = 8 * 1024 * 1024;

  private final byte[] bytes;
  private final Path file;
  private final long size;

  private MessageSpool(byte[] bytes, Path file, long size) {
    this.bytes = bytes;
    this.file = file;
    this.size = size;
  }

  /** Reads {@code in} to its end; does not close it. */
  static MessageSpool read(InputStream in) throws IOException {
    byte[] head = in.readNBytes(IN_MEMORY);
    int next = head.length < IN_MEMORY ? -1 : in.read();
    if (next < 0) {
      return new MessageSpool(head, null, head.length);
    }
    Path file = Files.createTempFile("mailops-migrate-", ".eml");
    try (OutputStream out = Files.newOutputStream(file)) {
      out.write(head);
      out.write(next);
      long size = head.length + 1L + in.transferTo(out);
      return new MessageSpool(null, file, size);
    } catch (IOException | RuntimeException e) {
      Files.deleteIfExists(file);
      throw e;
    }
  }

  long size() {
    return size;
  }

  /** A new stream over the bytes; the caller closes it. */
  InputStream open() throws IOException {
    return bytes != null ? new ByteArrayInputStream(bytes) : Files.newInputStream(file);
  }

  @Override
  public void close() throws IOException {
    if (file != null) {
      Files.deleteIfExists(file);
    }
  }
}
