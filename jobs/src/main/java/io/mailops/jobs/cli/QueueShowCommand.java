package io.mailops.jobs.cli;

import io.mailops.storage.queue.postfix.Backoff;
import io.mailops.storage.queue.postfix.PostfixQueue;
import io.mailops.storage.queue.postfix.QueueId;
import io.mailops.storage.queue.postfix.QueueName;
import io.mailops.storage.queue.postfix.QueuedMessage;
import io.mailops.storage.queue.postfix.QueuedMessageDetail;
import io.mailops.storage.queue.postfix.QueuedRecipient;
import io.mailops.storage.queue.postfix.DeliveryStatus;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code mailops queue show ID}: one message the way mqview shows it, plus its headers. */
@Command(name = "show", mixinStandardHelpOptions = true,
    description = {"One queued message, as mqview shows it, with its headers.",
        "ID, State, Flags, Number of RCPTs, Next Send Schedule, Retry Count (approx.), Reverse Path, the headers From,",
        "To, Subject, Message-ID and Date, and per recipient State, Filter Info, Destination and Failure Info."})
public final class QueueShowCommand implements Callable<Integer> {

  private static final List<String> HEADERS = List.of("From", "To", "Subject", "Message-ID", "Date");

  @ParentCommand
  QueueCommand parent;

  @Spec
  CommandSpec spec;

  @Parameters(index = "0", paramLabel = "ID", description = "Queue ID, as 'mailops queue list' or 'postqueue -p' show it.")
  String id;

  @Option(names = "--body", description = "Also print the message content (headers and body).")
  boolean body;

  @Override
  public Integer call() throws Exception {
    QueueId qid = QueueId.of(id.replaceAll("[*!#]+$", ""));
    PostfixQueue queue = parent.queue();
    QueuedMessageDetail d = queue.show(qid).orElse(null);
    if (d == null) {
      spec.commandLine().getErr().println("mailops: no message " + qid + " in the Postfix queue " + queue.directory()
          + " (delivered, deleted, or another instance); see 'mailops queue list'");
      return ExitCode.FAILED;
    }
    PrintWriter out = spec.commandLine().getOut();
    QueuedMessage m = d.message();
    Instant now = parent.clock().instant();
    ZoneId zone = parent.clock().getZone();
    List<QueuedRecipient> rcpts = m.recipients();
    int open = 0;
    int done = 0;
    int bounced = 0;
    int cancelled = 0;
    for (QueuedRecipient r : rcpts) {
      switch (r.state()) {
        case PENDING, DEFERRED -> open++;
        case DONE -> done++;
        case BOUNCED -> bounced++;
        case CANCELLED -> cancelled++;
      }
    }
    Table t = new Table("ID:", m.id() + (m.id().isLong() ? " (long queue ID)" : ""));
    t.row("State:", state(m));
    t.row("Flags:", flags(m));
    t.row("Number of RCPTs:", (m.recipientCount() >= 0 ? m.recipientCount() : rcpts.size()) + " (" + open
        + " to deliver, " + done + " done" + (bounced > 0 ? ", " + bounced + " bounced" : "")
        + (cancelled > 0 ? ", " + cancelled + " cancelled" : "") + ")");
    t.row("Next Send Schedule:", schedule(m, now, zone));
    t.row("Retry Count (approx.):", retries(m));
    t.row("Reverse Path:", "<" + m.sender() + ">");
    t.row("Arrival:", stamp(m.arrival(), zone) + " (" + age(Duration.between(m.arrival(), now)) + " ago)");
    t.row("Size:", m.messageSize() + " bytes (queue file " + m.fileSize() + " bytes)");
    t.row("Queue file:", m.file());
    t.print(out);
    out.println();
    out.println("Headers:");
    Table h = null;
    for (String name : HEADERS) {
      String v = d.header(name).orElse("-");
      h = h == null ? new Table("  " + name + ":", v) : h.row("  " + name + ":", v);
    }
    h.print(out);
    int n = 0;
    for (QueuedRecipient r : rcpts) {
      out.println();
      out.println("Recipient " + ++n + ": " + r.address()
          + (!r.originalAddress().isEmpty() && !r.originalAddress().equals(r.address()) ? " (originally " + r.originalAddress() + ")" : ""));
      Table rt = new Table("  State:", r.state().toString());
      rt.row("  Filter Info:", m.contentFilter().isEmpty() ? "-" : m.contentFilter());
      DeliveryStatus s = r.status();
      rt.row("  Destination:", (r.domain().isEmpty() ? "(local)" : r.domain())
          + (s != null && !s.mta().isEmpty() ? " (last tried " + s.mta() + ")" : ""));
      rt.row("  Failure Info:", s == null ? "-" : s.status() + " " + s.reason());
      rt.print(out);
    }
    if (body) {
      out.println();
      out.println("Content:");
      out.flush();
      queue.copyContent(m, out);
    }
    out.flush();
    return ExitCode.OK;
  }

  private static String state(QueuedMessage m) {
    if (m.queue() == QueueName.INCOMING) {
      return "incoming (waiting for the queue manager)";
    }
    if (m.queue() == QueueName.ACTIVE) {
      return "active (being delivered)";
    }
    if (m.queue() == QueueName.MAILDROP) {
      return "maildrop (not picked up yet)";
    }
    return m.queue().dir();
  }

  private static String flags(QueuedMessage m) {
    StringBuilder f = new StringBuilder();
    if (m.held()) {
      f.append("on hold");
    }
    if (m.forcedExpire()) {
      f.append(f.length() > 0 ? ", " : "").append("forced expire (returned to the sender on the next attempt)");
    }
    if (!m.contentFilter().isEmpty()) {
      f.append(f.length() > 0 ? ", " : "").append("content filter ").append(m.contentFilter());
    }
    return f.length() == 0 ? "-" : f.toString();
  }

  private static String schedule(QueuedMessage m, Instant now, ZoneId zone) {
    return switch (m.queue()) {
      case DEFERRED -> stamp(m.modified(), zone) + (m.modified().isAfter(now)
          ? " (in " + age(Duration.between(now, m.modified())) + ")" : " (due; waits for the next queue run)");
      case HOLD -> "none while on hold ('mailops queue release " + m.id() + "')";
      case ACTIVE -> "now (in the active queue)";
      case INCOMING, MAILDROP -> "as soon as the queue manager takes it";
      case CORRUPT -> "none (corrupt queue file)";
    };
  }

  private String retries(QueuedMessage m) throws Exception {
    if (m.deferLog().isEmpty() && m.queue() != QueueName.DEFERRED) {
      return "0";
    }
    Backoff b = parent.backoff();
    int n = b.estimateAttempts(m.arrival(), m.modified());
    String source = parent.config().isPresent() ? "postconf" : "Postfix defaults";
    return n + " (Postfix keeps no count; estimated from arrival, next attempt and backoff "
        + b.minimal().toSeconds() + "s-" + b.maximal().toSeconds() + "s, queue_run_delay "
        + b.queueRunDelay().toSeconds() + "s from " + source + ")";
  }

  /**
   * "2026-11-22 02:54:33 +0000", built by hand: a DateTimeFormatter pattern would load the locale
   * data, a noticeable part of a short command's run time.
   */
  static String stamp(Instant t, ZoneId zone) {
    java.time.ZonedDateTime z = t.atZone(zone);
    int off = z.getOffset().getTotalSeconds() / 60;
    StringBuilder b = new StringBuilder(25);
    b.append(z.getYear()).append('-');
    two(b, z.getMonthValue()).append('-');
    two(b, z.getDayOfMonth()).append(' ');
    two(b, z.getHour()).append(':');
    two(b, z.getMinute()).append(':');
    two(b, z.getSecond()).append(' ').append(off < 0 ? '-' : '+');
    two(b, Math.abs(off) / 60);
    return two(b, Math.abs(off) % 60).toString();
  }

  private static StringBuilder two(StringBuilder b, int n) {
    return b.append(n < 10 ? "0" : "").append(n);
  }

  static String age(Duration d) {
    long s = Math.max(0, d.toSeconds());
    if (s < 120) {
      return s + " s";
    }
    if (s < 7200) {
      return s / 60 + " min";
    }
    if (s < 172800) {
      return s / 3600 + " h " + s % 3600 / 60 + " min";
    }
    return s / 86400 + " d " + s % 86400 / 3600 + " h";
  }
}
