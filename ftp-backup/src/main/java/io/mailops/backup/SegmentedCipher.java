package io.mailops.backup;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;

/**
 * AES-256-GCM over a stream cut into segments of {@link SetKey#segmentSize()} plaintext bytes.
 * Each segment is stored as a 12-byte random nonce, the ciphertext and the 16-byte tag; its GCM
 * additional data is the caller's {@code aad}, the segment index (int64 big-endian, from 0) and
 * one byte {@code 1} for the last segment, {@code 0} otherwise. Every segment but the last holds
 * exactly {@code segmentSize} bytes; an empty plaintext is one empty last segment (28 bytes), so
 * truncation, reordering, splicing between files and a wrong {@code aad} are all detected.
 * Stateless and thread-safe; the streams it returns are not.
 */
public final class SegmentedCipher {

  /** Bytes of the random nonce in front of each segment. */
  public static final int NONCE = 12;
  /** Bytes of the GCM tag behind each segment. */
  public static final int TAG = 16;

  private static final String TRANSFORMATION = "AES/GCM/NoPadding";
  private static final SecureRandom RANDOM = new SecureRandom();

  private SegmentedCipher() {}

  /** The additional data for a whole file: the UTF-8 bytes of its target-relative name. */
  public static byte[] aad(String name) {
    return name.getBytes(StandardCharsets.UTF_8);
  }

  /**
   * The additional data for one zstd frame of a tar: the UTF-8 bytes of the tar's target-relative
   * name followed by the frame's offset in the stored file (int64 big-endian).
   */
  public static byte[] aad(String name, long offset) {
    byte[] n = aad(name);
    return ByteBuffer.allocate(n.length + 8).put(n).putLong(offset).array();
  }

  /**
   * A stream that encrypts what is written to it into {@code out}. {@code close()} writes the last
   * segment and closes {@code out}; {@code flush()} does not end a segment.
   */
  public static OutputStream encrypt(OutputStream out, SetKey key, byte[] aad) {
    return new Encrypting(out, key, aad.clone());
  }

  /**
   * A stream of the plaintext of {@code in}, checked segment by segment. Closing it closes
   * {@code in}.
   *
   * @param file names the stored file in error messages
   */
  public static InputStream decrypt(InputStream in, SetKey key, byte[] aad, String file) {
    return new Decrypting(in, key, aad.clone(), file);
  }

  /** {@link #decrypt(InputStream, SetKey, byte[], String)} naming the data "encrypted data". */
  public static InputStream decrypt(InputStream in, SetKey key, byte[] aad) {
    return decrypt(in, key, aad, "encrypted data");
  }

  /** Encrypts {@code plain} in one go (same layout as {@link #encrypt}). */
  public static byte[] seal(byte[] plain, SetKey key, byte[] aad) {
    ByteArrayOutputStream b = new ByteArrayOutputStream(plain.length + 64);
    try (OutputStream out = encrypt(b, key, aad)) {
      out.write(plain);
    } catch (IOException e) {
      throw new IllegalStateException("encrypting into memory failed", e);
    }
    return b.toByteArray();
  }

  /**
   * Decrypts what {@link #seal} wrote.
   *
   * @throws BackupException naming {@code file} if the bytes are damaged or the key is wrong
   */
  public static byte[] open(byte[] stored, SetKey key, byte[] aad, String file)
      throws BackupException {
    try (InputStream in = decrypt(new ByteArrayInputStream(stored), key, aad, file)) {
      return in.readAllBytes();
    } catch (BackupException e) {
      throw e;
    } catch (IOException e) {
      throw new BackupException("cannot decrypt " + file + " (" + e.getMessage() + ")", e);
    }
  }

  private static byte[] segmentAad(byte[] aad, long index, boolean last) {
    return ByteBuffer.allocate(aad.length + 9).put(aad).putLong(index).put((byte) (last ? 1 : 0))
        .array();
  }

  private static final class Encrypting extends FilterOutputStream {
    private final SetKey key;
    private final byte[] aad;
    private final byte[] buf;
    private int count;
    private long index;
    private boolean closed;

    Encrypting(OutputStream out, SetKey key, byte[] aad) {
      super(out);
      this.key = key;
      this.aad = aad;
      this.buf = new byte[key.segmentSize()];
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
      byte[] nonce = new byte[NONCE];
      RANDOM.nextBytes(nonce);
      byte[] sealed;
      try {
        Cipher c = Cipher.getInstance(TRANSFORMATION);
        c.init(Cipher.ENCRYPT_MODE, key.secret(), new GCMParameterSpec(TAG * 8, nonce));
        c.updateAAD(segmentAad(aad, index, last));
        sealed = c.doFinal(buf, 0, count);
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException("the JDK cannot do " + TRANSFORMATION, e);
      }
      out.write(nonce);
      out.write(sealed);
      index++;
      count = 0;
    }
  }

  private static final class Decrypting extends InputStream {
    private final InputStream in;
    private final SetKey key;
    private final byte[] aad;
    private final String file;
    private final byte[] chunk;
    private byte[] plain = new byte[0];
    private int pos;
    private long index;
    private int pending = -1;
    private boolean done;

    Decrypting(InputStream in, SetKey key, byte[] aad, String file) {
      this.in = in;
      this.key = key;
      this.aad = aad;
      this.file = file;
      this.chunk = new byte[NONCE + key.segmentSize() + TAG];
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
      if (n < NONCE + TAG) {
        throw damaged("it ends inside segment " + index);
      }
      try {
        Cipher c = Cipher.getInstance(TRANSFORMATION);
        c.init(Cipher.DECRYPT_MODE, key.secret(), new GCMParameterSpec(TAG * 8, chunk, 0, NONCE));
        c.updateAAD(segmentAad(aad, index, last));
        plain = c.doFinal(chunk, NONCE, n - NONCE);
      } catch (GeneralSecurityException e) {
        throw damaged("segment " + index + " does not authenticate");
      }
      pos = 0;
      index++;
      done = last;
    }

    private BackupException damaged(String why) {
      return new BackupException("cannot decrypt " + file + ": " + why
          + "; the set is damaged or the password is wrong, run 'backup verify --deep'");
    }
  }
}
