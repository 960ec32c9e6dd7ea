package io.mailops.reporting.collect;

import io.mailops.reporting.Parameter;
import io.mailops.reporting.series.ScopeRef;
import io.mailops.storage.MailStore;
import io.mailops.storage.queue.postfix.PostfixQueue;
import io.mailops.storage.queue.postfix.QueueListing;
import io.mailops.storage.queue.postfix.QueueName;
import io.mailops.storage.queue.postfix.QueuedMessage;
import io.mailops.storage.usage.StorageUsage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Samples the gauges of the current minute: the Postfix queue (messages per queue, the oldest
 * message's age, the total size) through the queue reader, {@code /proc/loadavg} (x100) and the mail
 * storage (used at server scope and, when enabled, per domain and account; free space of its file
 * system), and the established SMTP, POP3 and IMAP connections ({@link ActiveConnections}). A source that cannot be read is left out of the sample with a warning; the others are still
 * sampled. Not thread-safe.
 */
public final class GaugeSampler {

  /**
   * Where the gauges come from; a null source is not sampled.
   *
   * @param queueDir Postfix's {@code queue_directory}
   * @param loadavg {@code /proc/loadavg}
   * @param store the mail store whose usage is measured (closed by its owner)
   * @param storageRoot a directory on the file system of the store, for its free space
   * @param domainScope also {@code storage.used} per domain
   * @param accountScope also {@code storage.used} per account
   * @param connections the ports of the active-connection gauges and where to count them
   */
  public record Sources(Path queueDir, Path loadavg, MailStore store, Path storageRoot, boolean domainScope,
      boolean accountScope, ActiveConnections connections) {

    /** Sources without the active-connection gauges. */
    public Sources(Path queueDir, Path loadavg, MailStore store, Path storageRoot, boolean domainScope,
        boolean accountScope) {
      this(queueDir, loadavg, store, storageRoot, domainScope, accountScope, null);
    }
  }

  private static final Parameter COLLECTOR_LAST_RUN = EventCounter.p("collector.last_run");

  private final Sources sources;
  private final Clock clock;

  /** A sampler of {@code sources}, stamping samples with the minute of {@code clock}. */
  public GaugeSampler(Sources sources, Clock clock) {
    this.sources = Objects.requireNonNull(sources, "sources");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /** Sets every gauge it can read in {@code batch}, adding a line to {@code warnings} per source it cannot. */
  public void sample(MinuteBatch batch, List<String> warnings) {
    Instant now = clock.instant();
    if (sources.queueDir() != null) {
      try {
        queue(batch, now);
      } catch (IOException e) {
        warnings.add("queue gauges left out: " + e.getMessage());
      }
    }
    if (sources.loadavg() != null) {
      try {
        load(batch, now);
      } catch (IOException | RuntimeException e) {
        warnings.add("load gauges left out: cannot read " + sources.loadavg() + " (" + e.getMessage() + ")");
      }
    }
    if (sources.store() != null) {
      try {
        used(batch, now);
      } catch (IOException e) {
        warnings.add("storage.used left out: " + e.getMessage());
      }
    }
    if (sources.storageRoot() != null) {
      try {
        long free = Files.getFileStore(sources.storageRoot()).getUsableSpace();
        batch.set(p("storage.free"), ScopeRef.SERVER, now, free / 1024);
      } catch (IOException e) {
        warnings.add("storage.free left out: cannot read the file system of " + sources.storageRoot() + " ("
            + e.getMessage() + "); check mailops.storage");
      }
    }
    if (sources.connections() != null) {
      try {
        ActiveConnections.Counts c = sources.connections().count();
        batch.set(p("smtp.in.active_connections"), ScopeRef.SERVER, now, c.smtpIn());
        batch.set(p("smtp.out.active_connections"), ScopeRef.SERVER, now, c.smtpOut());
        batch.set(p("pop3.active_sessions"), ScopeRef.SERVER, now, c.pop3());
        batch.set(p("imap.active_sessions"), ScopeRef.SERVER, now, c.imap());
      } catch (IOException e) {
        warnings.add("connection gauges left out: " + e.getMessage());
      }
    }
    batch.set(COLLECTOR_LAST_RUN, ScopeRef.SERVER, now, now.getEpochSecond());
  }

  private void queue(MinuteBatch batch, Instant now) throws IOException {
    QueueListing l = PostfixQueue.at(sources.queueDir(), clock, 1).list(QueueName.SHOWQ);
    Map<QueueName, Integer> counts = new EnumMap<>(QueueName.class);
    long bytes = 0;
    Instant oldest = null;
    for (QueuedMessage m : l.messages()) {
      counts.merge(m.queue(), 1, Integer::sum);
      bytes += m.messageSize();
      if (oldest == null || m.arrival().isBefore(oldest)) {
        oldest = m.arrival();
      }
    }
    batch.set(p("queue.total"), ScopeRef.SERVER, now, l.messages().size());
    batch.set(p("queue.active"), ScopeRef.SERVER, now, counts.getOrDefault(QueueName.ACTIVE, 0));
    batch.set(p("queue.deferred"), ScopeRef.SERVER, now, counts.getOrDefault(QueueName.DEFERRED, 0));
    batch.set(p("queue.hold"), ScopeRef.SERVER, now, counts.getOrDefault(QueueName.HOLD, 0));
    batch.set(p("queue.incoming"), ScopeRef.SERVER, now, counts.getOrDefault(QueueName.INCOMING, 0));
    batch.set(p("queue.oldest_age"), ScopeRef.SERVER, now,
        oldest == null ? 0 : Math.max(0, Duration.between(oldest, now).toSeconds()));
    batch.set(p("queue.size"), ScopeRef.SERVER, now, bytes / 1024);
  }

  private void load(MinuteBatch batch, Instant now) throws IOException {
    String[] f = Files.readString(sources.loadavg(), StandardCharsets.US_ASCII).trim().split("\\s+");
    if (f.length < 3) {
      throw new IOException("expected three load averages, got '" + String.join(" ", f) + "'");
    }
    batch.set(p("system.load1"), ScopeRef.SERVER, now, Math.round(Double.parseDouble(f[0]) * 100));
    batch.set(p("system.load5"), ScopeRef.SERVER, now, Math.round(Double.parseDouble(f[1]) * 100));
    batch.set(p("system.load15"), ScopeRef.SERVER, now, Math.round(Double.parseDouble(f[2]) * 100));
  }

  private void used(MinuteBatch batch, Instant now) throws IOException {
    StorageUsage.Report r = StorageUsage.measure(sources.store(), a -> true, (u, i, n) -> { });
    Parameter used = p("storage.used");
    batch.set(used, ScopeRef.SERVER, now, r.bytes() / 1024);
    Map<String, Long> perDomain = new TreeMap<>();
    for (StorageUsage.AccountUsage a : r.accounts()) {
      perDomain.merge(a.account().domain(), a.bytes(), Long::sum);
      if (sources.accountScope()) {
        batch.set(used, new ScopeRef(Parameter.Scope.ACCOUNT, a.account().toString()), now, a.bytes() / 1024);
      }
    }
    if (sources.domainScope()) {
      perDomain.forEach((d, b) -> batch.set(used, new ScopeRef(Parameter.Scope.DOMAIN, d), now, b / 1024));
    }
  }

  private static Parameter p(String name) {
    return EventCounter.p(name);
  }
}
