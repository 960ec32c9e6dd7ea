package io.mailops.jobs;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
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

  /** The short queue ID of the {@code i}-th training message. */
  private static String queueId(int i) {
    return String.format("%05X%X", 0xA0000 + i * 977, 0x40000 + i);
  }

  /**
   * A small Postfix queue of deferred messages with their {@code defer/} logs, in Postfix's
   * record format, for {@code queue list|show}: more messages than the reader needs to use its
   * threads, one with quotes and a control character to escape in JSON.
   */
  private static void postfixQueue(Path queue) {
    try {
      for (int i = 0; i < 80; i++) {
        String id = queueId(i);
        String rcpt = (i % 7 == 0 ? "\"john doe\"" : "rcpt" + i) + "@dest" + i % 5 + ".invalid";
        ByteArrayOutputStream env = new ByteArrayOutputStream();
        record(env, 'T', (1_795_000_000L + i) + " 0");
        record(env, 'A', "rewrite_context=remote");
        record(env, 'S', "sender" + i % 3 + "@example.com");
        record(env, 'O', rcpt);
        int rcptAt = 97 + env.size();
        record(env, 'R', rcpt);
        ByteArrayOutputStream content = new ByteArrayOutputStream();
        record(content, 'N', "Subject: training " + i);
        record(content, 'N', "");
        record(content, 'N', "body line " + i);
        ByteArrayOutputStream file = new ByteArrayOutputStream();
        record(file, 'C', String.format("%15d %15d %15d %15d %15d %15d", content.size(),
            97 + env.size() + 2, 1, 0, content.size(), 0));
        env.writeTo(file);
        record(file, 'M', "");
        content.writeTo(file);
        record(file, 'X', "");
        record(file, 'E', "");
        Path f = Files.createDirectories(queue.resolve("deferred").resolve(id.substring(0, 1))).resolve(id);
        Files.write(f, file.toByteArray());
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString(i == 3 ? "rwx--x---" : "rwx------"));
        Path log = Files.createDirectories(queue.resolve("defer").resolve(id.substring(0, 1))).resolve(id);
        Files.writeString(log, "recipient=" + rcpt + "\noffset=" + rcptAt + "\nstatus=4.4.1\naction=delayed\n"
            + "reason=connect to dest" + i % 5 + ".invalid[127.0.0.1]:25: Connection refused"
            + (i == 5 ? "\u0001\u00e9" : "") + "\n\n");
      }
    } catch (IOException | UnsupportedOperationException e) {
      // training only: the archive then lacks the queue reader's classes
    }
  }

  /** Appends one queue file record: type, length in 7-bit groups (low first), data. */
  private static void record(ByteArrayOutputStream out, char type, String data) {
    byte[] b = data.getBytes(StandardCharsets.UTF_8);
    out.write(type);
    int len = b.length;
    do {
      int g = len & 0x7f;
      len >>>= 7;
      out.write(len != 0 ? g | 0x80 : g);
    } while (len != 0);
    out.writeBytes(b);
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
      postfixQueue(dir.resolve("queue"));
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
          List.of("queue", "list", "--queue-dir", dir.resolve("queue").toString(), "--json"),
          List.of("queue", "list", "--queue-dir", dir.resolve("queue").toString()),
          List.of("queue", "show", queueId(0), "--queue-dir", dir.resolve("queue").toString()),
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
