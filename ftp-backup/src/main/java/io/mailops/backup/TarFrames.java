package io.mailops.backup;

import com.github.luben.zstd.ZstdInputStream;
import com.github.luben.zstd.ZstdOutputStream;
import io.mailops.storage.MailStoreException;
import io.mailops.storage.PathGuard;
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
 */
public final class TarFrames implements Closeable {

  private static final int ZSTD_LEVEL = 3;
  private static final Path NAME_ROOT = Path.of("/");

  private final OutputStream file;
  private final SetKey key;
  private final String name;
  private long written;
  private int entries;

  private TarFrames(OutputStream file, SetKey key, String name) {
    this.file = file;
    this.key = key;
    this.name = name;
  }

  /** Starts a new plain {@code messages.tar.zst} in the local file {@code path}. */
  public static TarFrames create(Path path) throws IOException {
    return new TarFrames(Files.newOutputStream(path), null, null);
  }

  /**
   * Starts a new {@code messages.tar.zst} in the local file {@code path} whose frames are
   * encrypted with {@code key} ({@code null}: plain); {@code name} is the file's target-relative
   * name, part of each frame's additional data.
   */
  public static TarFrames create(Path path, SetKey key, String name) throws IOException {
    if (key != null && name == null) {
      throw new IllegalArgumentException("an encrypted tar needs its target name");
    }
    return new TarFrames(Files.newOutputStream(path), key, name);
  }

  /** The sink of the next frame: counted, and encrypted when there is a key. */
  private OutputStream frameSink() {
    OutputStream counting = new Counting();
    return key == null ? counting
        : SegmentedCipher.encrypt(counting, key, SegmentedCipher.aad(name, written));
  }

  /**
   * Appends one entry named {@code name} with the bytes of {@code content} (exactly {@code size}
   * bytes) and mtime {@code mtime} as its own frame; returns the frame's offset and length.
   */
  public long[] add(String name, InputStream content, long size, Instant mtime) throws IOException {
    long start = written;
    try (ZstdOutputStream z = new ZstdOutputStream(frameSink(), ZSTD_LEVEL)) {
      TarArchiveOutputStream tar = tar(z);
      TarArchiveEntry e = new TarArchiveEntry(name, true);
      e.setSize(size);
      e.setModTime(FileTime.from(mtime));
      e.setMode(0600);
      tar.putArchiveEntry(e);
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

  /** Number of entries added. */
  public int entries() {
    return entries;
  }

  /** Writes the end-of-archive frame and closes the file. */
  @Override
  public void close() throws IOException {
    try (file) {
      try (ZstdOutputStream z = new ZstdOutputStream(frameSink(), ZSTD_LEVEL)) {
        TarArchiveOutputStream tar = tar(z);
        tar.finish();
        tar.flush();
      }
    }
  }

  private static TarArchiveOutputStream tar(OutputStream out) {
    TarArchiveOutputStream tar = new TarArchiveOutputStream(out, 512, "UTF-8");
    tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
    tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
    tar.setAddPaxHeadersForNonAsciiNames(true);
    return tar;
  }

  /** Counts what reaches the file; closing it ends a frame, not the file. */
  private final class Counting extends FilterOutputStream {
    Counting() {
      super(file);
    }

    @Override
    public void write(int b) throws IOException {
      file.write(b);
      written++;
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      file.write(b, off, len);
      written += len;
    }

    @Override
    public void close() throws IOException {
      file.flush();
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
    return key == null ? range : SegmentedCipher.decrypt(range, key,
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
