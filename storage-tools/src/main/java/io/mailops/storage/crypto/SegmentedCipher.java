package io.mailops.storage.crypto;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;

/**
 * AES-256-GCM over a stream cut into segments of {@link #segmentSize()} plaintext bytes. Each
 * segment is stored as a 12-byte random nonce, the ciphertext and the 16-byte tag; its GCM
 * additional data is the caller's {@code aad}, the segment index (int64 big-endian, from 0) and
 * one byte {@code 1} for the last segment, {@code 0} otherwise. Every segment but the last holds
 * exactly {@code segmentSize} bytes; an empty plaintext is one empty last segment (28 bytes), so
 * truncation, reordering, splicing between files and a wrong {@code aad} are all detected, each
 * segment before its plaintext is released. Thread-safe: each thread reuses one {@link Cipher}
 * (looking one up costs more than sealing a small segment); the streams it returns are not.
 */
public final class SegmentedCipher {

  /** Bytes of the random nonce in front of each segment. */
  public static final int NONCE = 12;
  /** Bytes of the GCM tag behind each segment. */
  public static final int TAG = 16;

  private static final String TRANSFORMATION = "AES/GCM/NoPadding";
  private static final SecureRandom RANDOM = new SecureRandom();

  private final SecretKey key;
  private final int segmentSize;
  private final ThreadLocal<Cipher> ciphers = ThreadLocal.withInitial(SegmentedCipher::newCipher);

  /**
   * @param key an AES key (32 bytes for AES-256)
   * @param segmentSize plaintext bytes per segment, 1 KiB to 16 MiB
   */
  public SegmentedCipher(SecretKey key, int segmentSize) {
    if (key == null) {
      throw new IllegalArgumentException("a segmented cipher needs a key, got null");
    }
    if (segmentSize < 1024 || segmentSize > 16 * 1024 * 1024) {
      throw new IllegalArgumentException("invalid segment size " + segmentSize
          + ": must be 1024..16777216 bytes");
    }
    this.key = key;
    this.segmentSize = segmentSize;
  }

  /** Plaintext bytes per segment. */
  public int segmentSize() {
    return segmentSize;
  }

  /** The additional data naming a whole file: the UTF-8 bytes of {@code name}. */
  public static byte[] aad(String name) {
    return name.getBytes(StandardCharsets.UTF_8);
  }

  /**
   * The additional data for a piece of a file: the UTF-8 bytes of {@code name} followed by the
   * piece's offset in the stored file (int64 big-endian).
   */
  public static byte[] aad(String name, long offset) {
    byte[] n = aad(name);
    return ByteBuffer.allocate(n.length + 8).put(n).putLong(offset).array();
  }

  /** Bytes {@link #seal} writes for {@code plainLength} bytes of plaintext. */
  public long sealedLength(long plainLength) {
    long segments = Math.max(1, (plainLength + segmentSize - 1) / segmentSize);
    return plainLength + segments * (NONCE + TAG);
  }

  /**
   * A stream that encrypts what is written to it into {@code out}. {@code close()} writes the last
   * segment and closes {@code out}; {@code flush()} does not end a segment.
   */
  public OutputStream encrypt(OutputStream out, byte[] aad) {
    return new Encrypting(out, aad.clone());
  }

  /**
   * A stream of the plaintext of {@code in}, checked segment by segment; a damaged segment throws
   * {@link DecryptionException}. Closing it closes {@code in}.
   *
   * @param file names the stored data in error messages
   */
  public InputStream decrypt(InputStream in, byte[] aad, String file) {
    return new Decrypting(in, aad.clone(), file);
  }

  /** Encrypts {@code plain} in one go (same layout as {@link #encrypt}). */
  public byte[] seal(byte[] plain, byte[] aad) {
    return seal(plain, 0, plain.length, aad);
  }

  /** Encrypts {@code plain[off, off + len)} in one go (same layout as {@link #encrypt}). */
  public byte[] seal(byte[] plain, int off, int len, byte[] aad) {
    long size = sealedLength(len);
    if (off < 0 || len < 0 || off + len > plain.length || size > Integer.MAX_VALUE - 8) {
      throw new IllegalArgumentException("cannot seal " + len + " bytes at " + off + " of "
          + plain.length + " in one array");
    }
    byte[] out = new byte[(int) size];
    int o = 0;
    long index = 0;
    int pos = off;
    int end = off + len;
    do {
      int n = Math.min(segmentSize, end - pos);
      o = sealSegment(plain, pos, n, aad, index++, pos + n == end, out, o);
      pos += n;
    } while (pos < end);
    return out;
  }

  /**
   * Decrypts what {@link #seal} wrote.
   *
   * @throws DecryptionException naming {@code file} if the bytes are damaged or the key is wrong
   */
  public byte[] open(byte[] stored, byte[] aad, String file) throws DecryptionException {
    long segments = Math.max(1, (stored.length + (long) NONCE + TAG + segmentSize - 1)
        / (NONCE + TAG + segmentSize));
    long plainLength = stored.length - segments * (NONCE + TAG);
    if (plainLength < 0) {
      throw damaged(file, "it ends inside segment " + (segments - 1));
    }
    byte[] plain = new byte[(int) plainLength];
    int pos = 0;
    int p = 0;
    for (long index = 0; index < segments; index++) {
      boolean last = index == segments - 1;
      int n = last ? stored.length - pos : NONCE + segmentSize + TAG;
      p += openSegment(stored, pos, n, aad, index, last, file, plain, p);
      pos += n;
    }
    return plain;
  }

  /** Seals one segment of {@code len} bytes into {@code out} at {@code o}; the end offset. */
  private int sealSegment(byte[] plain, int off, int len, byte[] aad, long index, boolean last,
      byte[] out, int o) {
    byte[] nonce = new byte[NONCE];
    RANDOM.nextBytes(nonce);
    System.arraycopy(nonce, 0, out, o, NONCE);
    try {
      Cipher c = ciphers.get();
      c.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG * 8, nonce));
      c.updateAAD(segmentAad(aad, index, last));
      return o + NONCE + c.doFinal(plain, off, len, out, o + NONCE);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JDK cannot do " + TRANSFORMATION, e);
    }
  }

  /**
   * Opens the segment {@code stored[off, off + len)} (nonce, ciphertext, tag) into {@code out} at
   * {@code o}; the number of plaintext bytes.
   */
  private int openSegment(byte[] stored, int off, int len, byte[] aad, long index, boolean last,
      String file, byte[] out, int o) throws DecryptionException {
    if (len < NONCE + TAG) {
      throw damaged(file, "it ends inside segment " + index);
    }
    try {
      Cipher c = ciphers.get();
      c.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG * 8, stored, off, NONCE));
      c.updateAAD(segmentAad(aad, index, last));
      return c.doFinal(stored, off + NONCE, len - NONCE, out, o);
    } catch (GeneralSecurityException e) {
      throw damaged(file, "segment " + index + " does not authenticate");
    }
  }

  private static Cipher newCipher() {
    try {
      return Cipher.getInstance(TRANSFORMATION);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JDK cannot do " + TRANSFORMATION, e);
    }
  }

  private static DecryptionException damaged(String file, String why) {
    return new DecryptionException("cannot decrypt " + file + ": " + why
        + "; the data is damaged or the password is wrong");
  }

  private static byte[] segmentAad(byte[] aad, long index, boolean last) {
    return ByteBuffer.allocate(aad.length + 9).put(aad).putLong(index).put((byte) (last ? 1 : 0))
        .array();
  }

  private final class Encrypting extends FilterOutputStream {
    private final byte[] aad;
    private final byte[] buf;
    private int count;
    private long index;
    private boolean closed;

    Encrypting(OutputStream out, byte[] aad) {
      super(out);
      this.aad = aad;
      this.buf = new byte[segmentSize];
    }

    @Override
    public void write(int b) throws IOException {
      write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      if (closed) {
        throw new IOException("write to a closed encrypting stream");
      }
      while (len > 0) {
        if (count == buf.length) {
          emit(false);
        }
        int n = Math.min(len, buf.length - count);
        System.arraycopy(b, off, buf, count, n);
        count += n;
        off += n;
        len -= n;
      }
    }

    @Override
    public void flush() throws IOException {
      out.flush();
    }

    @Override
    public void close() throws IOException {
      if (closed) {
        return;
      }
      closed = true;
      OutputStream sink = out;
      try (sink) {
        emit(true);
      }
    }

    private void emit(boolean last) throws IOException {
      byte[] sealed = new byte[NONCE + count + TAG];
      sealSegment(buf, 0, count, aad, index, last, sealed, 0);
      out.write(sealed);
      index++;
      count = 0;
    }
  }

  private final class Decrypting extends InputStream {
    private final InputStream in;
    private final byte[] aad;
    private final String file;
    private final byte[] chunk;
    private byte[] plain = new byte[0];
    private int pos;
    private long index;
    private int pending = -1;
    private boolean done;

    Decrypting(InputStream in, byte[] aad, String file) {
      this.in = in;
      this.aad = aad;
      this.file = file;
      this.chunk = new byte[NONCE + segmentSize + TAG];
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
      while (pos == plain.length) {
        if (done) {
          return -1;
        }
        next();
      }
      int n = Math.min(len, plain.length - pos);
      System.arraycopy(plain, pos, b, off, n);
      pos += n;
      return n;
    }

    @Override
    public int available() {
      return plain.length - pos;
    }

    @Override
    public void close() throws IOException {
      in.close();
    }

    private void next() throws IOException {
      int n = 0;
      if (pending >= 0) {
        chunk[n++] = (byte) pending;
        pending = -1;
      }
      n += in.readNBytes(chunk, n, chunk.length - n);
      boolean last;
      if (n < chunk.length) {
        last = true;
      } else {
        pending = in.read();
        last = pending < 0;
      }
      byte[] p = new byte[Math.max(0, n - NONCE - TAG)];
      openSegment(chunk, 0, n, aad, index, last, file, p, 0);
      plain = p;
      pos = 0;
      index++;
      done = last;
    }
  }
}
