package io.mailops.archiver;

import com.github.luben.zstd.Zstd;
import com.github.luben.zstd.ZstdCompressCtx;
import io.mailops.storage.crypto.DecryptionException;
import io.mailops.storage.crypto.SegmentedCipher;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * The blobs of the current database: {@code blobs/XX/ID} where ID is the hex HMAC-SHA256 of the
 * content and XX its first two digits. A blob file is the zstd frame of the content sealed with
 * the current data key ({@link SegmentedCipher}, additional data {@code "blob " + ID}). Written
 * to {@code tmp/} and renamed, so a blob file is whole or absent; ingest forces blob files in
 * groups ({@link #force}) before their journal entries are written. {@link #seal} is thread-safe;
 * the rest is used by one thread at a time.
 */
final class BlobStore {

  private static final int LEVEL = 3;
  private static final Set<StandardOpenOption> NEW_TEMPORARY = Set.of(StandardOpenOption.WRITE,
      StandardOpenOption.CREATE_NEW);

  private final Path dir;
  private final Path tmp;
  private final SegmentedCipher cipher;
  private final Keys keys;
  /** {@code blobs/XX/} directories known to exist: created once, not once per blob. */
  private final Set<Path> dirs = ConcurrentHashMap.newKeySet();
  /** A blob's temporary file is its owner's alone, as {@link Files#createTempFile} makes it. */
  private final FileAttribute<?>[] ownerOnly;

  BlobStore(Path dir, Path tmp, SegmentedCipher cipher, Keys keys) {
    this.dir = dir;
    this.tmp = tmp;
    this.cipher = cipher;
    this.keys = keys;
    this.ownerOnly = tmp.getFileSystem().supportedFileAttributeViews().contains("posix")
        ? new FileAttribute<?>[] {
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))}
        : new FileAttribute<?>[0];
  }

  static byte[] aad(String id) {
    return SegmentedCipher.aad("blob " + id);
  }

  static byte[] compress(byte[] content) {
    return Zstd.compress(content, LEVEL);
  }

  /**
   * A compression context at this store's level, for one thread at a time; the caller closes it.
   * {@code compressor().compress(c)} gives the same frame as {@link #compress}{@code (c)}, which
   * makes (and frees) a context and its work space per call.
   */
  static ZstdCompressCtx compressor() {
    return new ZstdCompressCtx().setLevel(LEVEL);
  }

  static byte[] decompress(byte[] frame, String what) throws ArchiveException {
    try {
      long size = Zstd.getFrameContentSize(frame);
      if (size < 0 || size > Integer.MAX_VALUE) {
        throw new ArchiveException(what + " is not a valid zstd frame; run mailops archive verify");
      }
      return Zstd.decompress(frame, (int) size);
    } catch (RuntimeException e) {
      throw new ArchiveException(what + " does not decompress (" + e.getMessage()
          + "); run mailops archive verify", e);
    }
  }

  Path file(String id) {
    return dir.resolve(id.substring(0, 2)).resolve(id);
  }

  /**
   * The blob file of {@code content} under {@code id}: its zstd frame (made with {@code
   * compressor}, from {@link #compressor}, used by this thread alone for the call), sealed.
   * Thread-safe.
   */
  byte[] seal(String id, byte[] content, ZstdCompressCtx compressor) {
    return cipher.seal(compressor.compress(content), aad(id));
  }

  /**
   * Writes a sealed blob (from {@link #seal}) through a temporary file and a rename, replacing
   * what is there, without forcing it to disk: the caller forces the returned file and its
   * directory with {@link #force} before anything refers to the blob.
   */
  Path write(String id, byte[] sealed) throws IOException {
    Path f = file(id);
    Path parent = f.getParent();
    if (!dirs.contains(parent)) {
      Files.createDirectories(parent);
      dirs.add(parent);
    }
    // named after the blob: tmp/ is emptied when the archive is opened and one ingest at a time
    // writes blobs, so a file of that name is a leftover of this blob, removed first. One open,
    // one write and a rename per blob (a temporary file of Files.createTempFile was opened twice
    // and deleted once more after the rename)
    Path t = tmp.resolve(id + ".tmp");
    boolean moved = false;
    try {
      try (FileChannel ch = newTemporary(t)) {
        ByteBuffer b = ByteBuffer.wrap(sealed);
        while (b.hasRemaining()) {
          ch.write(b);
        }
      }
      try {
        Files.move(t, f, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (NoSuchFileException e) {
        // the directory went away since it was made (someone else's doing): make it again
        dirs.remove(parent);
        Files.createDirectories(parent);
        dirs.add(parent);
        Files.move(t, f, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      }
      moved = true;
    } finally {
      if (!moved) {
        Files.deleteIfExists(t);
      }
    }
    return f;
  }

  private FileChannel newTemporary(Path t) throws IOException {
    try {
      return FileChannel.open(t, NEW_TEMPORARY, ownerOnly);
    } catch (FileAlreadyExistsException e) {
      Files.delete(t);
      return FileChannel.open(t, NEW_TEMPORARY, ownerOnly);
    }
  }

  /** Forces a file's content, or a directory's entries, to disk. */
  static void force(Path p) throws IOException {
    try (FileChannel ch = FileChannel.open(p, Files.isDirectory(p) ? StandardOpenOption.READ
        : StandardOpenOption.WRITE)) {
      ch.force(true);
    }
  }

  /**
   * The content of blob {@code id}, checked against its id.
   *
   * @throws ArchiveException naming the blob when it is missing, damaged or not its content
   */
  byte[] get(String id) throws ArchiveException {
    Path f = file(id);
    byte[] stored;
    try {
      stored = Files.readAllBytes(f);
    } catch (NoSuchFileException e) {
      throw new ArchiveException("blob " + f + " is missing; run mailops archive verify", e);
    } catch (IOException e) {
      throw new ArchiveException("cannot read blob " + f + " (" + e.getMessage() + ")", e);
    }
    byte[] content;
    try {
      content = decompress(cipher.open(stored, aad(id), "blob " + f), "blob " + f);
    } catch (DecryptionException e) {
      throw new ArchiveException(e.getMessage() + "; run mailops archive verify", e);
    }
    if (!keys.blobId(content).equals(id)) {
      throw new ArchiveException("blob " + f + " does not match its id; run mailops archive"
          + " verify");
    }
    return content;
  }

  boolean exists(String id) {
    return Files.exists(file(id));
  }

  void delete(String id) throws IOException {
    Files.deleteIfExists(file(id));
  }

  /** Every blob id on disk. */
  List<String> ids() throws IOException {
    List<String> ids = new ArrayList<>();
    if (!Files.isDirectory(dir)) {
      return ids;
    }
    try (Stream<Path> s = Files.walk(dir, 2)) {
      s.filter(Files::isRegularFile).forEach(p -> ids.add(p.getFileName().toString()));
    }
    return ids;
  }

  /** Bytes of the blob files. */
  long bytes() throws IOException {
    long n = 0;
    for (String id : ids()) {
      n += Files.size(file(id));
    }
    return n;
  }

  private static void writeFully(Path f, byte[] bytes, boolean force) throws IOException {
    try (FileChannel ch = FileChannel.open(f, StandardOpenOption.WRITE)) {
      ByteBuffer b = ByteBuffer.wrap(bytes);
      while (b.hasRemaining()) {
        ch.write(b);
      }
      if (force) {
        ch.force(true);
      }
    }
  }

  /** Writes {@code bytes} to {@code target} through a forced temporary file and a rename. */
  static void writeAtomically(Path tmpDir, Path target, byte[] bytes) throws IOException {
    Files.createDirectories(tmpDir);
    Path t = Files.createTempFile(tmpDir, target.getFileName().toString(), ".tmp");
    try {
      writeFully(t, bytes, true);
      Files.move(t, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } finally {
      Files.deleteIfExists(t);
    }
  }
}
