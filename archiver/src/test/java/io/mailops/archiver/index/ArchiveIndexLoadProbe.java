package io.mailops.archiver.index;

import io.mailops.archiver.index.ArchiveIndex.Criterion;
import io.mailops.archiver.index.ArchiveIndex.Match;
import io.mailops.archiver.index.ArchiveIndex.SearchRequest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.IntFunction;

/**
 * A throwaway load probe, not a test: fills a {@link LuceneArchiveIndex} with synthetic messages
 * (Zipf-distributed words, 2,000 users in 40 domains, three years of dates, 30 % with an
 * attachment), then prints add throughput, index size and p50/p95 latency of single-field,
 * five-criteria and full-text searches. Usage: {@code ArchiveIndexLoadProbe DIR [MESSAGES]}.
 */
public final class ArchiveIndexLoadProbe {

  private static final int USERS = 2_000;
  private static final int DOMAINS = 40;
  private static final int WORDS = 20_000;
  private static final int RUNS = 300;

  private final Random random = new Random(42);
  private final String[] words = new String[WORDS];
  private final double[] cumulative = new double[WORDS];

  private ArchiveIndexLoadProbe() {
    String[] syllables = {"ka", "lo", "mi", "ne", "ru", "sa", "te", "vo", "bi", "da", "fe", "gu",
        "ho", "ji", "pe", "qu", "ri", "so", "tu", "wa", "xe", "yo", "zi", "an", "el", "on"};
    double sum = 0;
    for (int i = 0; i < WORDS; i++) {
      StringBuilder w = new StringBuilder();
      for (int n = i; ; n /= syllables.length) {
        w.append(syllables[n % syllables.length]);
        if (n < syllables.length) {
          break;
        }
      }
      words[i] = w.toString();
      sum += 1.0 / (i + 1);
      cumulative[i] = sum;
    }
  }

  /** Runs the probe; see the class comment for the arguments. */
  public static void main(String[] args) throws IOException {
    Path dir = Path.of(args[0]);
    int messages = args.length > 1 ? Integer.parseInt(args[1]) : 200_000;
    new ArchiveIndexLoadProbe().run(dir, messages);
  }

  private void run(Path dir, int messages) throws IOException {
    long archivedBytes = 0;
    long textBytes = 0;
    try (LuceneArchiveIndex index = LuceneArchiveIndex.open(dir)) {
      long start = System.nanoTime();
      for (int i = 0; i < messages; i++) {
        MessageDocument doc = message(i);
        archivedBytes += doc.size();
        textBytes += doc.body().getBytes(StandardCharsets.UTF_8).length + 1_200;
        index.add(doc);
      }
      index.commit();
      double seconds = (System.nanoTime() - start) / 1e9;
      System.out.printf("added %,d messages in %.1f s: %,.0f messages/s%n", messages, seconds,
          messages / seconds);
      long size = index.sizeOnDisk();
      System.out.printf("index %,d bytes = %.1f %% of %,d archived bytes, %.1f %% of %,d bytes of"
          + " headers and text; %d bytes per message%n", size, 100.0 * size / archivedBytes,
          archivedBytes, 100.0 * size / textBytes, textBytes, size / messages);
      probeAll(index);
      start = System.nanoTime();
      index.compact();
      System.out.printf("compacted in %.1f s: index %,d bytes = %.1f %% of the headers and text"
          + "%n", (System.nanoTime() - start) / 1e9, index.sizeOnDisk(),
          100.0 * index.sizeOnDisk() / textBytes);
      probeAll(index);
    }
  }

  private void probeAll(ArchiveIndex index) throws IOException {
    probe(index, "from:is:ADDRESS", i -> where(Match.ALL, "from:is:" + user(i)));
    probe(index, "to:contains:LOCAL", i -> where(Match.ALL, "to:contains:u" + (i % USERS)));
    probe(index, "subject:contains:WORD", i -> where(Match.ALL, "subject:contains:" + word()));
    probe(index, "body:contains:WORD", i -> where(Match.ALL, "body:contains:" + word()));
    probe(index, "body:contains:RARE WORD", i -> where(Match.ALL,
        "body:contains:" + words[1_000 + random.nextInt(WORDS - 1_000)]));
    probe(index, "query W1 AND W2", i -> request(List.of(), Match.ALL,
        word() + " AND " + word(), null));
    probe(index, "5 criteria ALL", i -> five(Match.ALL, i));
    probe(index, "5 criteria ANY", i -> five(Match.ANY, i));
    probe(index, "body WORD --as user", i -> request(List.of(Criteria.parse(
        "body:contains:" + word())), Match.ALL, null, user(i)));
  }

  private void probe(ArchiveIndex index, String name, IntFunction<SearchRequest> requests)
      throws IOException {
    for (int i = 0; i < RUNS / 3; i++) {
      index.search(requests.apply(i));
    }
    long[] nanos = new long[RUNS];
    long hits = 0;
    for (int i = 0; i < RUNS; i++) {
      SearchRequest request = requests.apply(i);
      long start = System.nanoTime();
      hits += index.search(request).size();
      nanos[i] = System.nanoTime() - start;
    }
    Arrays.sort(nanos);
    System.out.printf("%-26s p50 %6.2f ms  p95 %6.2f ms  (avg %.0f hits of 50)%n", name,
        nanos[RUNS / 2] / 1e6, nanos[RUNS * 95 / 100] / 1e6, (double) hits / RUNS);
  }

  private SearchRequest five(Match match, int i) {
    return request(Criteria.parseAll(List.of("from:contains:d" + (i % DOMAINS),
        "subject:contains:" + word(), "date:after:2024-01-01", "size:smaller:200k",
        "body:contains:" + word())), match, null, null);
  }

  private static SearchRequest where(Match match, String spec) {
    return request(List.of(Criteria.parse(spec)), match, null, null);
  }

  private static SearchRequest request(List<Criterion> criteria, Match match, String query,
      String user) {
    return new SearchRequest(criteria, match, query, user, 50);
  }

  private String word() {
    double r = random.nextDouble() * cumulative[WORDS - 1];
    int i = Arrays.binarySearch(cumulative, r);
    return words[i < 0 ? -i - 1 : i];
  }

  private String text(int minWords, int maxWords) {
    int n = minWords + random.nextInt(maxWords - minWords + 1);
    StringBuilder s = new StringBuilder();
    for (int i = 0; i < n; i++) {
      s.append(i == 0 ? "" : " ").append(word());
    }
    return s.toString();
  }

  private static String user(int i) {
    return "u" + (i % USERS) + "@d" + (i % USERS % DOMAINS) + ".example";
  }

  private MessageDocument message(int i) {
    List<String> to = new ArrayList<>();
    for (int n = 1 + random.nextInt(3); n > 0; n--) {
      to.add(user(random.nextInt(USERS)));
    }
    List<String> cc = random.nextInt(4) == 0 ? List.of(user(random.nextInt(USERS))) : List.of();
    List<String> bcc = random.nextInt(10) == 0 ? List.of(user(random.nextInt(USERS))) : List.of();
    String body = text(80, 500);
    List<MessageDocument.Attachment> attachments = new ArrayList<>();
    long size = 1_200 + body.length();
    if (random.nextInt(10) < 3) {
      long attachmentSize = 10_000 + (long) (Math.exp(random.nextGaussian() * 1.5) * 60_000);
      attachments.add(new MessageDocument.Attachment(word() + "-" + word() + ".pdf",
          "application/pdf", attachmentSize));
      size += attachmentSize * 4 / 3;
    }
    Instant date = Instant.parse("2023-01-01T00:00:00Z")
        .plusSeconds((long) (random.nextDouble() * 3 * 365 * 86_400));
    return new MessageDocument("msg-" + i, i + "." + random.nextInt() + "@mx.example", date,
        List.of(user(random.nextInt(USERS))), to, cc, bcc, List.of(), text(3, 8), size, body,
        attachments, "maildir:/var/vmail/d" + (i % DOMAINS) + ".example", Instant.now());
  }
}
