package io.mailops.storage.interop;

import io.mailops.storage.model.AccountId;
import java.io.IOException;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The real Dovecot of {@code scripts/interop/all.sh start DIR} as an IT of another module uses it:
 * a set of dedicated users of {@code dovecot.env} (e.g. {@code BACKUP_USERS} or
 * {@code MIGRATE_USERS}, kept out of {@code USERS}, so no other IT writes to them), {@code doveadm}
 * against the private config, the Maildir of a user and the Dovecot log. Shipped in the
 * storage-tools test-jar; subclass it for what a module adds (e.g. ftp-backup's FTP server).
 */
public class DovecotServer {

  private final String imapHost;
  private final int imapPort;
  private final String password;
  private final Path vmail;
  private final Path conf;
  private final Path log;
  private final int mailUid;
  private final int mailGid;
  private final String usersKey;
  private final List<String> users;

  /** A copy of {@code other}, for subclasses that add to it. */
  protected DovecotServer(DovecotServer other) {
    this(other.imapHost, other.imapPort, other.password, other.vmail, other.conf, other.log,
        other.mailUid, other.mailGid, other.usersKey, other.users);
  }

  public DovecotServer(String imapHost, int imapPort, String password, Path vmail, Path conf,
      Path log, int mailUid, int mailGid, String usersKey, List<String> users) {
    this.imapHost = imapHost;
    this.imapPort = imapPort;
    this.password = password;
    this.vmail = vmail;
    this.conf = conf;
    this.log = log;
    this.mailUid = mailUid;
    this.mailGid = mailGid;
    this.usersKey = usersKey;
    this.users = List.copyOf(users);
  }

  /**
   * Reads {@code $MAILOPS_INTEROP_DIR/dovecot.env} with the dedicated users of {@code usersKey}
   * (a comma-separated list there); fails with a one-line how-to if anything is missing.
   */
  public static DovecotServer load(String usersKey) throws IOException {
    Map<String, String> d = InteropEnv.read("dovecot", "IMAP_HOST", "IMAP_PORT", "VMAIL",
        "DOVECOT_CONF", "DOVECOT_LOG", "PASSWORD", "MAIL_UID", "MAIL_GID", usersKey);
    return new DovecotServer(d.get("IMAP_HOST"), Integer.parseInt(d.get("IMAP_PORT")),
        d.get("PASSWORD"), Path.of(d.get("VMAIL")), Path.of(d.get("DOVECOT_CONF")),
        Path.of(d.get("DOVECOT_LOG")), Integer.parseInt(d.get("MAIL_UID")),
        Integer.parseInt(d.get("MAIL_GID")), usersKey, List.of(d.get(usersKey).split(",")));
  }

  public String imapHost() {
    return imapHost;
  }

  public int imapPort() {
    return imapPort;
  }

  /** The password of every harness user. */
  public String password() {
    return password;
  }

  /** The root of all Maildirs ({@code VMAIL}). */
  public Path vmail() {
    return vmail;
  }

  /** Dovecot's private config. */
  public Path conf() {
    return conf;
  }

  /** Dovecot's log file. */
  public Path log() {
    return log;
  }

  public int mailUid() {
    return mailUid;
  }

  public int mailGid() {
    return mailGid;
  }

  /** The dedicated users. */
  public List<String> users() {
    return users;
  }

  /** One of the dedicated users; fails with a how-to if the running Dovecot predates them. */
  public AccountId user(String address) {
    if (!users.contains(address)) {
      throw new IllegalStateException("dovecot.env " + usersKey + " " + users + " lacks " + address
          + "; restart Dovecot with the current scripts/interop/dovecot.sh");
    }
    return AccountId.of(address);
  }

  /** {@code imap://user@host:port?starttls=false} of an account. */
  public String imapUri(AccountId account) {
    return "imap://" + account.toString().replace("@", "%40") + "@" + imapHost + ":" + imapPort
        + "?starttls=false";
  }

  /** Where Dovecot keeps the Maildir of an account ({@code mail_location}). */
  public Path maildir(AccountId account) {
    return maildir(vmail, account);
  }

  /** Where Dovecot keeps the Maildir of an account ({@code mail_location}) below {@code vmail}. */
  static Path maildir(Path vmail, AccountId account) {
    return vmail.resolve(account.domain()).resolve(account.user()).resolve("Maildir");
  }

  /**
   * Empties a dedicated account: ends its sessions and removes its home (Dovecot recreates it on
   * the next login, owned by the mail user).
   */
  public void wipe(AccountId account) throws IOException, InterruptedException {
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
  public String doveadm(String... args) throws IOException, InterruptedException {
    String[] r = doveadmMayFail(args);
    if (!r[0].equals("0")) {
      throw new IOException("doveadm " + String.join(" ", args) + " exited " + r[0] + ": "
          + r[2].strip());
    }
    return r[1];
  }

  /** exit code, stdout, stderr. */
  public String[] doveadmMayFail(String... args) throws IOException, InterruptedException {
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

  /**
   * {@code doveadm mailbox status -u USER "messages vsize" *}: folder → [messages, vsize], for
   * the selectable folders.
   */
  public Map<String, List<Long>> mailboxStatus(AccountId account)
      throws IOException, InterruptedException {
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

  /** The current end of Dovecot's log, to read only what a test adds after it. */
  public long logOffset() throws IOException {
    return Files.size(log);
  }

  /** Dovecot log lines after {@code offset} that report an error or a warning. */
  public List<String> problemsSince(long offset) throws IOException {
    return linesSince(log, offset).stream()
        .filter(l -> l.contains("Error:") || l.contains("Panic:") || l.contains("Fatal:")
            || l.contains("Warning:"))
        .toList();
  }

  /** The lines of {@code log} written after {@code offset}. */
  static List<String> linesSince(Path log, long offset) throws IOException {
    try (RandomAccessFile f = new RandomAccessFile(log.toFile(), "r")) {
      long len = f.length();
      if (len <= offset) {
        return List.of();
      }
      byte[] b = new byte[(int) (len - offset)];
      f.seek(offset);
      f.readFully(b);
      return new String(b, StandardCharsets.UTF_8).lines().toList();
    }
  }

  /** Files and directories below the Maildir of {@code account} not owned by the mail user. */
  public List<String> notOwnedByMail(AccountId account) throws IOException {
    List<String> out = new ArrayList<>();
    try (Stream<Path> all = Files.walk(maildir(account))) {
      for (Path p : all.toList()) {
        int uid = (Integer) Files.getAttribute(p, "unix:uid");
        int gid = (Integer) Files.getAttribute(p, "unix:gid");
        if (uid != mailUid || gid != mailGid) {
          out.add(p + " " + uid + ":" + gid + " "
              + PosixFilePermissions.toString(Files.getPosixFilePermissions(p)));
        }
      }
    }
    return out;
  }
}
