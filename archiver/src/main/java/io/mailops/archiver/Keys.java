package io.mailops.archiver;

import io.mailops.storage.crypto.Argon2id;
import io.mailops.storage.crypto.DecryptionException;
import io.mailops.storage.crypto.SegmentedCipher;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;

/**
 * The unlocked keys of an archive. The master key (Argon2id of the password) only wraps: the
 * archive secret (from which the blob-id key and the archive.json MAC key are derived by
 * HMAC-SHA256 with fixed labels), the current database's data key and each volume's data key.
 * Wrapping is {@link SegmentedCipher#seal} with additional data {@code "mailops-archive key " +
 * name}. Immutable.
 */
final class Keys {

  static final int SALT_BYTES = 16;
  private static final SecureRandom RANDOM = new SecureRandom();

  private final SegmentedCipher master;
  /** Ids are computed on every ingest worker: one keyed Mac per thread. */
  private final ThreadLocal<Mac> idMacs;
  private final byte[] macKey;
  private final SegmentedCipher current;

  private Keys(SegmentedCipher master, byte[] secret, SegmentedCipher current) {
    this.master = master;
    byte[] id = Digests.hmac(secret, "mailops-archive blob id");
    this.idMacs = ThreadLocal.withInitial(() -> Digests.mac(id));
    this.macKey = Digests.hmac(secret, "mailops-archive archive.json mac");
    this.current = current;
  }

  /** New keys and the archive.json that holds them wrapped. */
  record Created(Keys keys, ArchiveFile file) {}

  /** Makes the keys of a new archive with a fresh salt. */
  static Created create(char[] password, Argon2id.Params kdf, int segmentSize) {
    byte[] salt = random(SALT_BYTES);
    SegmentedCipher master = new SegmentedCipher(Argon2id.derive(password, salt, kdf),
        segmentSize);
    byte[] secret = random(32);
    byte[] currentKey = random(32);
    ArchiveFile f = new ArchiveFile(ArchiveFile.FORMAT, ArchiveFile.KDF,
        Base64.getEncoder().encodeToString(salt), kdf.memoryKiB(), kdf.iterations(),
        kdf.parallelism(), segmentSize, wrap(master, "secret", secret),
        wrap(master, "current", currentKey), null, "");
    Keys keys = new Keys(master, secret, cipher(currentKey, segmentSize));
    Arrays.fill(secret, (byte) 0);
    Arrays.fill(currentKey, (byte) 0);
    return new Created(keys, f.withMac(f.computeMac(keys.macKey)));
  }

  /**
   * Unlocks {@code file} with {@code password}.
   *
   * @throws ArchiveException "wrong archive password for DIR" when the secret does not unwrap
   */
  static Keys unlock(char[] password, ArchiveFile file, Path dir) throws ArchiveException {
    if (file.format() != ArchiveFile.FORMAT || !ArchiveFile.KDF.equals(file.kdf())) {
      throw new ArchiveException("the archive at " + dir + " has format " + file.format() + "/"
          + file.kdf() + ", which this mailops does not read; use a newer mailops");
    }
    SegmentedCipher master;
    try {
      master = new SegmentedCipher(Argon2id.derive(password, file.saltBytes(),
          new Argon2id.Params(file.memoryKiB(), file.iterations(), file.parallelism())),
          file.segmentSize());
    } catch (IllegalArgumentException e) {
      throw new ArchiveException("archive.json in " + dir + " is damaged (" + e.getMessage()
          + "); restore it from a backup", e);
    }
    byte[] secret;
    try {
      secret = unwrap(master, "secret", file.secret());
    } catch (DecryptionException | IllegalArgumentException e) {
      throw new ArchiveException("wrong archive password for " + dir
          + "; give the password the archive was created with", e);
    }
    byte[] currentKey;
    try {
      currentKey = unwrap(master, "current", file.currentKey());
    } catch (DecryptionException | IllegalArgumentException e) {
      throw new ArchiveException("archive.json in " + dir + " is damaged (the current key does"
          + " not unwrap); restore it from a backup", e);
    }
    Keys keys = new Keys(master, secret, cipher(currentKey, file.segmentSize()));
    Arrays.fill(secret, (byte) 0);
    Arrays.fill(currentKey, (byte) 0);
    if (!keys.mac(file).equals(file.mac())) {
      throw new ArchiveException("archive.json in " + dir + " was changed outside mailops (its"
          + " MAC does not match); restore it from a backup");
    }
    return keys;
  }

  String mac(ArchiveFile file) {
    return file.computeMac(macKey);
  }

  /** The blob id of {@code content}: hex HMAC-SHA256 under the id key. */
  String blobId(byte[] content) {
    return HexFormat.of().formatHex(idMacs.get().doFinal(content));
  }

  /** The message id for a SHA-256 (hex): the first 32 hex digits of its HMAC. */
  String messageId(String digest) {
    return HexFormat.of().formatHex(idMacs.get().doFinal(("message " + digest).getBytes(
        StandardCharsets.US_ASCII))).substring(0, 32);
  }

  SegmentedCipher current() {
    return current;
  }

  SegmentedCipher master() {
    return master;
  }

  /** A new random 32-byte data key. */
  static byte[] newDataKey() {
    return random(32);
  }

  static SegmentedCipher cipher(byte[] key, int segmentSize) {
    SecretKey k = new SecretKeySpec(key, "AES");
    return new SegmentedCipher(k, segmentSize);
  }

  static String wrap(SegmentedCipher master, String name, byte[] key) {
    return Base64.getEncoder().encodeToString(
        master.seal(key, SegmentedCipher.aad("mailops-archive key " + name)));
  }

  static byte[] unwrap(SegmentedCipher master, String name, String wrapped)
      throws DecryptionException {
    return master.open(Base64.getDecoder().decode(wrapped),
        SegmentedCipher.aad("mailops-archive key " + name), "the " + name + " key");
  }

  private static byte[] random(int n) {
    byte[] b = new byte[n];
    RANDOM.nextBytes(b);
    return b;
  }
}
