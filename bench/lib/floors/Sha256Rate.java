import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;

/**
 * SHA-256 throughput of this JVM (issue 4 floors): hashes FILE (read once into memory) in
 * chunks of CHUNK bytes (each its own digest, as the backup hashes each message) ROUNDS times;
 * prints MB/s per round and the process's CPU seconds.
 * usage: java [JIT flags] bench/lib/floors/Sha256Rate.java FILE [CHUNK] [ROUNDS]
 */
public class Sha256Rate {
  public static void main(String[] a) throws Exception {
    byte[] data = Files.readAllBytes(Path.of(a[0]));
    int chunk = a.length > 1 ? Integer.parseInt(a[1]) : 65536;
    int rounds = a.length > 2 ? Integer.parseInt(a[2]) : 5;
    MessageDigest sha = MessageDigest.getInstance("SHA-256");
    long sink = 0;
    for (int r = 0; r < rounds; r++) {
      long t0 = System.nanoTime();
      for (int off = 0; off < data.length; off += chunk) {
        sha.update(data, off, Math.min(chunk, data.length - off));
        sink += sha.digest()[0];
      }
      double s = (System.nanoTime() - t0) / 1e9;
      System.out.printf("round %d: %.0f MB/s (%.3f s for %d MB)%n", r, data.length / s / 1e6, s, data.length / 1000000);
    }
    System.out.println("sink " + sink);
  }
}
