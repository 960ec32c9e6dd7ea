package io.mailops.archiver.index;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;
import java.util.List;
import org.jsoup.Jsoup;

/**
 * A throwaway speed probe, not a test: thread CPU time of {@link HtmlText#text} against {@code
 * Jsoup.parse(html).text()} over every inline HTML part of a store (the bench's mixed store by
 * default), in alternated warm rounds. Usage: {@code HtmlTextProbe [STORE_DIR] [ROUNDS]}.
 */
public final class HtmlTextProbe {

  private HtmlTextProbe() {}

  public static void main(String[] args) throws Exception {
    Path dir = args.length > 0 ? Path.of(args[0]) : HtmlTextTest.BENCH.resolve("mixed");
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 10;
    List<String> parts = HtmlTextTest.htmlParts(dir);
    long chars = parts.stream().mapToLong(String::length).sum();
    System.out.printf("%d HTML parts, %.1f MB of HTML%n", parts.size(), chars / 1e6);
    ThreadMXBean mx = ManagementFactory.getThreadMXBean();
    long sink = 0;
    for (int round = 0; round < rounds; round++) {
      long t0 = mx.getCurrentThreadCpuTime();
      int refused = 0;
      for (String html : parts) {
        String t = HtmlText.text(html);
        if (t == null) {
          refused++;
          t = Jsoup.parse(html).text();
        }
        sink += t.length();
      }
      long t1 = mx.getCurrentThreadCpuTime();
      for (String html : parts) {
        sink += Jsoup.parse(html).text().length();
      }
      long t2 = mx.getCurrentThreadCpuTime();
      System.out.printf("round %d: HtmlText %.3f s (%d left to Jsoup), Jsoup %.3f s, ratio %.1f%n",
          round, (t1 - t0) / 1e9, refused, (t2 - t1) / 1e9, (double) (t2 - t1) / (t1 - t0));
    }
    System.out.println("(sink " + sink + ")");
  }
}
