import com.github.luben.zstd.Zstd;
import com.github.luben.zstd.ZstdCompressCtx;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * zstd-jni throughput at level 3 (issue 4 floors) on the files under DIR (cur/ and new/ of a
 * Maildir tree, read once into memory): one frame per file with one reused context, as the
 * backup's TarFrames does; prints MB/s, the compressed size, and the same bytes as one stream
 * (one frame of the concatenation, as `zstd -3 -T1` of a tar sees them) for comparison.
 * usage: java -cp zstd-jni.jar bench/lib/floors/ZstdRate.java DIR [MAXBYTES] [ROUNDS]
 */
public class ZstdRate {
  public static void main(String[] a) throws Exception {
    long max = a.length > 1 ? Long.parseLong(a[1]) : 1L << 30;
    int rounds = a.length > 2 ? Integer.parseInt(a[2]) : 3;
    List<byte[]> files = new ArrayList<>();
    long total = 0;
    try (Stream<Path> s = Files.walk(Path.of(a[0]))) {
      for (Path p : (Iterable<Path>) s.filter(Files::isRegularFile)
          .filter(p -> p.getParent().getFileName().toString().matches("cur|new")).sorted()::iterator) {
        if (total >= max) break;
        byte[] b = Files.readAllBytes(p);
        files.add(b);
        total += b.length;
      }
    }
    System.out.printf("%d files, %d bytes%n", files.size(), total);
    ZstdCompressCtx ctx = new ZstdCompressCtx().setLevel(3);
    byte[] dst = new byte[(int) Zstd.compressBound(64 << 20)];
    for (int r = 0; r < rounds; r++) {
      long t0 = System.nanoTime(), out = 0;
      for (byte[] b : files) {
        out += ctx.compressByteArray(dst, 0, dst.length, b, 0, b.length);
      }
      double s = (System.nanoTime() - t0) / 1e9;
      System.out.printf("frame per file: %.0f MB/s, %.3f s, %d -> %d bytes (%.3f)%n",
          total / s / 1e6, s, total, out, (double) out / total);
    }
    // one stream over the concatenation (what the CLI does with a tar), via the streaming API
    for (int r = 0; r < rounds; r++) {
      long t0 = System.nanoTime();
      ByteArrayOutputStream bo = new ByteArrayOutputStream(1 << 20) {
        @Override public void write(byte[] b, int off, int len) { count += len; }
      };
      try (com.github.luben.zstd.ZstdOutputStream z = new com.github.luben.zstd.ZstdOutputStream(bo, 3)) {
        for (byte[] b : files) z.write(b);
      }
      double s = (System.nanoTime() - t0) / 1e9;
      System.out.printf("one stream:     %.0f MB/s, %.3f s, %d -> %d bytes%n", total / s / 1e6, s, total, bo.size());
    }
  }
}
