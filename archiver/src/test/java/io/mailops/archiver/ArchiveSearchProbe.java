package io.mailops.archiver;

import io.mailops.archiver.index.ArchiveIndex.Hit;
import io.mailops.archiver.index.ArchiveIndex.Match;
import io.mailops.archiver.index.ArchiveIndex.SearchRequest;
import io.mailops.archiver.index.Criteria;
import io.mailops.archiver.index.LuceneArchiveIndex;
import io.mailops.archiver.index.MessageParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.function.IntFunction;
import java.util.stream.Stream;

/**
 * A benchmark probe for {@code bench/archive.sh}, not a test and not part of the command line:
 * opens an archive once (so neither JVM start-up nor the Argon2id unlock is timed) and measures
 * {@link Archive#search} over its current database, like {@code mailops archive search} does
 * (limit 100, newest first), for three kinds of query: one field ({@code from:is:ADDRESS}), five
 * criteria joined by ALL ({@code from:contains:DOMAIN subject:contains:WORD date:after:2024-01-01
 * size:smaller:200k body:contains:WORD}) and full text ({@code body:contains:WORD}). The addresses,
 * domains and words are drawn from the archive's own newest 5,000 hits. Prints p50/p95/p99 per
 * kind and the index size as a share of the archived bytes.
 *
 * <p>Usage: {@code ArchiveSearchProbe ARCHIVE_DIR ARCHIVED_BYTES [QUERIES]}, password in
 * {@code MAILOPS_ARCHIVE_PASSWORD}.
 */
public final class ArchiveSearchProbe {

  private static final int LIMIT = 100;
  private final Random random = new Random(7);
  private final List<String> senders = new ArrayList<>();
  private final List<String> words = new ArrayList<>();

  private ArchiveSearchProbe() {}

  /** Runs the probe; see the class comment for the arguments. */
  public static void main(String[] args) throws IOException {
    Path dir = Path.of(args[0]);
    long archivedBytes = Long.parseLong(args[1]);
    int queries = args.length > 2 ? Integer.parseInt(args[2]) : 200;
    char[] password = System.getenv("MAILOPS_ARCHIVE_PASSWORD").toCharArray();
    long start = System.nanoTime();
    try (Archive a = Archive.open(dir, password, ArchiveOptions.of(LuceneArchiveIndex::open,
        DocumentParser.of(MessageParser::parse, MessageParser::parse)))) {
      System.out.printf(Locale.ROOT, "probe: opened %s (%,d messages) in %.1f s%n", dir,
          a.currentCount(), (System.nanoTime() - start) / 1e9);
      new ArchiveSearchProbe().run(a, archivedBytes, queries);
    }
  }

  private void run(Archive a, long archivedBytes, int queries) throws IOException {
    for (Hit h : a.search(Archive.Database.CURRENT, new SearchRequest(List.of(), Match.ALL,
        null, null, 5_000))) {
      senders.addAll(h.from());
      for (String w : h.subject().toLowerCase(Locale.ROOT).split("\\W+")) {
        if (w.length() >= 3) {
          words.add(w);
        }
      }
    }
    if (senders.isEmpty() || words.isEmpty()) {
      throw new IllegalStateException("the archive has no senders or subject words to query");
    }
    probe(a, queries, "one field (from:is:ADDRESS)", i -> where(List.of("from:is:" + sender())));
    probe(a, queries, "5 criteria (ALL)", i -> where(List.of(
        "from:contains:" + domain(sender()), "subject:contains:" + word(),
        "date:after:2024-01-01", "size:smaller:200k", "body:contains:" + word())));
    probe(a, queries, "full text (body:contains:WORD)",
        i -> where(List.of("body:contains:" + word())));
    long index = bytes(a.dir().resolve("current/index"));
    long blobs = bytes(a.dir().resolve("current/blobs"));
    System.out.printf(Locale.ROOT, "probe: index %.1f MiB = %.1f %% of %.1f MiB archived (blobs"
        + " %.1f MiB = %.1f %%)%n", index / 1048576.0, 100.0 * index / archivedBytes,
        archivedBytes / 1048576.0, blobs / 1048576.0, 100.0 * blobs / archivedBytes);
  }

  private void probe(Archive a, int queries, String name, IntFunction<SearchRequest> requests)
      throws IOException {
    for (int i = 0; i < Math.max(20, queries / 4); i++) {
      a.search(Archive.Database.CURRENT, requests.apply(i));
    }
    long[] nanos = new long[queries];
    long hits = 0;
    for (int i = 0; i < queries; i++) {
      SearchRequest r = requests.apply(i);
      long t = System.nanoTime();
      hits += a.search(Archive.Database.CURRENT, r).size();
      nanos[i] = System.nanoTime() - t;
    }
    Arrays.sort(nanos);
    System.out.printf(Locale.ROOT, "probe: %-32s %d queries  p50 %6.2f ms  p95 %6.2f ms  p99 %6.2f"
        + " ms  (%.0f hits of %d on average)%n", name, queries, nanos[queries / 2] / 1e6,
        nanos[queries * 95 / 100] / 1e6, nanos[queries * 99 / 100] / 1e6,
        (double) hits / queries, LIMIT);
  }

  private static SearchRequest where(List<String> specs) {
    return new SearchRequest(Criteria.parseAll(specs), Match.ALL, null, null, LIMIT);
  }

  private String sender() {
    return senders.get(random.nextInt(senders.size()));
  }

  private String word() {
    return words.get(random.nextInt(words.size()));
  }

  private static String domain(String address) {
    return address.substring(address.indexOf('@') + 1);
  }

  private static long bytes(Path dir) throws IOException {
    try (Stream<Path> s = Files.walk(dir)) {
      long n = 0;
      for (Path p : s.filter(Files::isRegularFile).toList()) {
        n += Files.size(p);
      }
      return n;
    }
  }
}
