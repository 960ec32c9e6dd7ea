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

  /**
   * Argon2id cost parameters for a new set: {@code memoryKiB} of memory (at least {@code 8 *
   * parallelism}), {@code iterations} passes and {@code parallelism} lanes. {@link #DEFAULT} is
   * 64 MiB, 3 passes, 1 lane; smaller values are for tests or very small hosts.
   */
  public record Params(int memoryKiB, int iterations, int parallelism) {

    /** 64 MiB, 3 iterations, 1 lane (the OWASP-recommended Argon2id floor is 19 MiB/2/1). */
    public static final Params DEFAULT = new Params(65536, 3, 1);

    public Params {
      if (parallelism < 1 || parallelism > 64 || iterations < 1 || iterations > 100
          || memoryKiB < 8 * parallelism || memoryKiB > 4 * 1024 * 1024) {
        throw new IllegalArgumentException("invalid Argon2id parameters: memory " + memoryKiB
            + " KiB, " + iterations + " iterations, parallelism " + parallelism
            + "; memory must be 8*parallelism..4194304 KiB, iterations 1..100, parallelism 1..64");
      }
    }
  }
}
