package io.mailops.archiver.index;

import io.mailops.archiver.mime.MimeSplitter;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Index parsing alone, the parser before ADR 0023 (Jakarta Mail's tree) against the current one,
 * on the messages of a Maildir tree: thread CPU per message after a warm-up round, alternating.
 * The context class loader is the ingest workers' one. Not part of the command line. Usage: {@code ParserProbe MAILDIR_ROOT [MAX_MESSAGES] [ROUNDS]}.
 */
public final class ParserProbe {

  private ParserProbe() {}

  public static void main(String[] args) throws Exception {
    // as on the ingest workers: Jakarta Mail's service lookups served from memory (ADR 0018)
    var loader = Class.forName("io.mailops.archiver.ServiceLookupLoader")
        .getDeclaredConstructor(ClassLoader.class);
    loader.setAccessible(true);
    Thread.currentThread().setContextClassLoader(
        (ClassLoader) loader.newInstance(ParserProbe.class.getClassLoader()));
    int max = args.length > 1 ? Integer.parseInt(args[1]) : 3000;
    int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 4;
    List<byte[]> messages = new ArrayList<>();
    try (Stream<Path> files = Files.walk(Path.of(args[0]))) {
      for (Path p : (Iterable<Path>) files.filter(Files::isRegularFile)
          .filter(p -> p.getParent().getFileName().toString().matches("cur|new"))
          .sorted().limit(max)::iterator) {
        messages.add(Files.readAllBytes(p));
      }
    }
    ThreadMXBean mx = ManagementFactory.getThreadMXBean();
    Instant now = Instant.now();
    long sink = 0;
    for (int r = 0; r < rounds; r++) {
      long t0 = mx.getCurrentThreadCpuTime();
      for (byte[] m : messages) {
        sink += JakartaMessageParser.parse("i", m, MimeSplitter.attachments(m), "s", now)
            .body().length();
      }
      long t1 = mx.getCurrentThreadCpuTime();
      for (byte[] m : messages) {
        sink += MessageParser.parse("i", m, MimeSplitter.attachments(m), "s", now).body().length();
      }
      long t2 = mx.getCurrentThreadCpuTime();
      System.out.printf("parser: round %d, %d messages: before %.3f ms/msg, after %.3f ms/msg"
          + " (split included in both)%n", r, messages.size(),
          (t1 - t0) / 1e6 / messages.size(), (t2 - t1) / 1e6 / messages.size());
    }
    System.out.println("parser: " + sink);
  }
}
