package io.mailops.backup;

import io.mailops.storage.crypto.Argon2id;
import io.mailops.storage.crypto.DecryptionException;
import io.mailops.storage.crypto.SegmentedCipher;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import javax.crypto.SecretKey;

/**
 * The 32-byte AES key of an encrypted backup set (derived from the password with Argon2id) and
 * the {@link Encryption} it belongs to. Make one for a new set with {@link #create}, or get the
 * key of an existing set from a {@link Cache}, which checks the password against the set's key
 * check and derives each salt's key only once. Immutable and thread-safe.
 */
public final class SetKey {

  private static final int SALT_BYTES = 16;
  private static final byte[] CHECK_PLAIN =
      "mailops backup key check v1".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] CHECK_AAD = SegmentedCipher.aad("mailops backup key check");
  private static final SecureRandom RANDOM = new SecureRandom();

  private final Encryption encryption;
  private final SegmentedCipher cipher;

  private SetKey(Encryption encryption, SecretKey secret) {
    this.encryption = encryption;
    this.cipher = new SegmentedCipher(secret, encryption.segmentSize());
  }

  /**
   * Derives a key for a new (full) set from {@code password} with a fresh random salt; its
   * {@link #encryption()} is what the set manifest stores.
   */
  public static SetKey create(char[] password, Argon2id.Params params) {
    checkPassword(password);
    byte[] salt = new byte[SALT_BYTES];
    RANDOM.nextBytes(salt);
    SecretKey secret = Argon2id.derive(password, salt, params);
    Encryption draft = new Encryption(Encryption.CIPHER, Encryption.SEGMENT_SIZE, Encryption.KDF,
        Base64.getEncoder().encodeToString(salt), params.memoryKiB(), params.iterations(),
        params.parallelism(), "");
    byte[] check = new SetKey(draft, secret).cipher().seal(CHECK_PLAIN, CHECK_AAD);
    Encryption enc = new Encryption(draft.cipher(), draft.segmentSize(), draft.kdf(), draft.salt(),
        draft.memoryKiB(), draft.iterations(), draft.parallelism(),
        Base64.getEncoder().encodeToString(check));
    return new SetKey(enc, secret);
  }

  /** What the set manifest stores for this key (no secret). */
  public Encryption encryption() {
    return encryption;
  }

  /** Plaintext bytes per segment. */
  public int segmentSize() {
    return encryption.segmentSize();
  }

  /** The cipher of the set's encrypted files. */
  SegmentedCipher cipher() {
    return cipher;
  }

  /**
   * Decrypts a whole file of the set that {@link SegmentedCipher#seal} wrote.
   *
   * @throws BackupException naming {@code file} if it is damaged or the password is wrong
   */
  byte[] open(byte[] stored, byte[] aad, String file) throws BackupException {
    try {
      return cipher.open(stored, aad, file);
    } catch (DecryptionException e) {
      throw new BackupException(e.getMessage() + ", run 'backup verify --deep'", e);
    }
  }

  private static void checkPassword(char[] password) {
    if (password == null || password.length == 0) {
      throw new IllegalArgumentException("the backup password is empty; put a non-empty password"
          + " into the --encryption-password-file or MAILOPS_BACKUP_PASSWORD");
    }
  }

  /**
   * Keys of existing sets for one password: checks each set's {@link Encryption} (supported
   * cipher and KDF, sane parameters, key check) and derives the key once per salt and parameters,
   * so a whole chain (which shares its full set's salt) costs one Argon2 run. Keeps a copy of the
   * password. Used by one thread at a time.
   */
  public static final class Cache {
    private final char[] password;
    private final Map<String, SecretKey> keys = new HashMap<>();

    /** @param password copied; the caller may wipe its array afterwards */
    public Cache(char[] password) {
      checkPassword(password);
      this.password = password.clone();
    }

    /**
     * The key of backup set {@code set} encrypted as {@code enc}.
     *
     * @throws BackupException naming the set if the scheme is not supported or the password is
     *     wrong
     */
    public SetKey unlock(Encryption enc, String set) throws BackupException {
      if (!Encryption.CIPHER.equals(enc.cipher()) || !Encryption.KDF.equals(enc.kdf())) {
        throw new BackupException("backup set " + set + " is encrypted with " + enc.cipher() + "/"
            + enc.kdf() + ", which this mailops does not support; use a newer mailops");
      }
      byte[] salt;
      Argon2id.Params params;
      try {
        salt = Base64.getDecoder().decode(enc.salt());
        params = new Argon2id.Params(enc.memoryKiB(), enc.iterations(), enc.parallelism());
      } catch (IllegalArgumentException e) {
        throw new BackupException("the encryption entry of backup set " + set + " is damaged ("
            + e.getMessage() + "); restore from another set", e);
      }
      if (salt.length < SALT_BYTES || enc.segmentSize() < 1024
          || enc.segmentSize() > 16 * 1024 * 1024) {
        throw new BackupException("the encryption entry of backup set " + set + " is damaged"
            + " (salt of " + salt.length + " bytes, segment size " + enc.segmentSize()
            + "); restore from another set");
      }
      String id = enc.salt() + "/" + enc.memoryKiB() + "/" + enc.iterations() + "/"
          + enc.parallelism();
      SecretKey secret = keys.get(id);
      if (secret == null) {
        secret = Argon2id.derive(password, salt, params);
      }
      SetKey key = new SetKey(enc, secret);
      byte[] check;
      try {
        check = Base64.getDecoder().decode(enc.keyCheck());
      } catch (IllegalArgumentException e) {
        throw new BackupException("the key check of backup set " + set + " is damaged; restore"
            + " from another set", e);
      }
      byte[] plain;
      try {
        plain = key.cipher().open(check, CHECK_AAD, "key check of " + set);
      } catch (DecryptionException e) {
        throw new BackupException("wrong password for backup set " + set + "; give the one the set"
            + " was made with (--encryption-password-file or MAILOPS_BACKUP_PASSWORD)", e);
      }
      if (!Arrays.equals(plain, CHECK_PLAIN)) {
        throw new BackupException("wrong password for backup set " + set + "; give the one the set"
            + " was made with (--encryption-password-file or MAILOPS_BACKUP_PASSWORD)");
      }
      keys.put(id, secret);
      return key;
    }
  }
}
