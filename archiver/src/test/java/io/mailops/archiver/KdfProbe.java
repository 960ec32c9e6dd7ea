package io.mailops.archiver;

import io.mailops.storage.crypto.Argon2id;
import java.util.Arrays;
import java.util.Locale;

/**
 * A benchmark probe for {@code bench/archive.sh}, not a test: times the Argon2id key derivation
 * every archive command pays once when it opens the archive. A command runs it once in a fresh
 * JVM (cold: interpreted, then compiled while it runs), so the first run is what a command pays;
 * the median of the next {@code RUNS} shows the compiled cost. Usage: {@code KdfProbe MEMORY_KIB
 * ITERATIONS PARALLELISM [RUNS]}; run it in a new JVM for each cost.
 */
public final class KdfProbe {

  private KdfProbe() {}

  /** Runs the probe; see the class comment for the arguments. */
  public static void main(String[] args) {
    Argon2id.Params p = new Argon2id.Params(Integer.parseInt(args[0]), Integer.parseInt(args[1]),
        Integer.parseInt(args[2]));
    int runs = args.length > 3 ? Integer.parseInt(args[3]) : 3;
    char[] password = "Correct-Horse-Battery-42".toCharArray();
    byte[] salt = new byte[Keys.SALT_BYTES];
    long t0 = System.nanoTime();
    Argon2id.derive(password, salt, p);
    double cold = (System.nanoTime() - t0) / 1e6;
    double[] ms = new double[runs];
    for (int i = 0; i < runs; i++) {
      long t = System.nanoTime();
      Argon2id.derive(password, salt, p);
      ms[i] = (System.nanoTime() - t) / 1e6;
    }
    Arrays.sort(ms);
    System.out.printf(Locale.ROOT, "kdf: Argon2id m=%d KiB t=%d p=%d: first (what a command pays)"
        + " %.0f ms, then median %.0f ms of %d%n", p.memoryKiB(), p.iterations(),
        p.parallelism(), cold, ms[runs / 2], runs);
  }
}
