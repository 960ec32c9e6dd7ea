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
          List.of("backup", "run", "--storage", store, "--to", target),
          List.of("backup", "list", "--to", target),
          List.of("backup", "verify", "--deep", "--to", target),
          List.of("backup", "restore", "--scope", "example.com", "--to", target, "--into", into),
          List.of("jobs", "history"),
          List.of("migrate", "run", "--help"));
      for (List<String> c : commands) {
        PrintWriter sink = new PrintWriter(Writer.nullWriter());
        MailOpsCli.execute(sink, sink, env, false, c.toArray(String[]::new));
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
