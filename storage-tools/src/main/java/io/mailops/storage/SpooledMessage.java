package io.mailops.storage;

import java.io.ByteArrayInputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.SequenceInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

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

  /**
   * The bytes when held in memory: the parts in order, each used whole but the last (which holds
   * what is left of {@link #size}); null once {@link #release}d.
   */
  private byte[][] parts;
  /** Where the bytes start in the first part: 0, but for a slice of a shared array. */
  private final int offset;
  private final Path file;
  private final long size;
  /** Takes the arrays of a pooled message back once the last holder released it; else null. */
  private final Consumer<byte[]> recycler;
  /** Holders of a pooled message: the reader, and whoever {@link #retain}ed it. */
  private int holders = 1;

  private SpooledMessage(byte[][] parts, Path file, long size, Consumer<byte[]> recycler) {
    this(parts, 0, file, size, recycler);
  }

  private SpooledMessage(byte[][] parts, int offset, Path file, long size,
      Consumer<byte[]> recycler) {
    this.parts = parts;
    this.offset = offset;
    this.file = file;
    this.size = size;
    this.recycler = recycler;
  }

  /** Reads {@code in} to its end; does not close it. */
  public static SpooledMessage read(InputStream in) throws IOException {
    byte[] head = in.readNBytes(IN_MEMORY);
    int next = head.length < IN_MEMORY ? -1 : in.read();
    if (next < 0) {
      return of(head);
    }
    Path file = Files.createTempFile("mailops-message-", ".eml");
    try (OutputStream out = Files.newOutputStream(file)) {
      out.write(head);
      out.write(next);
      long size = head.length + 1L + in.transferTo(out);
      return new SpooledMessage(null, file, size, null);
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
    return new SpooledMessage(new byte[][] {bytes}, null, bytes.length, null);
  }

  /**
   * The message of {@code size} bytes held in {@code parts}, arrays lent by a pool, in order:
   * each is used whole but the last, which holds the rest. Once every holder has called
   * {@link #release} (the first holder is the caller; {@link #retain} adds one), each array goes
   * back through {@code recycler}, and the message can no longer be read. The holders use it
   * from one thread. A message that is never released is simply garbage collected.
   */
  public static SpooledMessage pooled(byte[][] parts, long size, Consumer<byte[]> recycler) {
    if (parts.length == 0) {
      throw new IllegalArgumentException("no arrays for " + size + " bytes");
    }
    long room = 0;
    for (int i = 0; i < parts.length - 1; i++) {
      room += parts[i].length;
    }
    if (size > IN_MEMORY || size < room || size > room + parts[parts.length - 1].length) {
      throw new IllegalArgumentException(size + " bytes in " + parts.length + " arrays");
    }
    return new SpooledMessage(parts, null, size, Objects.requireNonNull(recycler));
  }

  /**
   * The message of {@code size} bytes held in {@code array} from {@code offset} on, a slice of an
   * array that a pool shares between small messages: like {@link #pooled} with one part, but the
   * bytes start at {@code offset}, and {@code recycler} is told (with the whole array) when the
   * last holder released this message, for the pool to count the array's messages.
   */
  public static SpooledMessage pooledSlice(byte[] array, int offset, int size,
      Consumer<byte[]> recycler) {
    if (offset < 0 || size < 0 || size > array.length - offset) {
      throw new IllegalArgumentException(size + " bytes at " + offset + " in an array of "
          + array.length);
    }
    return new SpooledMessage(new byte[][] {array}, offset, null, size,
        Objects.requireNonNull(recycler));
  }

  /**
   * One more holder of a pooled message, who calls {@link #release} when done with it (e.g. a
   * writer that keeps the message until the target answered); does nothing for another message.
   */
  public SpooledMessage retain() {
    if (recycler != null) {
      held();
      holders++;
    }
    return this;
  }

  /**
   * Ends one hold of a pooled message; the last one gives its arrays back to the pool, after
   * which every read of it throws. Does nothing for another message.
   */
  public void release() {
    if (recycler != null && holders > 0 && --holders == 0) {
      byte[][] p = parts;
      parts = null;
      for (byte[] b : p) {
        recycler.accept(b);
      }
    }
  }

  private byte[][] held() {
    if (recycler != null && holders <= 0) {
      throw new IllegalStateException("the message's bytes were released to their pool");
    }
    return parts;
  }

  /** Writes the bytes to {@code out} (straight from memory when held there); does not close it. */
  public void writeTo(OutputStream out) throws IOException {
    if (file != null) {
      Files.copy(file, out);
      return;
    }
    long left = size;
    int from = offset;
    for (byte[] b : held()) {
      int n = (int) Math.min(b.length - from, left);
      out.write(b, from, n);
      left -= n;
      from = 0;
    }
  }

  /** The number of bytes. */
  public long size() {
    return size;
  }

  /** A new stream over the bytes; the caller closes it. */
  public InputStream open() throws IOException {
    return file == null ? memory() : Files.newInputStream(file);
  }

  /**
   * A stream that owns the bytes: closing it deletes the temporary file. Use it instead of
   * {@link #open} and {@link #close}, not with them.
   */
  public InputStream handOver() throws IOException {
    return file == null ? memory()
        : Files.newInputStream(file, StandardOpenOption.DELETE_ON_CLOSE);
  }

  private InputStream memory() {
    byte[][] p = held();
    if (p.length == 1) {
      return new ByteArrayInputStream(p[0], offset, (int) size);
    }
    List<InputStream> in = new ArrayList<>(p.length);
    long left = size;
    for (byte[] b : p) {
      int n = (int) Math.min(b.length, left);
      in.add(new ByteArrayInputStream(b, 0, n));
      left -= n;
    }
    return new SequenceInputStream(Collections.enumeration(in));
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
