package io.mailops.backup;

/**
 * How a backup set is encrypted, as its set manifest records it (JSON property {@code
 * encryption}); {@code null} there means the set is plain. {@code cipher} is {@value #CIPHER} in
 * segments of {@code segmentSize} plaintext bytes; the key comes from the password through
 * {@code kdf} {@value #KDF} with {@code salt} (base64), {@code memoryKiB}, {@code iterations} and
 * {@code parallelism}; {@code keyCheck} (base64) is a sealed constant that tells a wrong password
 * from a damaged file. Holds no secret. An incremental set carries its parent's value, so a chain
 * shares one key. Create one with {@link SetKey#create}.
 */
public record Encryption(String cipher, int segmentSize, String kdf, String salt, int memoryKiB,
    int iterations, int parallelism, String keyCheck) {

  /** The only cipher written: AES with a 256-bit key in GCM mode, 96-bit nonces, 128-bit tags. */
  public static final String CIPHER = "AES-256-GCM";
  /** The only key derivation written: Argon2id, version 0x13. */
  public static final String KDF = "argon2id";
  /** Plaintext bytes per segment. */
  public static final int SEGMENT_SIZE = 65536;

  public Encryption {
    if (cipher == null || kdf == null || salt == null || keyCheck == null) {
      throw new IllegalArgumentException("an encryption entry needs cipher, kdf, salt and keyCheck,"
          + " got cipher=" + cipher + " kdf=" + kdf);
    }
  }
}
