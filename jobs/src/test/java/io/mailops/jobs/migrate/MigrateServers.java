package io.mailops.jobs.migrate;

import io.mailops.storage.interop.InteropEnv;
import io.mailops.storage.model.AccountId;
import java.io.IOException;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The real Dovecot of {@code scripts/interop/all.sh start DIR} as {@link MigrateDovecotIT} uses
 * it: the dedicated {@code MIGRATE_USERS} of {@code dovecot.env} (kept out of {@code USERS}, so no
 * other IT writes to them), {@code doveadm} against the private config, the Maildir of a user and
 * the Dovecot log. After ftp-backup's {@code InteropServers}.
 */
record MigrateServers(String imapHost, int imapPort, String password, Path vmail, Path conf,
    Path log, int mailUid, int mailGid, List<String> users) {

  static MigrateServers load() throws IOException {
    Map<String, String> d = InteropEnv.read("dovecot", "IMAP_HOST", "IMAP_PORT", "VMAIL",
        "DOVECOT_CONF", "DOVECOT_LOG", "PASSWORD", "MAIL_UID", "MAIL_GID", "MIGRATE_USERS");
    return new MigrateServers(d.get("IMAP_HOST"), Integer.parseInt(d.get("IMAP_PORT")),
        d.get("PASSWORD"), Path.of(d.get("VMAIL")), Path.of(d.get("DOVECOT_CONF")),
        Path.of(d.get("DOVECOT_LOG")), Integer.parseInt(d.get("MAIL_UID")),
        Integer.parseInt(d.get("MAIL_GID")), List.of(d.get("MIGRATE_USERS").split(",")));
  }

  /** One of the dedicated users; fails with a how-to if the running Dovecot predates them. */
  AccountId user(String address) {
    if (!users.contains(address)) {
      throw new IllegalStateException("dovecot.env MIGRATE_USERS " + users + " lacks " + address
          + "; restart Dovecot with the current scripts/interop/dovecot.sh");
    }
    return AccountId.of(address);
  }

  /** {@code imap://user@host:port?starttls=false} of a dedicated user. */
  String imapUri(AccountId account) {
    return "imap://" + account.toString().replace("@", "%40") + "@" + imapHost + ":" + imapPort
        + "?starttls=false";
  }

  /** Where Dovecot keeps the Maildir of an account ({@code mail_location}). */
  Path maildir(AccountId account) {
    return vmail.resolve(account.domain()).resolve(account.user()).resolve("Maildir");
  }

  /**
   * Empties a dedicated account: ends its sessions and removes its home (Dovecot recreates it on
   * the next login, owned by the mail user).
   */
  void wipe(AccountId account) throws IOException, InterruptedException {
    user(account.toString());
    doveadmMayFail("kick", account.toString());
    Path home = maildir(account).getParent();
    if (Files.exists(home)) {
      try (Stream<Path> s = Files.walk(home)) {
        for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
          Files.delete(p);
        }
      }
    }
  }

  /** {@code doveadm -c CONF args...}; fails unless it exits 0. */
  String doveadm(String... args) throws IOException, InterruptedException {
    String[] r = doveadmMayFail(args);
    if (!r[0].equals("0")) {
      throw new IOException("doveadm " + String.join(" ", args) + " exited " + r[0] + ": "
          + r[2].strip());
    }
    return r[1];
  }

  /** exit code, stdout, stderr. */
  String[] doveadmMayFail(String... args) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of("doveadm", "-c", conf.toString()));
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd)
        .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile())).start();
    CompletableFuture<String> out =
        CompletableFuture.supplyAsync(() -> readAll(p.getInputStream()));
    CompletableFuture<String> err =
        CompletableFuture.supplyAsync(() -> readAll(p.getErrorStream()));
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IOException("doveadm " + String.join(" ", args) + " did not finish in 60 s");
    }
    return new String[] {Integer.toString(p.exitValue()), out.join(), err.join()};
  }

  private static String readAll(InputStream in) {
    try (in) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "(unreadable: " + e + ")";
    }
  }

  long logOffset() throws IOException {
    return Files.size(log);
  }

  /** Dovecot log lines after {@code offset} that report an error or a warning. */
  List<String> problemsSince(long offset) throws IOException {
    try (RandomAccessFile f = new RandomAccessFile(log.toFile(), "r")) {
      long len = f.length();
      if (len <= offset) {
        return List.of();
      }
      byte[] b = new byte[(int) (len - offset)];
      f.seek(offset);
      f.readFully(b);
      return new String(b, StandardCharsets.UTF_8).lines()
          .filter(l -> l.contains("Error:") || l.contains("Panic:") || l.contains("Fatal:")
              || l.contains("Warning:"))
          .toList();
    }
  }

  /** Files and directories below the Maildir of {@code account} not owned by the mail user. */
  List<String> notOwnedByMail(AccountId account) throws IOException {
    List<String> out = new ArrayList<>();
    try (Stream<Path> all = Files.walk(maildir(account))) {
      for (Path p : all.toList()) {
        int uid = (Integer) Files.getAttribute(p, "unix:uid");
        int gid = (Integer) Files.getAttribute(p, "unix:gid");
        if (uid != mailUid || gid != mailGid) {
          out.add(p + " " + uid + ":" + gid + " " + java.nio.file.attribute.PosixFilePermissions
              .toString(Files.getPosixFilePermissions(p)));
        }
      }
    }
    return out;
  }
}
