package io.mailops.jobs.batch.migrate;

import io.mailops.jobs.config.MailOpsSettings;
import io.mailops.migrator.MigrationAccount;
import io.mailops.migrator.MigrationAccounts;
import io.mailops.migrator.NothingNew;
import io.mailops.migrator.wire.WireLook;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.NoSuchAlgorithmException;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * The no-op run's looks at the servers (ADR 0026), started while the command line is still being
 * parsed (docs/adr/0039): for {@code migrate run --accounts FILE [--parallel N] [--config F]}
 * with nothing else given, when every account of FILE has been verified by an earlier run (its
 * state holds a {@code .verified} file), one {@link WireLook} per side of every account begins on
 * a thread of its own as soon as the settings are read. {@link MigrateNoopRun} takes a look whose
 * endpoint (URI, account, auth, from the same file) is the one it would open; a look nobody takes
 * only cost a login, and every look logs out as soon as it has its answer, taken or not.
 */
public final class LookWarmup {

  /** At most this many accounts are looked at ahead (two connections each). */
  static final int MAX_ACCOUNTS = 32;

  private final Path accountsFile;
  private final List<MigrationAccount> accounts;
  private final ExecutorService pool;
  private final Map<String, Future<NothingNew.Side>> looks = new ConcurrentHashMap<>();

  private LookWarmup(Path accountsFile, List<MigrationAccount> accounts) {
    this.accountsFile = accountsFile;
    this.accounts = List.copyOf(accounts);
    this.pool = Executors.newFixedThreadPool(2 * accounts.size(), r -> {
      Thread t = new Thread(r, "migrate-look-ahead");
      t.setDaemon(true);
      return t;
    });
  }

  /** What the rules below read from a command line: the accounts file and {@code --parallel}. */
  public record Line(Path accountsFile, String parallel) {}

  /**
   * The accounts file (and {@code --parallel}, or null) of {@code args} when they are exactly
   * {@code migrate run --accounts FILE} with optionally {@code --parallel N} and {@code --config
   * F} (either form: {@code --x V} or {@code --x=V}), each at most once and none with a value
   * that starts with {@code -}; null otherwise: any other option may change what a look must be
   * (a Maildir side, {@code --insecure}, a connection limit, a dry run, ...), so none is started
   * then, and picocli refuses a repeated option or a missing value.
   */
  public static Line line(String... args) {
    if (args.length < 2 || !args[0].equals("migrate") || !args[1].equals("run")) {
      return null;
    }
    Path file = null;
    String parallel = null;
    Set<String> given = new HashSet<>();
    for (int i = 2; i < args.length; i++) {
      String a = args[i];
      String name = a.contains("=") ? a.substring(0, a.indexOf('=')) : a;
      String value;
      if (a.contains("=")) {
        value = a.substring(a.indexOf('=') + 1);
      } else if (i + 1 < args.length) {
        value = args[++i];
      } else {
        return null;
      }
      if (value.startsWith("-") || !given.add(name)) {
        return null;
      }
      switch (name) {
        case "--accounts" -> file = Path.of(value);
        case "--parallel" -> parallel = value;
        case "--config" -> { }
        default -> {
          return null;
        }
      }
    }
    return file == null ? null : new Line(file, parallel);
  }

  /**
   * Starts the looks for {@code args} under {@code settings} when the rules above allow them;
   * null when none was started. Never throws: a file that cannot be read is the command's to
   * report.
   */
  static LookWarmup start(MailOpsSettings settings, String... args) {
    Line line = line(args);
    if (line == null || !Boolean.parseBoolean(settings.get(MigrateNoopRun.SETTING, "true"))
        || !settings.get("mailops.migrate.max-connections-per-host", "0").equals("0")) {
      return null;
    }
    try {
      int parallel = Integer.parseInt((line.parallel() != null ? line.parallel()
          : settings.get("mailops.migrate.parallel", "4")).trim());
      List<MigrationAccount> accounts = MigrationAccounts.read(line.accountsFile());
      if (accounts.isEmpty() || accounts.size() > Math.min(MAX_ACCOUNTS, parallel)) {
        return null;
      }
      Path home = settings.home();
      for (MigrationAccount a : accounts) {
        if (a.source().isMaildir() || a.target().isMaildir()
            || !verified(MigrateJobConfig.stateDir(home, a))) {
          return null;
        }
      }
      LookWarmup w = new LookWarmup(line.accountsFile(), accounts);
      for (MigrationAccount a : accounts) {
        for (MigrationAccount.Endpoint e : List.of(a.source(), a.target())) {
          w.looks.putIfAbsent(key(e), w.pool.submit(() -> WireLook.of(e, w.pool)));
        }
      }
      return w;
    } catch (IOException | NoSuchAlgorithmException | RuntimeException e) {
      return null; // NumberFormatException too: the command reports a bad --parallel
    }
  }

  /** True when {@code stateDir} holds a verification of an earlier run. */
  private static boolean verified(Path stateDir) throws IOException {
    if (!Files.isDirectory(stateDir)) {
      return false;
    }
    try (DirectoryStream<Path> d = Files.newDirectoryStream(stateDir, "*.verified")) {
      return d.iterator().hasNext();
    }
  }

  private static String key(MigrationAccount.Endpoint e) {
    return e.uri() + "\n" + e.account() + "\n" + e.auth();
  }

  /**
   * The accounts read here from {@code accountsFile} ({@link MigrationAccounts#read}), when it is
   * the file the looks were started for; null otherwise.
   */
  List<MigrationAccount> accounts(Path accountsFile) {
    return Objects.equals(this.accountsFile, accountsFile) ? accounts : null;
  }

  /**
   * The look started here at {@code endpoint}, now the caller's, when the command reads the same
   * accounts file ({@code accountsFile}); null otherwise.
   */
  Future<NothingNew.Side> take(Path accountsFile, MigrationAccount.Endpoint endpoint) {
    if (!Objects.equals(this.accountsFile, accountsFile)) {
      return null;
    }
    return looks.remove(key(endpoint));
  }

  /** Lets the looks under way (and their logouts) end, a second at most. */
  void close() {
    pool.shutdown();
    try {
      pool.awaitTermination(1, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    pool.shutdownNow();
  }
}
