package io.mailops.jobs.cli;

import io.mailops.storage.queue.postfix.QueueListing;
import io.mailops.storage.queue.postfix.QueueName;
import io.mailops.storage.queue.postfix.QueueProblem;
import io.mailops.storage.queue.postfix.QueueShape;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code mailops queue stats}: qshape's table (same rules, numbers and layout) of message ages
 * per recipient or sender domain.
 */
@Command(name = "stats", mixinStandardHelpOptions = true,
    description = {"Age buckets per recipient (or sender) domain with a TOTAL row: the numbers and layout of qshape.",
        "Like qshape: incoming and active by default; forced-expire files (mode 0710) are not counted."})
public final class QueueStatsCommand implements Callable<Integer> {

  @ParentCommand
  QueueCommand parent;

  @Spec
  CommandSpec spec;

  @Option(names = "--by", paramLabel = "recipient|sender", defaultValue = "recipient",
      description = "Count recipient domains (one per recipient) or sender domains (one per message, qshape -s).")
  String by;

  @Option(names = "-t", paramLabel = "MINUTES", defaultValue = "5", description = "Age limit of the first bucket (qshape -t).")
  int tick;

  @Option(names = "-b", paramLabel = "N", defaultValue = "10", description = "Number of buckets (qshape -b).")
  int buckets;

  @Option(names = {"-l", "--linear"}, description = "Buckets of equal width instead of doubling ones (qshape -l).")
  boolean linear;

  @Option(names = {"-w", "--width"}, paramLabel = "COLUMNS", defaultValue = "80",
      description = "Right-justify to this width, when more than 80 (qshape -w).")
  int width;

  @Option(names = "--queue", split = ",", paramLabel = "QUEUE", converter = QueueFilterOptions.QueueNameConverter.class,
      description = "Queues to count (comma-separated; default incoming,active as qshape).")
  List<QueueName> queues;

  @Parameters(paramLabel = "QUEUE", arity = "0..*", converter = QueueFilterOptions.QueueNameConverter.class,
      description = "Queues, as qshape takes them (same as --queue).")
  List<QueueName> queueArgs;

  @Override
  public Integer call() throws Exception {
    QueueShape.By b = switch (by.toLowerCase(Locale.ROOT)) {
      case "recipient", "recipients", "rcpt" -> QueueShape.By.RECIPIENT;
      case "sender", "senders" -> QueueShape.By.SENDER;
      default -> throw new IllegalArgumentException("--by '" + by + "': use recipient or sender");
    };
    if (tick < 1 || buckets < 1) {
      throw new IllegalArgumentException("-t and -b need 1 or more, got -t " + tick + " -b " + buckets);
    }
    Set<QueueName> q = EnumSet.noneOf(QueueName.class);
    if (queues != null) {
      q.addAll(queues);
    }
    if (queueArgs != null) {
      q.addAll(queueArgs);
    }
    if (q.isEmpty()) {
      q = QueueName.QSHAPE_DEFAULT;
    }
    QueueListing listing = parent.queue().list(q);
    QueueShape shape = QueueShape.of(listing.messages(), b, tick, buckets, linear, parent.clock().instant());
    PrintWriter out = spec.commandLine().getOut();
    for (String line : format(shape, Math.max(80, width))) {
      out.println(line);
    }
    out.flush();
    PrintWriter err = spec.commandLine().getErr();
    if (shape.leftOut() > 0) {
      err.println("mailops: " + shape.leftOut() + (shape.leftOut() == 1 ? " message" : " messages")
          + " not counted, as qshape does not count them (forced expire, or no recipient left)");
    }
    for (QueueProblem p : listing.problems()) {
      err.println("mailops: skipped damaged queue file " + p);
    }
    err.flush();
    return listing.problems().isEmpty() ? ExitCode.OK : ExitCode.PARTIAL;
  }

  /**
   * qshape's {@code results()}: each count column is one wider than its widest value (TOTAL's)
   * or heading, at least 3; the domain column takes the rest of {@code width} (at least 18), and
   * a longer domain is cut to its last characters after a '+'.
   */
  public static List<String> format(QueueShape shape, int width) {
    List<String> heads = shape.headings();
    List<Integer> total = shape.rows().get(0).counts();
    int[] w = new int[heads.size()];
    int dw = width;
    for (int i = 0; i < heads.size(); i++) {
      int l = Math.max(String.valueOf(total.get(i)).length(), heads.get(i).length());
      w[i] = l > 2 ? l + 1 : 3;
      dw -= w[i];
    }
    dw = Math.max(dw, 18);
    List<String> lines = new ArrayList<>();
    lines.add(line("", heads, w, dw));
    for (QueueShape.Row r : shape.rows()) {
      lines.add(line(r.domain(), r.counts().stream().map(String::valueOf).toList(), w, dw));
    }
    return lines;
  }

  private static String line(String domain, List<String> cells, int[] w, int dw) {
    StringBuilder b = new StringBuilder();
    if (domain.length() > dw) {
      b.append(domain.startsWith(".") ? ".+" + domain.substring(domain.length() - dw + 2)
          : "+" + domain.substring(domain.length() - dw + 1));
    } else {
      b.append(" ".repeat(dw - domain.length())).append(domain);
    }
    for (int i = 0; i < cells.size(); i++) {
      b.append(" ".repeat(Math.max(0, w[i] - cells.get(i).length()))).append(cells.get(i));
    }
    return b.toString();
  }
}
