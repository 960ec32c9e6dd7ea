package io.mailops.jobs.cli;

import io.mailops.storage.queue.postfix.PostfixQueue;
import io.mailops.storage.queue.postfix.QueueFilter;
import io.mailops.storage.queue.postfix.QueueListing;
import io.mailops.storage.queue.postfix.QueueName;
import io.mailops.storage.queue.postfix.QueueProblem;
import io.mailops.storage.queue.postfix.QueuedMessage;
import io.mailops.storage.queue.postfix.QueuedRecipient;
import java.io.IOException;
import java.io.PrintWriter;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.locks.LockSupport;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code mailops queue list}: the queued messages, as a table, postqueue -j JSON Lines or CSV. */
@Command(name = "list", mixinStandardHelpOptions = true,
    description = {"Queued messages with sender, recipients still to deliver and why they wait.",
        "Reads maildrop, active, incoming, deferred and hold (what postqueue -j lists) unless --queue says otherwise."})
public final class QueueListCommand implements Callable<Integer> {

  @ParentCommand
  QueueCommand parent;

  @Spec
  CommandSpec spec;

  @Mixin
  QueueFilterOptions filters;

  @ArgGroup(exclusive = true)
  Format format = new Format();

  static final class Format {
    @Option(names = "--json", description = "One JSON object per line, the fields and values of postqueue -j.")
    boolean json;

    @Option(names = "--csv", description = "CSV with a header row, one row per recipient.")
    boolean csv;
  }

  @Override
  public Integer call() throws Exception {
    PostfixQueue queue = parent.queue();
    QueueListing listing = queue.list(filters.queues(QueueName.SHOWQ));
    QueueFilter filter = filters.filter();
    Instant now = parent.clock().instant();
    List<QueuedMessage> messages = filter.matchesEverything() ? listing.messages()
        : listing.messages().stream().filter(m -> filter.test(m, now)).toList();
    PrintWriter out = spec.commandLine().getOut();
    if (format.json) {
      json(out, messages);
    } else if (format.csv) {
      csv(out, messages);
    } else {
      table(out, queue, listing, messages);
    }
    if (!listing.problems().isEmpty() && (format.json || format.csv)) {
      PrintWriter err = spec.commandLine().getErr();
      for (QueueProblem p : listing.problems()) {
        err.println("mailops: skipped damaged queue file " + p);
      }
      err.flush();
    }
    return listing.problems().isEmpty() ? ExitCode.OK : ExitCode.PARTIAL;
  }

  /**
   * Messages per chunk of JSON lines: formatted by one thread, written with one call. Small
   * enough that a chunk's buffer (~600 characters a message) stays under half a G1 region
   * (512 KiB on small heaps), which would make it a humongous allocation.
   */
  private static final int CHUNK = 200;

  /**
   * Prints {@code messages} as JSON Lines, in order: chunks are formatted on all cores (helper
   * threads and this one take the next chunk from a shared counter) while this thread writes the
   * finished ones, so formatting overlaps writing.
   */
  private static void json(PrintWriter out, List<QueuedMessage> messages) {
    int chunks = (messages.size() + CHUNK - 1) / CHUNK;
    AtomicReferenceArray<QueueJson.Chunk> done = new AtomicReferenceArray<>(chunks);
    AtomicInteger next = new AtomicInteger();
    AtomicReference<RuntimeException> failed = new AtomicReference<>();
    Runnable format = () -> {
      try {
        for (int i = next.getAndIncrement(); i < chunks; i = next.getAndIncrement()) {
          done.set(i, format(messages, i));
        }
      } catch (RuntimeException e) {
        failed.set(e);
      }
    };
    int helpers = Math.min(chunks - 1, Runtime.getRuntime().availableProcessors() - 1);
    for (int h = 0; h < helpers; h++) {
      Thread t = new Thread(format, "queue-json");
      t.setDaemon(true);
      t.start();
    }
    for (int i = 0; i < chunks; i++) {
      QueueJson.Chunk c;
      while ((c = done.get(i)) == null) {
        int j = next.getAndIncrement();
        if (j < chunks) {
          done.set(j, format(messages, j));
        } else if (failed.get() != null) {
          throw failed.get();
        } else {
          LockSupport.parkNanos(20_000);   // a helper is finishing chunk i
        }
      }
      out.write(c.chars(), 0, c.length());
      done.set(i, null);
    }
    out.flush();
  }

  private static QueueJson.Chunk format(List<QueuedMessage> messages, int chunk) {
    QueueJson.Chunk b = new QueueJson.Chunk(CHUNK * 640);
    for (int j = chunk * CHUNK, end = Math.min(messages.size(), (chunk + 1) * CHUNK); j < end; j++) {
      QueueJson.append(b, messages.get(j));
    }
    return b;
  }

  private void table(PrintWriter out, PostfixQueue queue, QueueListing listing, List<QueuedMessage> messages) {
    ZoneId zone = parent.clock().getZone();
    Table t = new Table("ID", "QUEUE", "FLAGS", "SIZE", "ARRIVED", "SENDER", "RCPTS", "REASON").numeric(3, 6);
    long bytes = 0;
    for (QueuedMessage m : messages) {
      List<QueuedRecipient> rcpts = m.showqRecipients();
      String reason = rcpts.stream().map(QueuedRecipient::reason).filter(r -> !r.isEmpty()).findFirst().orElse("");
      t.row(m.id(), m.queue(), flags(m), m.messageSize(), QueueShowCommand.stamp(m.arrival(), zone).substring(0, 19),
          m.sender().isEmpty() ? "<>" : m.sender(), rcpts.size(), shorten(reason, 72));
      bytes += m.messageSize();
    }
    if (messages.isEmpty()) {
      out.println("No messages in " + queue.directory() + " (" + queueNames(listing) + ")"
          + (filters.any() ? " match the filters." : "."));
    } else {
      t.print(out);
      out.println();
      out.println(messages.size() + (messages.size() == 1 ? " message, " : " messages, ") + Table.bytes(bytes)
          + " in " + queue.directory() + " (" + queueNames(listing) + ")"
          + (messages.size() < listing.messages().size() ? "; " + listing.messages().size() + " before filtering" : ""));
    }
    if (!listing.problems().isEmpty()) {
      out.println();
      out.println("Skipped " + listing.problems().size() + " damaged queue "
          + (listing.problems().size() == 1 ? "file" : "files") + " (inspect with postcat -o, remove with postsuper -d):");
      for (QueueProblem p : listing.problems()) {
        out.println("  " + p);
      }
    }
  }

  static String flags(QueuedMessage m) {
    StringBuilder f = new StringBuilder();
    if (m.held()) {
      f.append("hold");
    }
    if (m.forcedExpire()) {
      f.append(f.length() > 0 ? "," : "").append("expire");
    }
    return f.length() == 0 ? "-" : f.toString();
  }

  private static String queueNames(QueueListing l) {
    return String.join(", ", l.queues().stream().map(QueueName::dir).toList());
  }

  static String shorten(String s, int max) {
    return s.length() <= max ? s : s.substring(0, max - 3) + "...";
  }

  private void csv(PrintWriter out, List<QueuedMessage> messages) throws IOException {
    CSVPrinter p = new CSVPrinter(out, CSVFormat.DEFAULT.builder().setRecordSeparator("\n")
        .setHeader("queue_name", "queue_id", "arrival_time", "message_size", "forced_expire", "sender",
            "address", "delay_reason").get());
    for (QueuedMessage m : messages) {
      List<QueuedRecipient> rcpts = m.showqRecipients();
      String sender = m.sender().isEmpty() ? "MAILER-DAEMON" : m.sender();
      if (rcpts.isEmpty()) {
        p.printRecord(m.queue().dir(), m.id(), m.arrival().getEpochSecond(), m.messageSize(), m.forcedExpire(),
            sender, "", "");
      }
      for (QueuedRecipient r : rcpts) {
        p.printRecord(m.queue().dir(), m.id(), m.arrival().getEpochSecond(), m.messageSize(), m.forcedExpire(),
            sender, r.address(), r.reason());
      }
    }
    p.flush();
  }
}
