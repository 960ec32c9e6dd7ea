package io.mailops.storage.crypto;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;
import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;

/**
 * Derives a 256-bit AES key from a password with Argon2id (version 0x13, Bouncy Castle) over
 * the UTF-8 bytes of the password. The cost is given as {@link Params}; the salt is the caller's.
 * Stateless and thread-safe; temporary copies of the password and key are wiped.
 */
public final class Argon2id {

  /** Bytes of the derived key. */
  public static final int KEY_BYTES = 32;

  private Argon2id() {}

  /**
   * Argon2id cost parameters: {@code memoryKiB} of memory (at least {@code 8 * parallelism}),
   * {@code iterations} passes and {@code parallelism} lanes. {@link #DEFAULT} is 64 MiB, 3 passes,
   * 1 lane; smaller values are for tests or very small hosts.
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

  /** The AES key for {@code password} and {@code salt} at cost {@code params}. */
  public static SecretKey derive(char[] password, byte[] salt, Params params) {
    Argon2Parameters p = new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id)
        .withVersion(Argon2Parameters.ARGON2_VERSION_13)
        .withSalt(salt)
        .withMemoryAsKB(params.memoryKiB())
        .withIterations(params.iterations())
        .withParallelism(params.parallelism())
        .build();
    Argon2BytesGenerator gen = new Argon2BytesGenerator();
    gen.init(p);
    byte[] key = new byte[KEY_BYTES];
    ByteBuffer encoded = StandardCharsets.UTF_8.encode(CharBuffer.wrap(password));
    byte[] pw = new byte[encoded.remaining()];
    encoded.get(pw);
    if (encoded.hasArray()) {
      Arrays.fill(encoded.array(), (byte) 0);
    }
    try {
      gen.generateBytes(pw, key);
      return new SecretKeySpec(key, "AES");
    } finally {
      Arrays.fill(pw, (byte) 0);
      Arrays.fill(key, (byte) 0);
    }
  }
}
