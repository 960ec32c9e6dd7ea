package io.mailops.jobs;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The training run behind {@code bin/mailops}'s class-data archive: runs the common commands once
 * on a throw-away sample store and local backup target, so that the archive the JVM writes at
 * exit ({@code -XX:ArchiveClassesAtExit}) holds the classes of every command, not only of the
 * first one a user happened to run (docs/adr/0004-jvm-flags.md). Writes nothing outside its
 * temporary directory; what the commands print is discarded.
 */
final class CdsTraining {

  private CdsTraining() {}

  /**
   * A backup set of the sample store written through the library: {@code backup run} would start
   * Spring, whose classes would triple the archive and slow every short command's start by
   * ~0.1 s (mapping the archive); the batch commands start Spring anyway and gain little.
   */
  private static void backupSet(Path dir) {
    try (var store = new io.mailops.storage.maildir.MaildirStore(dir.resolve("sample"),
        io.mailops.storage.maildir.MaildirLayout.standard(),
        io.mailops.storage.maildir.MaildirStore.Settings.defaults())) {
      Path work = Files.createDirectories(dir.resolve("work"));
      new io.mailops.backup.Backup(store,
          new io.mailops.backup.local.LocalDirectoryTarget(dir.resolve("backups")),
          java.time.Clock.systemUTC(), work)
          .run(io.mailops.backup.Scope.ALL, io.mailops.backup.SetId.Kind.FULL, null,
              io.mailops.backup.Backup.Listener.NONE);
    } catch (IOException | RuntimeException e) {
      // training only: the archive then lacks some classes
    }
  }

  /** Runs the training; returns 0, or 1 if the temporary directory could not be made. */
  static int run() {
    Path dir;
    try {
      dir = Files.createTempDirectory("mailops-cds-");
    } catch (IOException e) {
      return 1;
    }
    try {
      Map<String, String> env = Map.of("MAILOPS_HOME", dir.resolve("home").toString(),
          "HOME", dir.toString());
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
          List.of("backup", "list", "--to", target),
          List.of("backup", "verify", "--deep", "--to", target),
          List.of("backup", "restore", "--scope", "example.com", "--to", target, "--into", into),
          List.of("migrate", "run", "--help"));
      for (List<String> c : commands) {
        PrintWriter sink = new PrintWriter(Writer.nullWriter());
        MailOpsCli.execute(sink, sink, env, false, c.toArray(String[]::new));
        if (c.get(0).equals("queue")) {
          backupSet(dir); // the set the backup commands below read, without Spring (see class doc)
        }
      }
      return 0;
    } finally {
      try (Stream<Path> s = Files.walk(dir)) {
        s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      } catch (IOException e) {
        // a temporary directory; the OS cleans it up eventually
      }
    }
  }
}
