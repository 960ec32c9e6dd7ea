package io.mailops.archiver;

import io.mailops.storage.crypto.DecryptionException;
import io.mailops.storage.crypto.SegmentedCipher;
import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A sealed volume file (see docs/archive-format.md): {@code MAGIC}, the header length (u32) and
 * plaintext {@link VolumeHeader} JSON, then frames of name length (u32), UTF-8 name, sealed
 * length (u64) and the sealed bytes (AES-GCM segments under the volume key, additional data
 * {@code "volume " + id + " " + name}); the last frame is {@code manifest.json}; then the
 * manifest frame's offset (u64) and {@code END}. Written by {@link Writer}, read by
 * {@link #open}. A reader is used by one thread at a time.
 */
final class VolumeFile implements AutoCloseable {

  static final byte[] MAGIC = "MOARCV01".getBytes(StandardCharsets.US_ASCII);
  static final byte[] END = "MOARCEND".getBytes(StandardCharsets.US_ASCII);
  static final String MANIFEST = "manifest.json";
  static final String RECORDS = "records.json";
  static final String BLOB = "blob/";
  static final String INDEX = "index/";

  private final Path path;
  private final FileChannel ch;
  private final VolumeHeader header;
  private final SegmentedCipher cipher;
  private final VolumeManifest manifest;
  private final Map<String, VolumeManifest.Entry> entries = new LinkedHashMap<>();
  private final long headerEnd;
  private final long manifestOffset;

  private VolumeFile(Path path, FileChannel ch, VolumeHeader header, SegmentedCipher cipher,
      VolumeManifest manifest, long headerEnd, long manifestOffset) {
    this.path = path;
    this.ch = ch;
    this.header = header;
    this.cipher = cipher;
    this.manifest = manifest;
    this.headerEnd = headerEnd;
    this.manifestOffset = manifestOffset;
    for (VolumeManifest.Entry e : manifest.entries()) {
      entries.put(e.name(), e);
    }
  }

  static byte[] aad(String id, String name) {
    return SegmentedCipher.aad("volume " + id + " " + name);
  }

  /**
   * Opens {@code path}, unwraps its key with {@code master} and authenticates its header and
   * manifest.
   *
   * @throws ArchiveException naming the file when it is not a volume, damaged, or not of this
   *     archive
   */
  static VolumeFile open(Path path, SegmentedCipher master) throws IOException {
    FileChannel ch = FileChannel.open(path, StandardOpenOption.READ);
    try {
      long size = ch.size();
      ByteBuffer head = read(ch, 0, MAGIC.length + 4, path);
      byte[] magic = new byte[MAGIC.length];
      head.get(magic);
      if (!Arrays.equals(magic, MAGIC)) {
        throw corrupt(path, "it does not start with the volume magic");
      }
      int headerLen = head.getInt();
      if (headerLen < 2 || headerLen > 65536) {
        throw corrupt(path, "its header length " + headerLen + " is impossible");
      }
      byte[] headerBytes = read(ch, MAGIC.length + 4, headerLen, path).array();
      VolumeHeader header = Json.read(headerBytes, VolumeHeader.class, "the header of " + path);
      ByteBuffer trailer = read(ch, size - 8 - END.length, 8 + END.length, path);
      long manifestOffset = trailer.getLong();
      byte[] end = new byte[END.length];
      trailer.get(end);
      if (!Arrays.equals(end, END) || manifestOffset < MAGIC.length + 4 + headerLen
          || manifestOffset >= size) {
        throw corrupt(path, "its trailer is damaged");
      }
      byte[] key;
      try {
        key = Keys.unwrap(master, "volume " + header.id(), header.key());
      } catch (DecryptionException | IllegalArgumentException e) {
        throw corrupt(path, "its key does not unwrap with this archive's password");
      }
      SegmentedCipher cipher = Keys.cipher(key, header.segmentSize());
      Frame mf = frameAt(ch, manifestOffset, size - 8 - END.length, path);
      if (!mf.name.equals(MANIFEST) || mf.end != size - 8 - END.length) {
        throw corrupt(path, "its last entry is not the manifest");
      }
      byte[] json;
      try {
        json = cipher.open(read(ch, mf.dataOffset, (int) mf.length, path).array(),
            aad(header.id(), MANIFEST), "the manifest of " + path);
      } catch (DecryptionException e) {
        throw corrupt(path, "its manifest does not authenticate");
      }
      VolumeManifest m = Json.read(json, VolumeManifest.class, "the manifest of " + path);
      if (!m.headerSha256().equals(Digests.sha256Hex(headerBytes))
          || !m.id().equals(header.id())) {
        throw corrupt(path, "its header does not match its manifest");
      }
      VolumeFile v = new VolumeFile(path, ch, header, cipher, m, MAGIC.length + 4 + headerLen,
          manifestOffset);
      ch = null;
      return v;
    } catch (ArchiveException e) {
      throw e;
    } catch (IOException | RuntimeException e) {
      throw corrupt(path, "it cannot be read (" + e.getMessage() + ")");
    } finally {
      if (ch != null) {
        ch.close();
      }
    }
  }

  VolumeManifest manifest() {
    return manifest;
  }

  VolumeHeader header() {
    return header;
  }

  Path path() {
    return path;
  }

  /**
   * The plaintext of entry {@code name}, authenticated.
   *
   * @throws ArchiveException naming the entry and file when it is missing or damaged
   */
  byte[] entry(String name) throws IOException {
    VolumeManifest.Entry e = entries.get(name);
    if (e == null) {
      throw new ArchiveException("volume " + path + " has no entry " + name
          + "; run mailops archive verify --volume " + header.id());
    }
    byte[] sealed = read(ch, e.offset(), (int) e.length(), path).array();
    try {
      return cipher.open(sealed, aad(header.id(), name), name + " in volume " + path);
    } catch (DecryptionException ex) {
      throw new ArchiveException(ex.getMessage() + "; run mailops archive verify --volume "
          + header.id(), ex);
    }
  }

  /** The content of blob {@code id} of this volume (decompressed, not yet checked against id). */
  byte[] blob(String id) throws IOException {
    return BlobStore.decompress(entry(BLOB + id), "blob " + id + " in volume " + path);
  }

  /** The message records of this volume, in chain order. */
  List<MessageRecord> records() throws IOException {
    return Arrays.asList(Json.read(entry(RECORDS), MessageRecord[].class,
        RECORDS + " in volume " + path));
  }

  /**
   * Walks the frames between the header and the manifest and returns each difference from the
   * manifest (a frame not listed, listed at another place, or whose sealed bytes do not hash to
   * the listed SHA-256), naming the entry. Empty when every byte is accounted for.
   */
  List<String> damagedEntries() throws IOException {
    List<String> damaged = new ArrayList<>();
    List<VolumeManifest.Entry> listed = manifest.entries();
    long pos = headerEnd;
    int i = 0;
    while (pos < manifestOffset) {
      Frame f;
      try {
        f = frameAt(ch, pos, manifestOffset, path);
      } catch (ArchiveException e) {
        damaged.add(i < listed.size() ? listed.get(i).name() : "frame at offset " + pos);
        return damaged;
      }
      VolumeManifest.Entry e = i < listed.size() ? listed.get(i) : null;
      if (e == null || !e.name().equals(f.name) || e.offset() != f.dataOffset
          || e.length() != f.length) {
        damaged.add(e == null ? f.name : e.name());
        return damaged;
      }
      String sha = Digests.sha256Hex(read(ch, f.dataOffset, (int) f.length, path).array());
      if (!sha.equals(e.sha256())) {
        damaged.add(e.name());
      }
      pos = f.end;
      i++;
    }
    if (i != listed.size()) {
      damaged.add(listed.get(Math.min(i, listed.size() - 1)).name());
    }
    return damaged;
  }

  @Override
  public void close() throws IOException {
    ch.close();
  }

  private record Frame(String name, long dataOffset, long length, long end) {}

  private static Frame frameAt(FileChannel ch, long pos, long limit, Path path)
      throws IOException {
    if (pos + 4 > limit) {
      throw corrupt(path, "an entry at offset " + pos + " is cut short");
    }
    int nameLen = read(ch, pos, 4, path).getInt();
    if (nameLen < 1 || nameLen > 4096 || pos + 4 + nameLen + 8 > limit) {
      throw corrupt(path, "the entry at offset " + pos + " has an impossible name length");
    }
    String name = new String(read(ch, pos + 4, nameLen, path).array(), StandardCharsets.UTF_8);
    long len = read(ch, pos + 4 + nameLen, 8, path).getLong();
    long data = pos + 4 + nameLen + 8;
    if (len < 0 || len > Integer.MAX_VALUE || data + len > limit) {
      throw corrupt(path, "the entry " + name + " at offset " + pos + " has an impossible length");
    }
    return new Frame(name, data, len, data + len);
  }

  private static ByteBuffer read(FileChannel ch, long pos, int len, Path path)
      throws IOException {
    if (pos < 0 || len < 0) {
      throw corrupt(path, "it is too short");
    }
    ByteBuffer b = ByteBuffer.allocate(len);
    while (b.hasRemaining()) {
      int n = ch.read(b, pos + b.position());
      if (n < 0) {
        throw corrupt(path, "it is too short");
      }
    }
    return b.flip();
  }

  static ArchiveException corrupt(Path path, String why) {
    return new ArchiveException("volume file " + path + " is damaged: " + why
        + "; restore the file from a backup");
  }

  /**
   * Writes a volume file: {@link #add} each entry, then {@link #finish} with the manifest. Not
   * thread-safe; the caller renames the finished file into place.
   */
  static final class Writer implements AutoCloseable {
    private final DataOutputStream out;
    private final String id;
    private final SegmentedCipher cipher;
    private final byte[] headerBytes;
    private final List<VolumeManifest.Entry> entries = new ArrayList<>();
    private long pos;

    Writer(Path file, VolumeHeader header, SegmentedCipher cipher) throws IOException {
      OutputStream os = Files.newOutputStream(file);
      this.out = new DataOutputStream(new BufferedOutputStream(os, 1 << 16));
      this.id = header.id();
      this.cipher = cipher;
      this.headerBytes = Json.write(header);
      out.write(MAGIC);
      out.writeInt(headerBytes.length);
      out.write(headerBytes);
      pos = MAGIC.length + 4 + headerBytes.length;
    }

    String headerSha256() {
      return Digests.sha256Hex(headerBytes);
    }

    List<VolumeManifest.Entry> entries() {
      return List.copyOf(entries);
    }

    void add(String name, byte[] plain) throws IOException {
      frame(name, cipher.seal(plain, aad(id, name)));
    }

    private long frame(String name, byte[] sealed) throws IOException {
      byte[] n = name.getBytes(StandardCharsets.UTF_8);
      long start = pos;
      out.writeInt(n.length);
      out.write(n);
      out.writeLong(sealed.length);
      out.write(sealed);
      long data = pos + 4 + n.length + 8;
      entries.add(new VolumeManifest.Entry(name, data, sealed.length,
          Digests.sha256Hex(sealed)));
      pos = data + sealed.length;
      return start;
    }

    /** Writes the manifest and the trailer and closes the file. */
    void finish(VolumeManifest manifest) throws IOException {
      long at = frame(MANIFEST, cipher.seal(Json.write(manifest), aad(id, MANIFEST)));
      out.writeLong(at);
      out.write(END);
      out.close();
    }

    @Override
    public void close() throws IOException {
      out.close();
    }
  }
}
