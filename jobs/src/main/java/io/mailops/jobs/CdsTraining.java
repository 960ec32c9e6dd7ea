package io.mailops.jobs;

import io.mailops.backup.Backup;
import io.mailops.backup.BackupTarget;
import io.mailops.backup.Scope;
import io.mailops.backup.SetId;
import io.mailops.backup.local.LocalDirectoryTarget;
import io.mailops.storage.maildir.MaildirLayout;
import io.mailops.storage.maildir.MaildirStore;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * The training run behind {@code bin/mailops}'s class-data archive: runs the common commands once
 * on a throw-away sample store and local backup target, so that the archive the JVM writes at
 * exit ({@code -XX:ArchiveClassesAtExit}) holds the classes of every command, not only of the
 * first one a user happened to run (docs/adr/0004-jvm-flags.md). Writes nothing outside its
 * temporary directory; what the commands print is discarded. The archives of {@code migrate run}
 * and of {@code backup restore|list|verify} have their own trainings ({@link MigrateTraining},
 * {@link RestoreTraining}); this class also holds the helpers they share.
 */
final class CdsTraining {

  private CdsTraining() {}

  /**
   * A {@code kind} set of the Maildir store at {@code store} written through the library into
   * {@code target}: {@code backup run} would start Spring, whose classes would triple the general
   * archive and slow every short command's start by ~0.1 s (mapping the archive); the batch
   * commands start Spring anyway and gain little.
   */
  static void backup(Path store, BackupTarget target, Clock clock, Path work, SetId.Kind kind) {
    try (var s = new MaildirStore(store, MaildirLayout.standard(), MaildirStore.Settings.defaults())) {
      new Backup(s, target, clock, Files.createDirectories(work))
          .run(Scope.ALL, kind, null, Backup.Listener.NONE);
    } catch (IOException | RuntimeException e) {
      // training only: the archive then lacks some classes
    }
  }

  /**
   * The training behind {@code bin/mailops}'s archive for the commands that only start the Spring
   * Batch application to read the job repository ({@code jobs list|history|restart}, {@code
   * migrate status}; docs/adr/0021): Spring Boot, Spring Batch, H2 and Hikari, with a repository
   * that is created (first use), then holds a backup execution, and is opened again by each
   * listing. Returns 0, or 1 if the temporary directory could not be made.
   */
  static int runJobs() {
    return inTempDir(dir -> {
      Map<String, String> env = env(dir);
      String store = "maildir:" + dir.resolve("sample");
      List<List<String>> commands = List.of(
          List.of("jobs", "list"),
          List.of("storage", "sample", "--out", dir.resolve("sample").toString(), "--domains", "1",
              "--accounts", "1", "--messages", "3"),
          List.of("backup", "run", "--full", "--storage", store, "--to", "file:" + dir.resolve("backups")),
          List.of("jobs", "list"),
          List.of("jobs", "list", "--json"),
          List.of("jobs", "history"),
          List.of("jobs", "history", "--failed", "--json"),
          List.of("jobs", "history", "backup", "--limit", "1"),
          List.of("jobs", "restart", "1"),
          List.of("migrate", "status"),
          List.of("migrate", "status", "--json"));
      commands.forEach(c -> execute(env, c));
    });
  }

  /** Runs {@code training} in a new temporary directory, removed afterwards; 0, or 1 if it could not be made. */
  static int inTempDir(Consumer<Path> training) {
    Path dir;
    try {
      dir = Files.createTempDirectory("mailops-cds-");
      siteConfiguration(dir.resolve("home"));
    } catch (IOException e) {
      return 1;
    }
    try {
      training.accept(dir);
      return 0;
    } finally {
      delete(dir);
    }
  }

  /**
   * A {@code mailops.yml} in the training's home ({@code home}), as most sites have one: every
   * command then parses it with SnakeYAML, whose ~135 classes the archive would otherwise lack
   * (loaded from the jar and verified: ~70 ms of CPU per command at a site with a configuration
   * file; docs/adr/0052). It sets the shipped defaults' own values: the training runs as before.
   */
  static void siteConfiguration(Path home) throws IOException {
    Files.createDirectories(home);
    Files.writeString(home.resolve("mailops.yml"), "# written by the class-data training\n"
        + "mailops:\n  migrate:\n    parallel: 4\n    max-connections-per-host: 0\n"
        + "  backup:\n    keep-monthly: 12\n");
  }

  static Map<String, String> env(Path dir) {
    return Map.of("MAILOPS_HOME", dir.resolve("home").toString(), "HOME", dir.toString());
  }

  /** {@code mailops ARGS} in this JVM, its output dropped. */
  static void execute(Map<String, String> env, List<String> args) {
    PrintWriter sink = new PrintWriter(Writer.nullWriter());
    MailOpsCli.execute(sink, sink, env, false, args.toArray(String[]::new));
  }

  private static void delete(Path dir) {
    try (Stream<Path> s = Files.walk(dir)) {
      s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // a temporary directory; the OS cleans it up eventually
    }
  }

  /** Runs the training; returns 0, or 1 if the temporary directory could not be made. */
  static int run() {
    return inTempDir(dir -> {
      TrainingData.postfixQueue(dir.resolve("queue"));
      Map<String, String> env = env(dir);
      String store = "maildir:" + dir.resolve("sample");
      String target = "file:" + dir.resolve("backups");
      String into = "maildir:" + dir.resolve("restored");
      List<List<String>> commands = List.of(
          List.of("--help"),
          List.of("storage", "sample", "--out", dir.resolve("sample").toString(), "--domains", "1",
              "--accounts", "2", "--messages", "12"),
          List.of("storage", "usage", "--storage", store, "--by", "folder", "--json"),
          List.of("storage", "check", "--storage", store),
          List.of("queue", "list", "--queue-dir", dir.resolve("no-queue").toString(), "--json"),
          List.of("queue", "list", "--queue-dir", dir.resolve("queue").toString(), "--json"),
          List.of("queue", "list", "--queue-dir", dir.resolve("queue").toString()),
          List.of("queue", "show", TrainingData.queueId(0), "--queue-dir", dir.resolve("queue").toString()),
          List.of("backup", "list", "--to", target),
          List.of("backup", "verify", "--deep", "--to", target),
          List.of("backup", "restore", "--scope", "example.com", "--to", target, "--into", into),
          List.of("report", "summary", "--logs", TrainingData.mailLog(dir).toString(), "--json"),
          List.of("report", "summary", "--logs", dir.resolve("mail.log").toString()),
          List.of("migrate", "run", "--help"));
      for (List<String> c : commands) {
        execute(env, c);
        if (c.get(0).equals("queue")) {
          // the set the backup commands below read, without Spring (see backup())
          backup(dir.resolve("sample"), new LocalDirectoryTarget(dir.resolve("backups")),
              Clock.systemUTC(), dir.resolve("work"), SetId.Kind.FULL);
        }
      }
    });
  }
}
