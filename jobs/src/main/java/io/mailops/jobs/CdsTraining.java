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
import java.util.Set;
import java.util.function.Consumer;
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

  /**
   * A few minutes of a mail log in both timestamp styles, one line per kind the summary counts,
   * for {@code report summary}: its parser and counting classes, not the sample store's.
   */
  private static Path mailLog(Path dir) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < 40; i++) {
      String id = queueId(i);
      String t = String.format("Feb  2 12:%02d:%02d mx1 ", i % 60, i % 57);
      b.append(t).append("postfix/smtpd[2101]: connect from mail.example.net[192.0.2.10]\n")
          .append(t).append("postfix/smtpd[2101]: ").append(id).append(": client=mail.example.net[192.0.2.10]\n")
          .append(t).append("postfix/cleanup[2102]: ").append(id).append(": message-id=<").append(i)
          .append("@example.net>\n")
          .append(t).append("postfix/qmgr[900]: ").append(id).append(": from=<bob").append(i % 7)
          .append("@example.net>, size=").append(1000 + i).append(", nrcpt=1 (queue active)\n")
          .append(t).append("postfix/lmtp[2103]: ").append(id).append(": to=<carol@example.org>, relay=mail"
              + ".example.org[private/dovecot-lmtp], delay=0.61, delays=0.2/0.02/0.28/0.1, dsn=2.0.0, status=sent"
              + " (250 2.0.0 <carol@example.org> Saved)\n")
          .append(t).append("postfix/smtp[2200]: ").append(id).append(": to=<dan@example.com>, relay=none, delay=300,"
              + " delays=0.1/0/300/0, dsn=4.4.1, status=deferred (connect to mx.example.com[203.0.113.25]:25:"
              + " Connection timed out)\n")
          .append(t).append("postfix/smtp[2201]: ").append(id).append(": to=<eve@example.com>, relay=mx.example.com"
              + "[203.0.113.25]:25, delay=0.5, delays=0.1/0/0.2/0.2, dsn=5.1.1, status=bounced (host"
              + " mx.example.com[203.0.113.25] said: 550 5.1.1 User unknown (in reply to RCPT TO command))\n")
          .append(t).append("postfix/qmgr[900]: ").append(id).append(": removed\n")
          .append(t).append("postfix/smtpd[2300]: NOQUEUE: reject: RCPT from unknown[203.0.113.9]: 554 5.7.1"
              + " <x@example.org>: Relay access denied; from=<spam@example.biz> to=<x@example.org> proto=ESMTP"
              + " helo=<bad>\n")
          .append(t).append("dovecot: imap-login: Login: user=<carol@example.org>, method=PLAIN,"
              + " rip=198.51.100.20, lip=192.0.2.1, mpid=3101, TLS, session=<e5MLrgYvcMZ/AAAB>\n")
          .append("2025-02-02T12:38:00.211184+00:00 mx1 dovecot[834]: imap-login: Logged in:"
              + " user=<carol@example.org>, method=PLAIN, rip=198.51.100.20, lip=192.0.2.1, mpid=3130, TLS,"
              + " session=<x1>\n")
          .append(t).append("cron[77]: (root) CMD (run-parts /etc/cron.hourly)\n");
    }
    Path log = dir.resolve("mail.log");
    try {
      Files.writeString(log, b, StandardCharsets.US_ASCII);
    } catch (IOException e) {
      // training only: the summary then reports a missing file
    }
    return log;
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

  /** The commands the no-op look of a migration sends (greeting aside). */
  static final Set<String> LOOK = Set.of("CAPABILITY", "LOGIN", "LIST", "STATUS", "LOGOUT");

  /**
   * What the training of {@code migrate run} saw in its last run: the exit code and output of the
   * run with nothing new, and the commands the scripted server was sent.
   */
  record Migrated(int exit, String output, Set<String> commands) {

    /**
     * True when the run was answered by the no-op fast path: done, and the server saw the look
     * and nothing else (the job would have selected folders, which the scripted server refuses).
     */
    boolean fastPath() {
      return exit == 0 && output.contains("Migration done: 1 account(s), 0 failed")
          && commands.contains("STATUS") && LOOK.containsAll(commands);
    }
  }

  /**
   * The training behind {@code bin/mailops}'s archive of {@code migrate run} (docs/adr/0015 and
   * 0028): a run against a closed port (Spring Boot, Spring Batch, H2 and the job, which fails at
   * connect), then, on a {@link TrainingImap} server, the run with nothing new that the fast path
   * answers — after a completed, verified migration of one account recorded by the code that
   * records it ({@link io.mailops.jobs.batch.migrate.NoopTraining}): the job repository opened as
   * it exists, the look, {@code NothingNew}, the recording and the reports. Returns 0, or 1 if
   * the fast path was not reached (the archive then lacks its classes) or the temporary
   * directory could not be made.
   */
  static int runMigrate() {
    boolean[] fast = {false};
    int made = inTempDir(dir -> fast[0] = migrate(dir).fastPath());
    return made == 0 && fast[0] ? 0 : 1;
  }

  /** {@link #runMigrate} in {@code dir}. */
  static Migrated migrate(Path dir) {
    try {
      Map<String, String> env = env(dir);
      Path password = Files.writeString(dir.resolve("password"), "x\n");
      execute(env, List.of("migrate", "run", "--accounts",
          accounts(dir.resolve("closed.csv"), 1, password).toString()));
      Map<io.mailops.storage.model.FolderPath, io.mailops.migrator.FolderStatus> folders = Map.of(
          io.mailops.storage.model.FolderPath.INBOX,
          new io.mailops.migrator.FolderStatus(1_700_000_001L, 4, 3, 12),
          io.mailops.storage.model.FolderPath.of("Sent"),
          new io.mailops.migrator.FolderStatus(1_700_000_002L, 2, 1, 3));
      Map<String, String> status = new java.util.HashMap<>();
      folders.forEach((f, st) -> status.put(f.toString(), String.format(
          "UIDVALIDITY %d UIDNEXT %d MESSAGES %d HIGHESTMODSEQ %d", st.uidValidity(),
          st.uidNext(), st.messages(), st.highestModSeq())));
      try (TrainingImap imap = new TrainingImap(status)) {
        Path csv = accounts(dir.resolve("accounts.csv"), imap.port(), password);
        // the options of a plain 'migrate run --accounts CSV' (MigrateOptions' defaults)
        var request = new io.mailops.jobs.batch.migrate.MigrateRequest(csv, null, null, null, null,
            List.of(), List.of(), List.of(), false, false, false,
            io.mailops.migrator.Fingerprint.Mode.HEADERS, false);
        io.mailops.jobs.batch.migrate.NoopTraining.completed(
            io.mailops.jobs.config.MailOpsSettings.load(env, null), request,
            request.accounts(env), folders);
        java.io.StringWriter output = new java.io.StringWriter();
        PrintWriter sink = new PrintWriter(Writer.nullWriter());
        int exit = MailOpsCli.execute(new PrintWriter(output), sink, env, false, "migrate", "run",
            "--accounts", csv.toString());
        return new Migrated(exit, output.toString(), imap.commands());
      }
    } catch (Exception e) {
      return new Migrated(-1, e.toString(), Set.of());
    }
  }

  /** An accounts file of one account, both sides on 127.0.0.1:{@code port} without TLS. */
  private static Path accounts(Path file, int port, Path password) throws IOException {
    return Files.writeString(file, "source_host,source_port,source_security,source_user,"
        + "source_password_file,target_host,target_port,target_security,target_user,"
        + "target_password_file\n127.0.0.1," + port + ",none,a@cds.invalid," + password
        + ",127.0.0.1," + port + ",none,b@cds.invalid," + password + "\n");
  }

  /**
   * The training behind {@code bin/mailops}'s archive for {@code backup restore|list|verify}
   * (ADR 0029): a full and an incremental set (a delta folder manifest) of a small sample store,
   * read through the commands over explicit FTPS from an in-process {@link TrainingFtpsServer}
   * (two one-message restores by Message-ID from {@code latest}, a listing) and from the local
   * target (an account restore, a one-message restore, a listing, a deep verification). The archive then holds Bouncy Castle's TLS client, Commons
   * Net and the restore path, which the general archive (trained on local targets only) lacks.
   * Returns 0, or 1 if the temporary directory could not be made.
   */
  static int runRestore() {
    return inTempDir(dir -> {
      Map<String, String> env = env(dir);
      Path sample = dir.resolve("sample");
      execute(env, List.of("storage", "sample", "--out", sample.toString(), "--domains", "1",
          "--accounts", "1", "--messages", "40"));
      Path backups = dir.resolve("backups");
      try (var store = new io.mailops.storage.maildir.MaildirStore(sample,
          io.mailops.storage.maildir.MaildirLayout.standard(),
          io.mailops.storage.maildir.MaildirStore.Settings.defaults())) {
        Path work = Files.createDirectories(dir.resolve("work"));
        var target = new io.mailops.backup.local.LocalDirectoryTarget(backups);
        java.time.Clock clock = java.time.Clock.systemUTC();
        new io.mailops.backup.Backup(store, target, clock, work).run(io.mailops.backup.Scope.ALL,
            io.mailops.backup.SetId.Kind.FULL, null, io.mailops.backup.Backup.Listener.NONE);
        Path one = firstInboxMessage(sample);
        // flag another INBOX message, so that the incremental stores INBOX's manifest as a delta
        try (Stream<Path> cur = Files.list(one.getParent())) {
          Path other = cur.filter(p -> !p.equals(one)).sorted().findFirst().orElseThrow();
          String n = other.getFileName().toString();
          int colon = n.indexOf(":2,");
          String flagged = colon < 0 ? n + ":2,F" : n.substring(0, colon) + ":2,F"
              + n.substring(colon + 3).replace("F", "");
          Files.move(other, other.resolveSibling(flagged));
        }
        new io.mailops.backup.Backup(store, target,
            java.time.Clock.offset(clock, java.time.Duration.ofSeconds(2)), work)
            .run(io.mailops.backup.Scope.ALL, io.mailops.backup.SetId.Kind.INCREMENTAL, null,
                io.mailops.backup.Backup.Listener.NONE);
        String account = one.getParent().getParent().getParent().getFileName() + "@"
            + one.getParent().getParent().getParent().getParent().getFileName();
        String messageId = messageId(one);
        Path pw = Files.writeString(dir.resolve("ftp.pw"), "training\n");
        Path ca = dir.resolve("ca.pem");
        try (TrainingFtpsServer server = new TrainingFtpsServer(dir, ca)) {
          String ftps = "ftps://training@127.0.0.1:" + server.port() + "/backups";
          List<String> tls = List.of("--password-file", pw.toString(), "--ca-file", ca.toString());
          for (int i = 0; i < 2; i++) { // the second time with warm caches, as a user's run
            execute(env, concat(List.of("backup", "restore", "latest", "--scope", account + "/INBOX",
                "--message-id", messageId, "--to", ftps, "--into",
                "maildir:" + dir.resolve("one" + i)), tls));
          }
          execute(env, concat(List.of("backup", "list", "--to", ftps), tls));
        }
        String local = "file:" + backups;
        execute(env, List.of("backup", "restore", "--scope", account, "--to", local, "--into",
            "maildir:" + dir.resolve("account")));
        execute(env, List.of("backup", "restore", "latest", "--scope", account + "/INBOX",
            "--message-id", messageId, "--to", local, "--into", "maildir:" + dir.resolve("local")));
        execute(env, List.of("backup", "list", "--to", local));
        execute(env, List.of("backup", "verify", "--deep", "--to", local));
      } catch (Exception e) {
        // training only: the archive then lacks some classes
      }
    });
  }

  /**
   * The first message with a Message-ID in the sample's first account's INBOX
   * ({@code DOMAIN/USER/Maildir/cur/NAME}).
   */
  private static Path firstInboxMessage(Path sample) throws IOException {
    try (Stream<Path> s = Files.walk(sample)) {
      for (Path p : (Iterable<Path>) s.filter(p -> p.getParent().getFileName().toString().equals("cur")
          && p.getParent().getParent().getFileName().toString().equals("Maildir")).sorted()::iterator) {
        if (messageId(p) != null) {
          return p;
        }
      }
    }
    throw new IOException("no INBOX message with a Message-ID in " + sample);
  }

  /** The Message-ID of message file {@code f} without its angle brackets, or null if none. */
  private static String messageId(Path f) throws IOException {
    for (String line : Files.readAllLines(f, StandardCharsets.ISO_8859_1)) {
      if (line.isEmpty()) {
        break;
      }
      if (line.regionMatches(true, 0, "Message-ID:", 0, 11)) {
        String v = line.substring(11).trim();
        return v.startsWith("<") && v.endsWith(">") ? v.substring(1, v.length() - 1) : v;
      }
    }
    return null;
  }

  private static List<String> concat(List<String> a, List<String> b) {
    return Stream.concat(a.stream(), b.stream()).toList();
  }

  /** Runs {@code training} in a new temporary directory, removed afterwards; 0, or 1 if it could not be made. */
  private static int inTempDir(Consumer<Path> training) {
    Path dir;
    try {
      dir = Files.createTempDirectory("mailops-cds-");
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

  private static Map<String, String> env(Path dir) {
    return Map.of("MAILOPS_HOME", dir.resolve("home").toString(), "HOME", dir.toString());
  }

  /** {@code mailops ARGS} in this JVM, its output dropped. */
  private static void execute(Map<String, String> env, List<String> args) {
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
      postfixQueue(dir.resolve("queue"));
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
          List.of("queue", "show", queueId(0), "--queue-dir", dir.resolve("queue").toString()),
          List.of("backup", "list", "--to", target),
          List.of("backup", "verify", "--deep", "--to", target),
          List.of("backup", "restore", "--scope", "example.com", "--to", target, "--into", into),
          List.of("report", "summary", "--logs", mailLog(dir).toString(), "--json"),
          List.of("report", "summary", "--logs", dir.resolve("mail.log").toString()),
          List.of("migrate", "run", "--help"));
      for (List<String> c : commands) {
        execute(env, c);
        if (c.get(0).equals("queue")) {
          backupSet(dir); // the set the backup commands below read, without Spring (see class doc)
        }
      }
    });
  }
}
