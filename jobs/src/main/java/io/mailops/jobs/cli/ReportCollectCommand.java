package io.mailops.jobs.cli;

import io.mailops.jobs.batch.BatchApplication;
import io.mailops.jobs.config.MailOpsSettings;
import io.mailops.reporting.collect.ActiveConnections;
import io.mailops.reporting.collect.Collector;
import io.mailops.reporting.collect.GaugeSampler;
import io.mailops.reporting.store.JdbcSampleStore;
import io.mailops.storage.MailStore;
import io.mailops.storage.MailStores;
import io.mailops.storage.PasswordSource;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import javax.sql.DataSource;
import org.springframework.context.ConfigurableApplicationContext;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code mailops report collect}: minute samples into the job repository database (the same H2 or
 * PostgreSQL as the batch jobs). Counts the log lines written since the last run (positions kept,
 * rotation followed), samples the queue, load and storage gauges, applies the retention; once with
 * {@code --once}, else every minute until stopped. {@code --from-logs} backfills history from existing
 * logs instead, by the lines' own timestamps, never counting a line twice.
 */
@Command(name = "collect", mixinStandardHelpOptions = true,
    description = {"Collect the reporting parameters into the job repository database: new log lines since"
        + " the last run (followed across rotation), queue, load and storage gauges.",
        "Without --once: every minute until stopped. With --from-logs: backfill history from existing"
            + " (rotated, gzipped) logs, oldest first; re-running it counts nothing twice."})
public final class ReportCollectCommand implements Callable<Integer> {

  static final String PREFIX = "mailops.report.";

  @ParentCommand
  ReportCommand parent;

  @Spec
  CommandSpec spec;

  @Option(names = "--once", description = "Take one sample now and exit.")
  boolean once;

  @Option(names = "--from-logs", arity = "1..*", paramLabel = "FILE",
      description = "Backfill from these logs (plain or .gz, oldest first) and exit.")
  List<Path> fromLogs;

  @Option(names = "--logs", arity = "1..*", paramLabel = "FILE",
      description = "Live logs to follow (default: mailops.report.logs, /var/log/mail.log).")
  List<Path> logs;

  Clock clock = Clock.systemUTC();

  @Override
  public Integer call() throws Exception {
    MailOpsSettings settings = parent.root.settings();
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    int weeks = retentionWeeks(settings);
    boolean domains = Boolean.parseBoolean(settings.get(PREFIX + "domain-scope", "false"));
    boolean accounts = Boolean.parseBoolean(settings.get(PREFIX + "account-scope", "false"));
    Collector.Settings cs = new Collector.Settings(logs != null ? logs : configuredLogs(settings), domains, accounts,
        ZoneId.systemDefault());
    try (ConfigurableApplicationContext ctx = BatchApplication.start(settings)) {
      JdbcSampleStore store = new JdbcSampleStore(ctx.getBean(DataSource.class), clock);
      store.createSchema();
      if (fromLogs != null) {
        store.applyRetention(weeks, clock.instant(), err::println);
        Collector.Result r = new Collector(cs, store, null, clock).backfill(fromLogs);
        return report(out, err, "backfilled", r);
      }
      List<String> storeWarnings = new ArrayList<>();
      try (MailStore mailStore = mailStore(settings, storeWarnings)) {
        GaugeSampler gauges = new GaugeSampler(sources(settings, mailStore, domains, accounts), clock);
        Collector collector = new Collector(cs, store, gauges, clock);
        while (true) {
          int code;
          try {
            store.applyRetention(weeks, clock.instant(), err::println);
            storeWarnings.forEach(w -> err.println("warning: " + w));
            code = report(out, err, "collected", collector.collectOnce());
          } catch (IOException e) {
            if (once) {
              throw e;
            }
            err.println("mailops: " + e.getMessage());
            err.flush();
            code = ExitCode.FAILED;
          }
          if (once) {
            return code;
          }
          long ms = clock.millis();
          Thread.sleep(60_000 - ms % 60_000);
        }
      }
    }
  }

  private static int report(PrintWriter out, PrintWriter err, String what, Collector.Result r) {
    out.println(what + " " + r.lines() + " log lines (" + r.unparsed() + " not understood), " + r.samples()
        + " minute samples written");
    out.flush();
    r.warnings().forEach(w -> err.println("warning: " + w));
    err.flush();
    return r.warnings().isEmpty() ? ExitCode.OK : ExitCode.PARTIAL;
  }

  static int retentionWeeks(MailOpsSettings settings) {
    String v = settings.get(PREFIX + "retention-weeks", "8");
    try {
      int w = Integer.parseInt(v.trim());
      if (w >= 1) {
        return w;
      }
    } catch (NumberFormatException e) {
      // reported below with the value
    }
    throw new IllegalArgumentException(PREFIX + "retention-weeks '" + v + "': give a whole number of weeks, 1 or more");
  }

  /** {@code mailops.report.logs}, a YAML list (flattened to {@code logs[0]}, {@code logs[1]} …) or one path. */
  static List<Path> configuredLogs(MailOpsSettings settings) {
    List<Path> out = new ArrayList<>();
    for (int i = 0; settings.get(PREFIX + "logs[" + i + "]") != null; i++) {
      out.add(Path.of(settings.get(PREFIX + "logs[" + i + "]")));
    }
    String single = settings.get(PREFIX + "logs");
    if (out.isEmpty() && single != null && !single.isBlank()) {
      out.add(Path.of(single));
    }
    return out.isEmpty() ? List.of(Path.of("/var/log/mail.log")) : out;
  }

  private static GaugeSampler.Sources sources(MailOpsSettings settings, MailStore store, boolean domains,
      boolean accounts) {
    String queue = settings.get("mailops.queue-dir", "");
    String loadavg = settings.get(PREFIX + "loadavg", "/proc/loadavg");
    return new GaugeSampler.Sources(queue.isBlank() ? null : Path.of(queue),
        loadavg.isBlank() ? null : Path.of(loadavg), store, store == null ? null : maildirRoot(settings), domains,
        accounts, connections(settings));
  }

  /**
   * The active-connection gauges: the kernel's socket tables in {@code mailops.report.proc-net}
   * (default /proc/net; empty leaves the gauges out) and the ports of {@code mailops.report.ports.smtp},
   * {@code .pop3}, {@code .imap} (listening ports of the servers) and {@code .smtp-out} (remote port of
   * outbound SMTP), each a YAML list or a comma-separated string, standard ports by default.
   */
  static ActiveConnections connections(MailOpsSettings settings) {
    String procNet = settings.get(PREFIX + "proc-net", "/proc/net");
    if (procNet.isBlank()) {
      return null;
    }
    return new ActiveConnections(Path.of(procNet), ports(settings, "smtp", ActiveConnections.SMTP_IN_PORTS),
        ports(settings, "pop3", ActiveConnections.POP3_PORTS), ports(settings, "imap", ActiveConnections.IMAP_PORTS),
        ports(settings, "smtp-out", ActiveConnections.SMTP_OUT_PORTS));
  }

  private static Set<Integer> ports(MailOpsSettings settings, String name, Set<Integer> fallback) {
    String key = PREFIX + "ports." + name;
    List<String> values = new ArrayList<>();
    for (int i = 0; settings.get(key + "[" + i + "]") != null; i++) {
      values.add(settings.get(key + "[" + i + "]"));
    }
    String single = settings.get(key);
    if (values.isEmpty() && single != null) {
      values.addAll(List.of(single.split(",")));
    }
    if (values.isEmpty()) {
      return fallback;
    }
    Set<Integer> ports = new TreeSet<>();
    for (String v : values) {
      if (v.isBlank()) {
        continue;
      }
      try {
        int p = Integer.parseInt(v.trim());
        if (p >= 1 && p <= 65535) {
          ports.add(p);
          continue;
        }
      } catch (NumberFormatException e) {
        // reported below with the value
      }
      throw new IllegalArgumentException(key + " '" + v.trim() + "': give TCP port numbers 1-65535, e.g. "
          + fallback.stream().sorted().map(String::valueOf).reduce((a, b) -> a + "," + b).orElse("25"));
    }
    return ports;
  }

  /** The directory of a {@code maildir:} store, else null (other stores get no storage gauges). */
  private static Path maildirRoot(MailOpsSettings settings) {
    String uri = settings.get("mailops.storage", "");
    if (!uri.startsWith("maildir:")) {
      return null;
    }
    int query = uri.indexOf('?');
    return Path.of(uri.substring("maildir:".length(), query < 0 ? uri.length() : query));
  }

  /** The Maildir store to measure, or null with a warning when there is none to measure. */
  private static MailStore mailStore(MailOpsSettings settings, List<String> warnings) throws IOException {
    Path root = maildirRoot(settings);
    if (root == null) {
      warnings.add("storage gauges left out: mailops.storage is not a maildir: store");
      return null;
    }
    if (!Files.isDirectory(root)) {
      warnings.add("storage gauges left out: the mail store " + root + " does not exist; check mailops.storage");
      return null;
    }
    return MailStores.open(settings.get("mailops.storage"), PasswordSource.NONE);
  }
}
