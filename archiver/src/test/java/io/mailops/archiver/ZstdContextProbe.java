package io.mailops.archiver;

import com.github.luben.zstd.Zstd;
import com.github.luben.zstd.ZstdCompressCtx;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * A benchmark probe, not a test (docs/adr/0033): compresses the first {@code COUNT} messages of a
 * Maildir tree as blobs are compressed ({@code Zstd.compress} at level 3, a native context made
 * and freed per call) and through one reused {@link ZstdCompressCtx}, a few rounds each, and
 * prints the thread CPU (user and system) of each. Usage: {@code ZstdContextProbe DIR COUNT
 * [ROUNDS]}.
 */
public final class ZstdContextProbe {

  private ZstdContextProbe() {}

  /** Runs the probe; see the class comment for the arguments. */
  public static void main(String[] args) throws Exception {
    List<byte[]> in = new ArrayList<>();
    try (Stream<Path> s = Files.walk(Path.of(args[0]))) {
      for (Path p : s.filter(Files::isRegularFile).filter(p -> p.toString().contains("/cur/"))
          .limit(Integer.parseInt(args[1])).toList()) {
        in.add(Files.readAllBytes(p));
      }
    }
    int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 4;
    long bytes = in.stream().mapToLong(b -> b.length).sum();
    ThreadMXBean mx = ManagementFactory.getThreadMXBean();
    try (ZstdCompressCtx ctx = new ZstdCompressCtx().setLevel(3)) {
      for (int round = 0; round < rounds; round++) {
        long c0 = mx.getCurrentThreadCpuTime();
        long u0 = mx.getCurrentThreadUserTime();
        long fresh = 0;
        for (byte[] b : in) {
          fresh += Zstd.compress(b, 3).length;
        }
        long c1 = mx.getCurrentThreadCpuTime();
        long u1 = mx.getCurrentThreadUserTime();
        long reused = 0;
        for (byte[] b : in) {
          reused += ctx.compress(b).length;
        }
        long c2 = mx.getCurrentThreadCpuTime();
        long u2 = mx.getCurrentThreadUserTime();
        System.out.printf(Locale.ROOT, "round %d, %d messages, %.1f MB: a context per call %.0f ms"
            + " (sys %.0f), one reused context %.0f ms (sys %.0f); %d / %d bytes of frames%n",
            round, in.size(), bytes / 1e6, (c1 - c0) / 1e6, (c1 - c0 - u1 + u0) / 1e6,
            (c2 - c1) / 1e6, (c2 - c1 - u2 + u1) / 1e6, fresh, reused);
      }
    }
  }
}
