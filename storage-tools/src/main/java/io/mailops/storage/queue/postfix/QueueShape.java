package io.mailops.storage.queue.postfix;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Age buckets per domain, as {@code qshape} computes them ({@code auxiliary/qshape/qshape.pl}):
 * per recipient domain (one count per pending recipient record) or per sender domain (one per
 * message); bucket 1 holds ages below {@code tick} minutes, then each bucket doubles (or, linear,
 * adds {@code tick}); the last one is open-ended. qshape's file rules apply: names of 6 or more
 * letters and digits, mode {@code & 0733 == 0700} (so forced-expire files, mode 0710, are left
 * out, like files still being written), a readable layout, at least one pending recipient.
 *
 * @param headings "T", then each bucket's upper limit in minutes, the last with "+"
 * @param rows TOTAL first, then the domains by count (descending), then name length
 * @param counted messages that were counted
 * @param leftOut messages qshape would not count (see above)
 */
public record QueueShape(List<String> headings, List<Row> rows, int counted, int leftOut) {

  private static final Pattern QSHAPE_NAME = Pattern.compile("[A-Za-z0-9]{6,}");
  private static final String TOTAL = "TOTAL";

  /** What to count by. */
  public enum By { RECIPIENT, SENDER }

  /**
   * One line of the table.
   *
   * @param domain the domain, "TOTAL", or "MAILER-DAEMON" for the null sender
   * @param counts index 0 the total, then one count per bucket
   */
  public record Row(String domain, List<Integer> counts) {
    public Row {
      counts = List.copyOf(counts);
    }

    public int total() {
      return counts.get(0);
    }
  }

  public QueueShape {
    headings = List.copyOf(headings);
    rows = List.copyOf(rows);
  }

  /**
   * Computes the shape of {@code messages} at {@code now}.
   *
   * @param tickMinutes the first bucket's limit ({@code -t}, default 5), at least 1
   * @param buckets the number of buckets ({@code -b}, default 10), at least 1
   * @param linear buckets of equal width ({@code -l}) instead of doubling ones
   */
  public static QueueShape of(Collection<QueuedMessage> messages, By by, int tickMinutes,
      int buckets, boolean linear, Instant now) {
    if (tickMinutes < 1 || buckets < 1) {
      throw new IllegalArgumentException("qshape needs a bucket time of 1 minute or more and at least 1 bucket, got -t "
          + tickMinutes + " -b " + buckets);
    }
    Map<String, int[]> q = new HashMap<>();
    int[] total = new int[buckets + 1];
    q.put(TOTAL, total);
    int counted = 0;
    int leftOut = 0;
    for (QueuedMessage m : messages) {
      List<String> addresses = new ArrayList<>();
      for (QueuedRecipient r : m.recipients()) {
        if (r.state().open()) {
          addresses.add(r.address());
        }
      }
      if (!QSHAPE_NAME.matcher(m.id().value()).matches() || (m.mode() & 0733) != 0700
          || !m.qshapeLayout() || addresses.isEmpty()) {
        leftOut++;
        continue;
      }
      counted++;
      int b = bucket(now.getEpochSecond() - m.arrival().getEpochSecond(), tickMinutes, buckets, linear);
      for (String a : by == By.SENDER ? List.of(m.sender()) : addresses) {
        total[0]++;
        total[b]++;
        int[] c = q.computeIfAbsent(domain(a), k -> new int[buckets + 1]);
        c[0]++;
        c[b]++;
      }
    }
    List<Row> rows = new ArrayList<>();
    for (Map.Entry<String, int[]> e : q.entrySet()) {
      List<Integer> counts = new ArrayList<>(buckets + 1);
      for (int n : e.getValue()) {
        counts.add(n);
      }
      rows.add(new Row(e.getKey(), counts));
    }
    rows.sort(Comparator.comparingInt(Row::total).reversed()
        .thenComparingInt(r -> r.domain().length())
        .thenComparing(r -> !r.domain().equals(TOTAL))
        .thenComparing(Row::domain));
    return new QueueShape(headings(tickMinutes, buckets, linear), rows, counted, leftOut);
  }

  /** qshape's {@code bucket()}: 1-based, the last one open-ended. */
  static int bucket(long ageSeconds, int tick, int buckets, boolean linear) {
    double m = (double) ageSeconds / (60 * tick);
    if (m < 1) {
      return 1;
    }
    int b = linear ? (int) (m + 1) : 2 + (int) (StrictMath.log(m) / StrictMath.log(2));
    return Math.min(b, buckets);
  }

  /** qshape's column headings: T, tick, 2*tick, 4*tick (or 2*tick, 3*tick) ..., last+. */
  static List<String> headings(int tick, int buckets, boolean linear) {
    List<String> h = new ArrayList<>();
    long t = 0;
    String last = "";
    for (int i = 0; i <= buckets; ) {
      h.add(i == 0 ? "T" : i == buckets ? last : Long.toString(t));
      if (++i < buckets) {
        t += t != 0 && !linear ? t : tick;
      } else {
        last = t + "+";
      }
    }
    return h;
  }

  /**
   * qshape's domain of an address: lower case, "MAILER-DAEMON" for the null address, the part
   * after the last '@', ".." squeezed to ".", one leading and one trailing dot removed.
   */
  static String domain(String address) {
    String a = address.toLowerCase(Locale.ROOT);
    if (a.isEmpty()) {
      a = "MAILER-DAEMON";
    }
    a = a.substring(a.lastIndexOf('@') + 1).replace("..", ".");
    if (a.isEmpty()) {
      return a;
    }
    int start = a.length() >= 2 && a.charAt(0) == '.' ? 1 : 0;
    int end = a.length();
    if (end - start >= 2 && a.charAt(end - 1) == '.') {
      end--;
    }
    return a.substring(start, end);
  }
}
