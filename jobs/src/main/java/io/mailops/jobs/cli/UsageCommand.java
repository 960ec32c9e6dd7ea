package io.mailops.jobs.cli;

import io.mailops.storage.MailStore;
import io.mailops.storage.Skip;
import io.mailops.storage.model.AccountId;
import io.mailops.storage.usage.Counts;
import io.mailops.storage.usage.Quota;
import io.mailops.storage.usage.StorageUsage;
import io.mailops.storage.usage.StorageUsage.By;
import io.mailops.storage.usage.UsageRow;
import java.io.IOException;
import java.io.PrintWriter;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code mailops storage usage}: messages, bytes, unseen messages and the oldest and newest
 * internal date per domain, account or folder and in total; for Maildir accounts the quota that
 * Dovecot's {@code maildirsize} states, with a warning at a threshold.
 */
@Command(name = "usage", mixinStandardHelpOptions = true,
    description = {"Messages, bytes, unseen messages and oldest/newest internal date per domain, account"
        + " or folder, and in total (reads no message).",
        "Maildir accounts with a maildirsize file also show their quota limit, the usage Dovecot counted,"
            + " the percentage used and a warning at or above the threshold (the quota columns are left"
            + " out of the table when no account has a quota).",
        "--json always holds every level (domains, accounts with their folders, totals); --by picks the"
            + " rows of the table and of --csv."})
public final class UsageCommand implements Callable<Integer> {

  /** The settings key of the quota warning threshold in percent. */
  static final String WARN_KEY = "mailops.storage-quota-warn-percent";
  static final int DEFAULT_WARN_PERCENT = 90;
  static final List<String> CSV_HEADER = List.of("level", "domain", "account", "folder", "messages", "bytes",
      "unseen", "oldest", "newest", "quota_limit_bytes", "quota_limit_messages", "quota_used_bytes",
      "quota_used_messages", "quota_percent", "quota_state");
  private static final DateTimeFormatter DAY = DateTimeFormatter.ISO_LOCAL_DATE.withZone(ZoneOffset.UTC);

  @ParentCommand
  StorageCommand parent;

  @Spec
  CommandSpec spec;

  @Mixin
  StoreOptions store;

  @Mixin
  AccountScope scope;

  @Option(names = "--by", paramLabel = "LEVEL",
      description = "One row per domain, account (default) or folder.")
  String by;

  @Option(names = "--folders", description = "The same as --by folder.")
  boolean folders;

  @Option(names = "--json", description = "One JSON document instead of a table.")
  boolean json;

  @Option(names = "--csv", description = "CSV with a header row instead of a table.")
  boolean csv;

  @Option(names = "--warn-percent", paramLabel = "N",
      description = "Quota warning threshold in percent (default: " + WARN_KEY + ", else "
          + DEFAULT_WARN_PERCENT + ").")
  Integer warnPercent;

  @Override
  public Integer call() throws Exception {
    MailOpsCommand root = parent.root;
    By level = level();
    if (json && csv) {
      throw new ParameterException(spec.commandLine(), "--json and --csv exclude each other; pick one");
    }
    int warn = warnPercent(root);
    StorageUsage.Report report;
    String uri = store.uri(root.settings());
    try (MailStore s = store.open(root.settings(), root.env)) {
      report = StorageUsage.measure(s, scope, (u, i, n) -> { });
    }
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      out.println(JsonMapper.builder().build().writeValueAsString(toJson(uri, report, warn)));
    } else if (csv) {
      printCsv(out, report, level, warn);
    } else {
      print(out, uri, report, level, warn);
    }
    if (report.accounts().isEmpty() && scope.narrowed()) {
      spec.commandLine().getErr().println(scope.noMatch(uri));
      return ExitCode.FAILED;
    }
    return report.skipped().isEmpty() ? ExitCode.OK : ExitCode.PARTIAL;
  }

  private By level() {
    By b = By.ACCOUNT;
    if (by != null) {
      try {
        b = By.valueOf(by.trim().toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new ParameterException(spec.commandLine(), "invalid --by '" + by
            + "': use domain, account or folder");
      }
    }
    if (folders && by != null && b != By.FOLDER) {
      throw new ParameterException(spec.commandLine(), "--folders means --by folder, but --by " + by
          + " was given too; drop one");
    }
    return folders ? By.FOLDER : b;
  }

  private int warnPercent(MailOpsCommand root) throws IOException {
    String value = warnPercent != null ? warnPercent.toString()
        : root.settings().get(WARN_KEY, Integer.toString(DEFAULT_WARN_PERCENT)).trim();
    try {
      int v = Integer.parseInt(value);
      if (v >= 1 && v <= 100) {
        return v;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    if (warnPercent == null) {
      throw new IllegalArgumentException("configuration key " + WARN_KEY + " is '" + value
          + "'; set it to a whole number from 1 to 100 in mailops.yml");
    }
    throw new ParameterException(spec.commandLine(), "--warn-percent is '" + value
        + "'; use a whole number from 1 to 100");
  }

  /** The human table: a summary line, one row per {@code by} level, the total, quota warnings, skips. */
  static void print(PrintWriter out, String uri, StorageUsage.Report report, By by, int warn) {
    out.println("Store " + uri + ": " + report.domains() + " domains, " + report.accounts().size()
        + " accounts, " + report.messages() + " messages, " + Table.bytes(report.bytes()));
    boolean quota = by != By.DOMAIN && report.accounts().stream().anyMatch(a -> a.quota().isPresent());
    List<String> header = new ArrayList<>(List.of(by == By.DOMAIN ? "DOMAIN" : "ACCOUNT",
        switch (by) {
          case DOMAIN -> "ACCOUNTS";
          case ACCOUNT -> "FOLDERS";
          case FOLDER -> "FOLDER";
        }, "MESSAGES", "UNSEEN", "SIZE", "OLDEST", "NEWEST"));
    if (quota) {
      header.addAll(List.of("QUOTA", "QUOTA USED", "USE%", "WARN"));
    }
    Table t = new Table(header.toArray(String[]::new)).numeric(2, 3, 4);
    if (quota) {
      t.numeric(9);
    }
    List<UsageRow> rows = report.rows(by == By.FOLDER ? By.ACCOUNT : by);
    int account = 0;
    for (UsageRow r : rows) {
      String first = switch (r.level()) {
        case DOMAIN -> r.domain();
        case TOTAL -> "TOTAL";
        default -> r.account().orElseThrow().toString();
      };
      String second = switch (r.level()) {
        case DOMAIN -> r.children() + " accounts";
        case ACCOUNT -> r.children() + " folders";
        default -> "";
      };
      t.row(cells(first, second, r.counts(), quota ? r.quota() : null, warn));
      if (by == By.FOLDER && r.level() == UsageRow.Level.ACCOUNT) {
        // rows(ACCOUNT) has the accounts in report order
        for (StorageUsage.FolderUsage f : report.accounts().get(account++).folders()) {
          t.row(cells("", f.folder().toString(), f.counts(), quota ? Optional.empty() : null, warn));
        }
      }
    }
    t.print(out);
    List<String> warnings = new ArrayList<>();
    for (StorageUsage.AccountUsage a : report.accounts()) {
      if (a.quota().isPresent() && a.quota().get().state(warn) != Quota.State.OK) {
        Quota q = a.quota().get();
        warnings.add("  " + a.account() + "  " + percent(q) + " of " + limits(q) + " ("
            + q.state(warn).name().toLowerCase(Locale.ROOT) + ")");
      }
    }
    if (!warnings.isEmpty()) {
      out.println();
      out.println("Quota: " + warnings.size() + " accounts at or above " + warn + " %:");
      warnings.forEach(out::println);
    }
    if (!report.skipped().isEmpty()) {
      out.println();
      out.println("Skipped " + report.skipped().size() + " items:");
      for (Skip s : report.skipped()) {
        out.println("  " + s);
      }
    }
  }

  private static Object[] cells(String first, String second, Counts c, Optional<Quota> quota, int warn) {
    List<Object> cells = new ArrayList<>(List.of(first, second, c.messages(), c.unseen(),
        Table.bytes(c.bytes()), c.oldest().map(DAY::format).orElse(""), c.newest().map(DAY::format).orElse("")));
    if (quota != null) {
      Quota q = quota.orElse(null);
      cells.add(q == null ? "" : limits(q));
      cells.add(q == null ? "" : Table.bytes(q.usedBytes()) + ", " + q.usedMessages() + " msgs");
      cells.add(q == null ? "" : percent(q));
      cells.add(q == null || q.state(warn) == Quota.State.OK ? "" : q.state(warn).name().toLowerCase(Locale.ROOT));
    }
    return cells.toArray();
  }

  private static String limits(Quota q) {
    List<String> parts = new ArrayList<>();
    q.limitBytes().ifPresent(b -> parts.add(Table.bytes(b)));
    q.limitMessages().ifPresent(n -> parts.add(n + " msgs"));
    return parts.isEmpty() ? "no limit" : String.join(", ", parts);
  }

  private static String percent(Quota q) {
    return q.percent().isPresent() ? String.format(Locale.ROOT, "%.1f%%", q.percent().getAsDouble()) : "";
  }

  private static void printCsv(PrintWriter out, StorageUsage.Report report, By by, int warn) throws IOException {
    CSVPrinter csv = new CSVPrinter(out, CSVFormat.DEFAULT.builder().setRecordSeparator('\n')
        .setHeader(CSV_HEADER.toArray(String[]::new)).get());
    for (UsageRow r : report.rows(by)) {
      Counts c = r.counts();
      Quota q = r.quota().orElse(null);
      csv.printRecord(r.level().name().toLowerCase(Locale.ROOT), r.domain(),
          r.account().map(AccountId::toString).orElse(""), r.folder().map(Object::toString).orElse(""),
          c.messages(), c.bytes(), c.unseen(), c.oldest().map(Instant::toString).orElse(""),
          c.newest().map(Instant::toString).orElse(""),
          q == null || q.limitBytes().isEmpty() ? "" : q.limitBytes().getAsLong(),
          q == null || q.limitMessages().isEmpty() ? "" : q.limitMessages().getAsLong(),
          q == null ? "" : q.usedBytes(), q == null ? "" : q.usedMessages(),
          q == null || q.percent().isEmpty() ? "" : String.format(Locale.ROOT, "%.1f", q.percent().getAsDouble()),
          q == null ? "" : q.state(warn).name().toLowerCase(Locale.ROOT));
    }
    csv.flush();
  }

  private static Map<String, Object> toJson(String uri, StorageUsage.Report r, int warn) {
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("store", uri);
    doc.put("warn_percent", warn);
    List<Object> domains = new ArrayList<>();
    for (UsageRow d : r.rows(By.DOMAIN)) {
      if (d.level() == UsageRow.Level.DOMAIN) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("domain", d.domain());
        m.put("accounts", d.children());
        counts(m, d.counts());
        domains.add(m);
      }
    }
    doc.put("domains", domains);
    List<Object> accounts = new ArrayList<>();
    for (StorageUsage.AccountUsage a : r.accounts()) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("account", a.account().toString());
      m.put("domain", a.account().domain());
      counts(m, a.counts());
      m.put("quota", a.quota().map(q -> quota(q, warn)).orElse(null));
      List<Object> fs = new ArrayList<>();
      for (StorageUsage.FolderUsage f : a.folders()) {
        Map<String, Object> fm = new LinkedHashMap<>();
        fm.put("folder", f.folder().toString());
        counts(fm, f.counts());
        fs.add(fm);
      }
      m.put("folders", fs);
      accounts.add(m);
    }
    doc.put("accounts", accounts);
    Map<String, Object> totals = new LinkedHashMap<>();
    totals.put("domains", r.domains());
    totals.put("accounts", r.accounts().size());
    counts(totals, r.total());
    doc.put("totals", totals);
    doc.put("skipped", r.skipped().stream().map(s -> Map.of("subject", s.subject(), "reason", s.reason())).toList());
    return doc;
  }

  private static void counts(Map<String, Object> m, Counts c) {
    m.put("messages", c.messages());
    m.put("bytes", c.bytes());
    m.put("unseen", c.unseen());
    m.put("oldest", c.oldest().map(Instant::toString).orElse(null));
    m.put("newest", c.newest().map(Instant::toString).orElse(null));
  }

  private static Map<String, Object> quota(Quota q, int warn) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("limit_bytes", q.limitBytes().isPresent() ? q.limitBytes().getAsLong() : null);
    m.put("limit_messages", q.limitMessages().isPresent() ? q.limitMessages().getAsLong() : null);
    m.put("used_bytes", q.usedBytes());
    m.put("used_messages", q.usedMessages());
    m.put("percent", q.percent().isPresent() ? Math.round(q.percent().getAsDouble() * 10) / 10.0 : null);
    m.put("state", q.state(warn).name().toLowerCase(Locale.ROOT));
    return m;
  }
}
