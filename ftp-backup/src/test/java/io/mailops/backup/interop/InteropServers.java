package io.mailops.backup.interop;

import io.mailops.backup.ftp.FtpSettings;
import io.mailops.backup.ftp.FtpTarget;
import io.mailops.storage.interop.InteropEnv;
import io.mailops.storage.maildir.MaildirLayout;
import io.mailops.storage.maildir.MaildirStore;
import io.mailops.storage.model.AccountId;
import java.io.IOException;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The real Dovecot and vsftpd of {@code scripts/interop/all.sh start DIR} as the backup ITs use
 * them: the dedicated {@code BACKUP_USERS} of {@code dovecot.env} (kept out of {@code USERS}, so
 * no other IT writes to them), {@code doveadm} against the private config, the Maildir of a
 * user, and an {@link FtpTarget} over explicit FTPS below a fresh directory of the FTP home.
 */
record InteropServers(String imapHost, int imapPort, String password, Path vmail, Path conf,
    Path log, int mailUid, int mailGid, List<String> backupUsers, Map<String, String> ftp) {

  static InteropServers load() throws IOException {
    Map<String, String> d = InteropEnv.read("dovecot", "IMAP_HOST", "IMAP_PORT", "VMAIL",
        "DOVECOT_CONF", "DOVECOT_LOG", "PASSWORD", "MAIL_UID", "MAIL_GID", "BACKUP_USERS");
    Map<String, String> f = InteropEnv.read("vsftpd", "FTP_HOST", "FTP_PORT", "FTP_USER",
        "FTP_PASSWORD", "FTP_ROOT", "FTP_CERT");
    return new InteropServers(d.get("IMAP_HOST"), Integer.parseInt(d.get("IMAP_PORT")),
        d.get("PASSWORD"), Path.of(d.get("VMAIL")), Path.of(d.get("DOVECOT_CONF")),
        Path.of(d.get("DOVECOT_LOG")), Integer.parseInt(d.get("MAIL_UID")),
        Integer.parseInt(d.get("MAIL_GID")), List.of(d.get("BACKUP_USERS").split(",")), f);
  }

  /** One of the dedicated users; fails with a how-to if the running Dovecot predates them. */
  AccountId user(String address) {
    if (!backupUsers.contains(address)) {
      throw new IllegalStateException("dovecot.env BACKUP_USERS " + backupUsers + " lacks " + address
          + "; restart Dovecot with the current scripts/interop/dovecot.sh");
    }
    return AccountId.of(address);
  }

  /** Where Dovecot keeps the Maildir of an account ({@code mail_location}). */
  Path maildir(AccountId account) {
    return vmail.resolve(account.domain()).resolve(account.user()).resolve("Maildir");
  }

  /** All accounts of the harness, as Dovecot lays them out. */
  MaildirStore vmailStore() {
    return new MaildirStore(vmail, MaildirLayout.standard(), MaildirStore.Settings.defaults());
  }

  /**
   * The Maildir of {@code physical} as a store that holds only {@code logical}: a restore of
   * {@code logical}'s set appends into {@code physical}'s Maildir.
   */
  MaildirStore storeAs(AccountId physical, AccountId logical) {
    return new MaildirStore(maildir(physical), new MaildirLayout("", logical.domain(), logical),
        MaildirStore.Settings.defaults());
  }

  /**
   * Empties a dedicated account: ends its sessions and removes its home (Dovecot recreates it
   * on the next login, owned by the mail user).
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
      throw new IOException("doveadm " + String.join(" ", args) + " exited " + r[0] + ": " + r[2].strip());
    }
    return r[1];
  }

  /** exit code, stdout, stderr. */
  String[] doveadmMayFail(String... args) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of("doveadm", "-c", conf.toString()));
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
        .start();
    CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> readAll(p.getInputStream()));
    CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> readAll(p.getErrorStream()));
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

  /**
   * {@code doveadm mailbox status -u USER "messages vsize" *}: folder → [messages, vsize], for
   * the selectable folders.
   */
  Map<String, List<Long>> mailboxStatus(AccountId account) throws IOException, InterruptedException {
    String out = doveadm("-f", "tab", "mailbox", "status", "-u", account.toString(),
        "messages vsize", "*");
    Map<String, List<Long>> m = new TreeMap<>();
    List<String> lines = out.lines().toList();
    // header: mailbox messages vsize
    for (String line : lines.subList(1, lines.size())) {
      String[] c = line.split("\t");
      m.put(c[0], List.of(Long.parseLong(c[1]), Long.parseLong(c[2])));
    }
    return m;
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

  /** FTPS (explicit, the harness CA) below {@code dir} of the FTP home. */
  FtpTarget ftpTarget(String dir) throws IOException {
    FtpSettings s = FtpSettings.parse("ftps://" + ftp.get("FTP_USER") + "@" + ftp.get("FTP_HOST")
            + ":" + ftp.get("FTP_PORT") + "/" + dir)
        .withTimeouts(Duration.ofSeconds(10), Duration.ofSeconds(60))
        .withRetries(3, Duration.ofMillis(200))
        .withCaFile(Path.of(ftp.get("FTP_CERT")));
    return new FtpTarget(s, () -> ftp.get("FTP_PASSWORD").toCharArray());
  }

  /** The directory {@code dir} of the FTP home on disk. */
  Path ftpDir(String dir) {
    return Path.of(ftp.get("FTP_ROOT"), dir);
  }
}
