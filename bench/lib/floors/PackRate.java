package io.mailops.backup;

import java.io.InputStream;
import java.nio.file.*;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.*;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.stream.Stream;

/**
 * Packing CPU per byte (issue 4, ADR 0040): the first N messages under DIR read, hashed and packed
 * into in-memory tars of 100 messages, one thread, ROUNDS times; main's path (the message copied
 * into the entry buffer, the frame copied into the tar) against the in-place one.
 * usage: java -cp CLASSES:'jobs/target/lib/*' io.mailops.backup.PackRate DIR N ROUNDS
 */
public class PackRate {
  public static void main(String[] a) throws Exception {
    List<Path> files;
    try (Stream<Path> s = Files.walk(Path.of(a[0]))) {
      files = s.filter(Files::isRegularFile).filter(p -> p.getParent().getFileName().toString().matches("cur|new")).sorted().limit(Integer.parseInt(a[1])).toList();
    }
    int rounds = Integer.parseInt(a[2]);
    Queue<byte[]> pool = new ConcurrentLinkedQueue<>();
    Path tmp = Files.createTempDirectory("packrate");
    Instant mtime = Instant.parse("2026-11-22T04:00:00Z");
    java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
    for (int r = 0; r < rounds; r++) {
      for (boolean inPlace : new boolean[] {false, true}) {
        long c0 = mx.getCurrentThreadCpuTime(); long bytes = 0;
        byte[] msg = new byte[256 * 1024];
        MessageDigest sha = TarFrames.sha256();
        try (TarFrames.Packer packer = new TarFrames.Packer()) {
          for (int start = 0; start < files.size(); start += 100) { // a "folder" per 100 messages
            Scratch s = new Scratch(pool, 32 << 20, tmp);
            TarFrames t = TarFrames.create(inPlace ? s : new java.io.FilterOutputStream(s) {
              @Override public void write(byte[] b, int off, int len) throws java.io.IOException { out.write(b, off, len); }
            }, null, "x", packer);
            for (Path p : files.subList(start, Math.min(files.size(), start + 100))) {
              int at = inPlace ? TarFrames.HEADER_ROOM : 0, n = 0;
              try (InputStream in = Files.newInputStream(p)) {
                for (int k; ; n += k) {
                  if (at + n == msg.length) msg = Arrays.copyOf(msg, msg.length * 2);
                  if ((k = in.read(msg, at + n, msg.length - at - n)) < 0) break;
                }
              }
              sha.update(msg, at, n); sha.digest();
              String name = p.getFileName().toString(); name = name.substring(0, Math.min(name.indexOf(':') < 0 ? name.length() : name.indexOf(':'), 90));
              if (inPlace) {
                if (msg.length < TarFrames.inPlaceLength(n)) msg = Arrays.copyOf(msg, TarFrames.inPlaceLength(n));
                t.addInPlace(name, msg, n, mtime);
              } else {
                t.add(name, msg, 0, n, mtime);
              }
              bytes += n;
            }
            t.close();
            s.release();
          }
        }
        System.out.printf("%s: %.3f CPU s for %d MB%n", inPlace ? "in place " : "main path", (mx.getCurrentThreadCpuTime() - c0) / 1e9, bytes / 1000000);
      }
    }
  }
}
