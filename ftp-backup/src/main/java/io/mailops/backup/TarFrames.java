package io.mailops.backup;

import io.mailops.storage.crypto.SegmentedCipher;
import com.github.luben.zstd.RecyclingBufferPool;
import com.github.luben.zstd.Zstd;
import com.github.luben.zstd.ZstdCompressCtx;
import com.github.luben.zstd.ZstdInputStream;
import com.github.luben.zstd.ZstdOutputStream;
import io.mailops.storage.MailStoreException;
import io.mailops.storage.PathGuard;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * {@code messages.tar.zst}: a POSIX/PAX tar in which every entry (its PAX header, tar header,
 * data and padding) is compressed as its own zstd frame, followed by one frame holding the tar
 * end-of-archive blocks. The concatenation decompresses to an ordinary tar
 * ({@code zstd -dc messages.tar.zst | tar t}); one entry is read back from its frame alone. In an
 * encrypted set every frame is encrypted on its own ({@link SegmentedCipher}, additional data =
 * the tar's target name and the frame's offset), and offsets and lengths count stored bytes.
 *
 * <p>Entries given as bytes are compressed in one call with the zstd context of a {@link Packer}
 * (reused from entry to entry and from file to file); entries given as a stream (large messages)
 * are compressed while streaming. The SHA-256 of the stored file is computed while it is written.
 * Not thread-safe.
 */
public final class TarFrames implements Closeable {

  static final int ZSTD_LEVEL = 3;
  private static final Path NAME_ROOT = Path.of("/");
  private static final int FILE_BUFFER = 256 * 1024;
  private static final int RECORD = 512;
  private static final byte[] ZEROS = new byte[RECORD];
  private static final long MAX_OCTAL_11 = 077777777777L;
  /** ustar magic and version (POSIX). */
  private static final byte[] USTAR_MAGIC = {'u', 's', 't', 'a', 'r', 0, '0', '0'};

  private final OutputStream file;
  private final SetKey key;
  private final String name;
  private final Packer packer;
  private final boolean ownPacker;
  private final MessageDigest fileSha = sha256();
  private String sha256;
  private long written;
  private int entries;

  private TarFrames(OutputStream file, SetKey key, String name, Packer packer) {
    this.file = file;
    this.key = key;
    this.name = name;
    this.ownPacker = packer == null;
    this.packer = packer == null ? new Packer() : packer;
  }

  /** Starts a new plain {@code messages.tar.zst} in the local file {@code path}. */
  public static TarFrames create(Path path) throws IOException {
    return create(path, null, null, null);
  }

  /**
   * Starts a new {@code messages.tar.zst} in the local file {@code path} whose frames are
   * encrypted with {@code key} ({@code null}: plain); {@code name} is the file's target-relative
   * name, part of each frame's additional data.
   */
  public static TarFrames create(Path path, SetKey key, String name) throws IOException {
    return create(path, key, name, null);
  }

  /**
   * As {@link #create(Path, SetKey, String)}, compressing with {@code packer}'s context and
   * buffers ({@code null}: a new one, closed with this file); the caller closes its packer.
   */
  public static TarFrames create(Path path, SetKey key, String name, Packer packer)
      throws IOException {
    if (key != null && name == null) {
      throw new IllegalArgumentException("an encrypted tar needs its target name");
    }
    return create(new BufferedOutputStream(Files.newOutputStream(path), FILE_BUFFER), key, name,
        packer);
  }

  /**
   * As {@link #create(Path, SetKey, String, Packer)}, writing the stored bytes to {@code sink}
   * (closed with this tar) instead of a file.
   */
  public static TarFrames create(OutputStream sink, SetKey key, String name, Packer packer) {
    if (key != null && name == null) {
      throw new IllegalArgumentException("an encrypted tar needs its target name");
    }
    return new TarFrames(sink, key, name, packer);
  }

  /** The sink of the next frame: counted, and encrypted when there is a key. */
  private OutputStream frameSink() {
    OutputStream counting = new Counting();
    return key == null ? counting
        : key.cipher().encrypt(counting, SegmentedCipher.aad(name, written));
  }

  /**
   * Appends one entry named {@code name} with the bytes of {@code content} (exactly {@code size}
   * bytes) and mtime {@code mtime} as its own frame; returns the frame's offset and length.
   */
  public long[] add(String name, InputStream content, long size, Instant mtime) throws IOException {
    long start = written;
    try (ZstdOutputStream z = new ZstdOutputStream(frameSink(), RecyclingBufferPool.INSTANCE,
        ZSTD_LEVEL)) {
      TarArchiveOutputStream tar = tar(z);
      tar.putArchiveEntry(entry(name, size, mtime));
      long copied = content.transferTo(tar);
      if (copied != size) {
        throw new BackupException("tar entry " + name + ": got " + copied + " bytes, expected "
            + size + "; the message changed while it was read, run the backup again");
      }
      tar.closeArchiveEntry();
      tar.flush();
    }
    entries++;
    return new long[] {start, written - start};
  }

  /**
   * Appends one entry named {@code name} with {@code len} bytes of {@code content} from
   * {@code off} and mtime {@code mtime} as its own frame, compressed in one call; returns the
   * frame's offset and length.
   */
  public long[] add(String name, byte[] content, int off, int len, Instant mtime)
      throws IOException {
    long start = written;
    Packer.Buffer buf = packer.entry;
    buf.reset();
    if (!ustarHeader(buf, packer.header, name, len, mtime)) {
      // a long or non-ASCII name: Commons Compress writes the PAX header it needs
      TarArchiveOutputStream tar = tar(buf);
      tar.putArchiveEntry(entry(name, len, mtime));
      tar.flush();
    }
    if (buf.size() == 0 || buf.size() % RECORD != 0) {
      throw new IllegalStateException("tar header of " + name + " is " + buf.size() + " bytes");
    }
    // the data and its padding directly: the tar stream would copy it 512 bytes at a time
    buf.write(content, off, len);
    buf.write(ZEROS, 0, (RECORD - len % RECORD) % RECORD);
    writeFrame(buf.bytes(), buf.size());
    entries++;
    return new long[] {start, written - start};
  }

  /**
   * The bytes a caller of {@link #addInPlace} leaves free in its array before an entry's content
   * (one tar header).
   */
  public static final int HEADER_ROOM = RECORD;

  /**
   * The array length {@link #addInPlace} needs for {@code len} bytes of content: the header room,
   * the content and its padding to a whole tar record.
   */
  public static int inPlaceLength(int len) {
    return HEADER_ROOM + len + (RECORD - len % RECORD) % RECORD;
  }

  /**
   * As {@link #add(String, byte[], int, int, Instant)} for {@code len} bytes of content the
   * caller has read into {@code buf} at {@link #HEADER_ROOM}: the tar header goes into the room
   * before it and the padding after it ({@code buf} must be at least {@link #inPlaceLength}
   * long), and the frame is compressed from there, so the content is not copied into an entry
   * buffer first. The same frame as {@code add}; a name that needs a PAX header goes through
   * {@code add}. {@code buf}'s bytes outside the content are overwritten.
   */
  public long[] addInPlace(String name, byte[] buf, int len, Instant mtime) throws IOException {
    int end = inPlaceLength(len);
    if (buf.length < end) {
      throw new IllegalArgumentException("array of " + buf.length + " bytes for an entry of "
          + len + " bytes; it needs " + end);
    }
    Packer.Buffer header = packer.entry;
    header.reset();
    if (!ustarHeader(header, packer.header, name, len, mtime)) {
      return add(name, buf, HEADER_ROOM, len, mtime);
    }
    long start = written;
    System.arraycopy(header.bytes(), 0, buf, 0, RECORD);
    Arrays.fill(buf, HEADER_ROOM + len, end, (byte) 0);
    writeFrame(buf, end);
    entries++;
    return new long[] {start, written - start};
  }

  /**
   * Writes the 512-byte ustar header of a regular file {@code name} (mode 0600) into {@code out}
   * when a plain header can hold it: a printable-ASCII name of at most 99 bytes, a size and an
   * mtime (whole seconds; the manifest keeps the exact date) of at most 11 octal digits. Returns
   * false, writing nothing, otherwise. Byte for byte the header Commons Compress writes for such
   * an entry, except that a sub-second mtime gets no PAX record; built here without the
   * per-entry stream, entry and encoder objects (about a tenth of the packing threads' Java
   * time in a profile of a full backup).
   */
  static boolean ustarHeader(OutputStream out, byte[] h, String name, long size, Instant mtime)
      throws IOException {
    int n = name.length();
    long secs = mtime.getEpochSecond();
    if (n == 0 || n >= 100 || size < 0 || size > MAX_OCTAL_11 || secs < 0 || secs > MAX_OCTAL_11) {
      return false;
    }
    Arrays.fill(h, (byte) 0);
    for (int i = 0; i < n; i++) {
      char c = name.charAt(i);
      if (c < 0x20 || c > 0x7e) {
        return false;
      }
      h[i] = (byte) c;
    }
    octal(h, 100, 8, 0600);
    octal(h, 108, 8, 0);
    octal(h, 116, 8, 0);
    octal(h, 124, 12, size);
    octal(h, 136, 12, secs);
    h[156] = '0';
    System.arraycopy(USTAR_MAGIC, 0, h, 257, USTAR_MAGIC.length);
    octal(h, 329, 8, 0);
    octal(h, 337, 8, 0);
    // checksum: the sum of the header's bytes with the checksum field as 8 spaces
    Arrays.fill(h, 148, 156, (byte) ' ');
    long sum = 0;
    for (byte b : h) {
      sum += b & 0xff;
    }
    octal(h, 148, 7, sum);
    h[154] = 0;
    h[155] = ' ';
    out.write(h, 0, RECORD);
    return true;
  }

  /**
   * {@code value} as {@code len - 1} zero-padded octal digits and a space at {@code off} (the
   * layout Commons Compress writes; tar readers take either a space or a NUL).
   */
  private static void octal(byte[] h, int off, int len, long value) {
    long v = value;
    for (int i = off + len - 2; i >= off; i--) {
      h[i] = (byte) ('0' + (v & 7));
      v >>>= 3;
    }
    h[off + len - 1] = ' ';
  }

  private static TarArchiveEntry entry(String name, long size, Instant mtime) {
    TarArchiveEntry e = new TarArchiveEntry(name, true);
    e.setSize(size);
    e.setModTime(FileTime.from(mtime));
    e.setMode(0600);
    return e;
  }

  /**
   * Compresses {@code src[0, len)} as one frame into the file; a plain frame into a
   * {@link Scratch} held in memory is compressed straight into its array.
   */
  private void writeFrame(byte[] src, int len) throws IOException {
    if (key == null && file instanceof Scratch scratch) {
      int bound = (int) Math.min(Integer.MAX_VALUE - 16, Zstd.compressBound(len));
      byte[] arr = scratch.reserve(bound);
      if (arr != null) {
        int at = scratch.length();
        int n = packer.ctx.compressByteArray(arr, at, bound, src, 0, len);
        scratch.commit(n);
        fileSha.update(arr, at, n);
        written += n;
        return;
      }
    }
    byte[] dst = packer.out(len);
    int n = packer.ctx.compressByteArray(dst, 0, dst.length, src, 0, len);
    try (OutputStream sink = frameSink()) {
      sink.write(dst, 0, n);
    }
  }

  /** Number of entries added. */
  public int entries() {
    return entries;
  }

  /** Writes the end-of-archive frame and closes the file. */
  @Override
  public void close() throws IOException {
    try (file) {
      Packer.Buffer buf = packer.entry;
      buf.reset();
      TarArchiveOutputStream tar = tar(buf);
      tar.finish();
      tar.flush();
      writeFrame(buf.bytes(), buf.size());
    } finally {
      if (ownPacker) {
        packer.close();
      }
    }
    sha256 = HexFormat.of().formatHex(fileSha.digest());
  }

  /** The SHA-256 (hex) of the stored file; known after {@link #close()}. */
  public String fileSha256() {
    if (sha256 == null) {
      throw new IllegalStateException("the tar is not closed yet");
    }
    return sha256;
  }

  /** The size of the stored file in bytes so far. */
  public long size() {
    return written;
  }

  private static TarArchiveOutputStream tar(OutputStream out) {
    TarArchiveOutputStream tar = new TarArchiveOutputStream(out, RECORD, "UTF-8");
    tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
    tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
    tar.setAddPaxHeadersForNonAsciiNames(true);
    return tar;
  }

  /** Counts and hashes what reaches the file; closing it ends a frame, not the file. */
  private final class Counting extends FilterOutputStream {
    Counting() {
      super(file);
    }

    @Override
    public void write(int b) throws IOException {
      file.write(b);
      fileSha.update((byte) b);
      written++;
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      file.write(b, off, len);
      fileSha.update(b, off, len);
      written += len;
    }

    @Override
    public void flush() {
      // frames are counted, not flushed one by one; the file is flushed when it is closed
    }

    @Override
    public void close() {
      // ends a frame only
    }
  }

  /**
   * The reusable state of one packing thread: a zstd context at the tar's level and growing
   * buffers for a tar entry and its compressed frame. Not thread-safe; close it to free the
   * native context.
   */
  public static final class Packer implements Closeable {
    private final ZstdCompressCtx ctx = new ZstdCompressCtx().setLevel(ZSTD_LEVEL);
    private final Buffer entry = new Buffer(128 * 1024);
    private final byte[] header = new byte[RECORD];
    private byte[] out = new byte[0];

    /** A compression buffer for {@code len} input bytes. */
    private byte[] out(int len) {
      int bound = (int) Math.min(Integer.MAX_VALUE - 16, Zstd.compressBound(len));
      if (out.length < bound) {
        out = new byte[bound];
      }
      return out;
    }

    @Override
    public void close() {
      ctx.close();
    }

    /** A byte array output stream whose array is reused after {@link #reset()}. */
    static final class Buffer extends ByteArrayOutputStream {
      Buffer(int size) {
        super(size);
      }

      byte[] bytes() {
        return buf;
      }
    }
  }

  /**
   * Reads the entry at {@code loc} from {@code target} — only its frame's byte range — into
   * {@code out} (not closed) and returns the SHA-256 (hex) of the bytes copied. The entry name
   * goes through {@link PathGuard} and must be {@code loc.entry()}.
   *
   * @throws BackupException naming the file if the frame is damaged or the entry is unsafe or not
   *     the expected one
   */
  public static String copyEntry(BackupTarget target, Location loc, OutputStream out)
      throws IOException {
    return copyEntry(target, loc, out, null);
  }

  /**
   * {@link #copyEntry(BackupTarget, Location, OutputStream)} of an encrypted tar: the frame is
   * decrypted with {@code key} ({@code null}: the tar is plain).
   */
  public static String copyEntry(BackupTarget target, Location loc, OutputStream out, SetKey key)
      throws IOException {
    MessageDigest sha = sha256();
    try (InputStream range = open(target, loc, key);
        ZstdInputStream z = new ZstdInputStream(range);
        TarArchiveInputStream tar = new TarArchiveInputStream(z, "UTF-8")) {
      TarArchiveEntry e = tar.getNextEntry();
      if (e == null) {
        throw new BackupException(loc.file() + " has no tar entry at offset " + loc.offset()
            + " (expected " + loc.entry() + "); the file is damaged, run 'backup verify --deep'");
      }
      try {
        PathGuard.resolveInside(NAME_ROOT, e.getName(), "tar entry in " + loc.file());
      } catch (MailStoreException unsafe) {
        throw new BackupException(unsafe.getMessage(), unsafe);
      }
      if (!e.getName().equals(loc.entry())) {
        throw new BackupException(loc.file() + " holds tar entry '" + e.getName() + "' at offset "
            + loc.offset() + " where the manifest expects '" + loc.entry()
            + "'; the set is damaged, run 'backup verify --deep'");
      }
      tar.transferTo(new DigestOutputStream(out, sha));
    } catch (BackupException e) {
      throw e;
    } catch (IOException e) {
      throw new BackupException("cannot read tar entry " + loc.entry() + " of " + loc.file()
          + " at offset " + loc.offset() + " (" + e.getMessage()
          + "); the file is damaged, run 'backup verify --deep'", e);
    }
    return HexFormat.of().formatHex(sha.digest());
  }

  private static InputStream open(BackupTarget target, Location loc, SetKey key)
      throws IOException {
    InputStream range = target.open(loc.file(), loc.offset(), loc.length());
    return key == null ? range : key.cipher().decrypt(range,
        SegmentedCipher.aad(loc.file(), loc.offset()), loc.file() + " at offset " + loc.offset());
  }

  /** A fresh SHA-256 digest. */
  public static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK has no SHA-256", e);
    }
  }
}
