package io.mailops.jobs;

import static io.mailops.jobs.CdsTraining.backup;
import static io.mailops.jobs.CdsTraining.env;
import static io.mailops.jobs.CdsTraining.execute;
import static io.mailops.jobs.CdsTraining.inTempDir;

import io.mailops.backup.SetId;
import io.mailops.backup.local.LocalDirectoryTarget;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The training behind {@code bin/mailops}'s class-data archive for {@code backup
 * restore|list|verify} ({@code --cds-training=restore}; docs/adr/0029).
 */
final class RestoreTraining {

  private RestoreTraining() {}

  /**
   * A full and an incremental set (a delta folder manifest) of a small sample store, read through
   * the commands over explicit FTPS from an in-process {@link TrainingFtpsServer} (two
   * one-message restores by Message-ID from {@code latest}, a listing) and from the local target
   * (an account restore, a one-message restore, a listing, a deep verification). The archive then
   * holds Bouncy Castle's TLS client, Commons Net and the restore path, which the general archive
   * (trained on local targets only) lacks. Returns 0, or 1 if the temporary directory could not
   * be made.
   */
  static int run() {
    return inTempDir(dir -> {
      Map<String, String> env = env(dir);
      Path sample = dir.resolve("sample");
      execute(env, List.of("storage", "sample", "--out", sample.toString(), "--domains", "1",
          "--accounts", "1", "--messages", "40"));
      Path backups = dir.resolve("backups");
      try {
        var target = new LocalDirectoryTarget(backups);
        Clock clock = Clock.systemUTC();
        backup(sample, target, clock, dir.resolve("work"), SetId.Kind.FULL);
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
        backup(sample, target, Clock.offset(clock, Duration.ofSeconds(2)), dir.resolve("work"),
            SetId.Kind.INCREMENTAL);
        Path user = one.getParent().getParent().getParent();
        String account = user.getFileName() + "@" + user.getParent().getFileName();
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
}
