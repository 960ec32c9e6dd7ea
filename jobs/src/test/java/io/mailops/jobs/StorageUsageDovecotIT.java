package io.mailops.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.mail.Flags;
import jakarta.mail.Folder;
import jakarta.mail.Message;
import jakarta.mail.Session;
import jakarta.mail.Store;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import io.mailops.storage.interop.InteropEnv;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code mailops storage usage} over the Maildir of the real Dovecot 2.3 that
 * {@code scripts/interop/dovecot.sh start DIR} runs (found through {@code MAILOPS_INTEROP_DIR}),
 * against Dovecot's own numbers.
 *
 * <p>What is compared, per folder of the account: {@code messages} and {@code unseen} equal
 * {@code doveadm mailbox status messages unseen}; {@code oldest}/{@code newest} equal the lowest
 * and highest {@code date.received} of {@code doveadm fetch}. Sizes: our {@code bytes} is the
 * physical size (the {@code S=} in the file names, as Dovecot stores messages with LF line ends)
 * and must equal the sum of the file sizes in {@code new/} and {@code cur/}. Dovecot's
 * {@code vsize} is the size with CRLF line ends (the {@code W=} in the names, RFC822.SIZE over
 * IMAP), which mailops does not report: it is checked to equal file size + bare LFs, summed over
 * the files, so the relation of the two numbers is pinned down. The quota: after Dovecot itself
 * wrote {@code maildirsize} ({@code doveadm quota recalc} with the quota plugin switched on by
 * {@code -o}), our quota columns equal {@code doveadm quota get} and its byte usage equals our
 * byte total. Each measurement is repeated until Dovecot's numbers did not change around ours,
 * so other tests writing to the same server meanwhile do not make this one flaky.
 */
class StorageUsageDovecotIT {

  static final String USER = "bob@example.com";
  static final List<String> QUOTA = List.of("-o", "mail_plugins=quota", "-o", "plugin/quota=maildir:User quota",
      "-o", "plugin/quota_rule=*:storage=10M:messages=1000");

  @TempDir
  Path home;

  static Path vmail;
  static Path conf;
  static String imapHost;
  static int imapPort;
  static String password;

  @BeforeAll
  static void findDovecot() throws IOException {
    Map<String, String> kv = InteropEnv.read("dovecot", "VMAIL", "DOVECOT_CONF", "IMAP_HOST", "IMAP_PORT",
        "PASSWORD", "USERS");
    vmail = Path.of(kv.get("VMAIL"));
    conf = Path.of(kv.get("DOVECOT_CONF"));
    imapHost = kv.get("IMAP_HOST");
    imapPort = Integer.parseInt(kv.get("IMAP_PORT"));
    password = kv.get("PASSWORD");
    assertThat(kv.get("USERS")).contains(USER);
  }

  @Test
  void usagePerFolderEqualsDoveadmMailboxStatusAndTheQuotaEqualsDoveadmQuotaGet() throws Exception {
    String run = "Usage " + Long.toString(ThreadLocalRandom.current().nextLong(1L << 40), 36);
    fillFolders(run);
    Path maildir = vmail.resolve("example.com/bob/Maildir");
    Path maildirsize = maildir.resolve("maildirsize");
    boolean hadQuotaFile = Files.exists(maildirsize);
    try {
      Map<String, List<Long>> dovecot = null;
      Map<String, List<Long>> again = null;
      JsonNode ours = null;
      Map<String, List<Long>> disk = null;
      Map<String, String> quota = null;
      for (int attempt = 0; attempt < 5 && (dovecot == null || !dovecot.equals(again)); attempt++) {
        doveadm(QUOTA, "quota", "recalc", "-u", USER);
        dovecot = dovecotStatus();
        quota = quotaGet();
        CliResult r = CliResult.run(Map.of("MAILOPS_HOME", home.toString()),
            "storage", "usage", "--by", "folder", "--json", "--storage", "maildir:" + vmail, "--account", USER);
        assertThat(r.code()).as(r.err()).isZero();
        ours = JsonMapper.builder().build().readTree(r.out());
        disk = onDisk(maildir);
        again = dovecotStatus();
      }
      assertThat(again).as("Dovecot's numbers kept changing (other tests writing to %s?)", USER)
          .isEqualTo(dovecot);

      JsonNode account = ours.get("accounts").get(0);
      Map<String, JsonNode> folders = new TreeMap<>();
      account.get("folders").forEach(f -> folders.put(f.get("folder").asString(), f));
      assertThat(folders.keySet()).as("folders of mailops = mailboxes of doveadm").isEqualTo(dovecot.keySet());
      assertThat(folders).containsKeys(run, run + "/Übersicht", run + "/Leer");
      SoftAssertions softly = new SoftAssertions();
      for (Map.Entry<String, JsonNode> e : folders.entrySet()) {
        String name = e.getKey();
        JsonNode f = e.getValue();
        List<Long> d = dovecot.get(name); // messages, unseen, vsize, oldest, newest
        softly.assertThat(f.get("messages").asLong()).as("messages of %s", name).isEqualTo(d.get(0));
        softly.assertThat(f.get("unseen").asLong()).as("unseen of %s", name).isEqualTo(d.get(1));
        softly.assertThat(f.get("bytes").asLong()).as("bytes of %s = file sizes", name).isEqualTo(disk.get(name).get(0));
        softly.assertThat(d.get(2)).as("doveadm vsize of %s = file sizes + bare LFs", name)
            .isEqualTo(disk.get(name).get(1));
        // doveadm save without a date records the save time in its index but does not utime the
        // file, whose mtime (our internal date) is stamped when the write ends: a second later on an
        // idle machine, up to a few seconds on a loaded one (seen: 2 s at load 26)
        softly.assertThat(epoch(f.get("oldest"))).as("oldest of %s", name).isBetween(d.get(3), d.get(3) + 3);
        softly.assertThat(epoch(f.get("newest"))).as("newest of %s", name).isBetween(d.get(4), d.get(4) + 3);
      }
      softly.assertThat(folders.get(run).get("messages").asLong()).isEqualTo(5);
      softly.assertThat(folders.get(run).get("unseen").asLong()).isEqualTo(2);
      softly.assertThat(folders.get(run + "/Übersicht").get("unseen").asLong()).isEqualTo(1);
      JsonNode q = account.get("quota");
      softly.assertThat(q.isNull()).as("quota of %s from Dovecot's maildirsize", USER).isFalse();
      if (!q.isNull()) {
        softly.assertThat(q.get("limit_bytes").asLong()).isEqualTo(Long.parseLong(quota.get("STORAGE limit")) * 1024);
        softly.assertThat(q.get("limit_messages").asLong()).isEqualTo(Long.parseLong(quota.get("MESSAGE limit")));
        softly.assertThat(q.get("used_messages").asLong()).isEqualTo(Long.parseLong(quota.get("MESSAGE value")));
        softly.assertThat(q.get("used_messages").asLong()).isEqualTo(account.get("messages").asLong());
        softly.assertThat(q.get("used_bytes").asLong()).as("maildirsize counts physical bytes")
            .isEqualTo(account.get("bytes").asLong());
        softly.assertThat((q.get("used_bytes").asLong() + 1023) / 1024).as("doveadm quota get STORAGE is in KiB")
            .isEqualTo(Long.parseLong(quota.get("STORAGE value")));
        softly.assertThat(q.get("state").asString()).isEqualTo("ok");
      }
      softly.assertAll();
    } finally {
      if (!hadQuotaFile) {
        Files.deleteIfExists(maildirsize); // the test server runs without the quota plugin
      }
    }
  }

  @Test
  void checkFindsNothingInWhatDovecotWroteAndItsRepairMakesABrokenFolderServableAgain() throws Exception {
    String run = "Check " + Long.toString(ThreadLocalRandom.current().nextLong(1L << 40), 36);
    doveadm(List.of(), "mailbox", "create", "-u", USER, run);
    save(run, "From: a@example.org\nSubject: one\n\nbody\n");
    save(run, "From: a@example.org\nSubject: two\n\nbody two\n");
    Map<String, String> env = Map.of("MAILOPS_HOME", home.toString());
    String[] check = {"storage", "check", "--storage", "maildir:" + vmail, "--account", USER};
    CliResult clean = CliResult.run(env, check);
    assertThat(clean.code()).as(clean.out()).isZero();

    Path folder = vmail.resolve("example.com/bob/Maildir/." + run);
    Path first;
    try (Stream<Path> s = Files.list(folder.resolve("new"))) {
      first = s.sorted().findFirst().orElseThrow();
    }
    Path empty = folder.resolve("cur/1700000000.M1P1.vm,S=77:2,S");
    Path twin = folder.resolve("cur/" + first.getFileName() + ":2,S");
    try {
      Files.createFile(empty);
      Doveadm broken = doveadmMayFail(List.of(), "mailbox", "status", "-u", USER, "messages unseen vsize", run);
      assertThat(broken.exit()).as("doveadm on a folder with an empty S=77 file: %s", broken.err()).isNotZero();
      assertThat(broken.err()).contains("Cached message size larger than expected (77 > 0");
      Files.copy(first, twin); // the same message in new/ and cur/, which Dovecot has not seen yet
      Files.delete(folder.resolve("tmp"));

      CliResult repaired = CliResult.run(env, "storage", "check", "--storage", "maildir:" + vmail, "--account",
          USER, "--repair");

      assertThat(repaired.code()).as(repaired.out()).isZero();
      assertThat(repaired.out()).contains("zero-length " + empty).contains("new-and-cur " + first)
          .contains("-> created: created " + folder.resolve("tmp")).contains("3 findings, 3 repaired");
      assertThat(Files.getAttribute(folder.resolve("tmp"), "unix:uid")).isEqualTo(Files.getAttribute(folder, "unix:uid"));
      assertThat(twin).exists();
      assertThat(first).doesNotExist();
      assertThat(empty).doesNotExist();
      assertThat(dovecotStatus().get(run).subList(0, 2)).as("messages and unseen Dovecot serves after the repair")
          .containsExactly(2L, 1L);
      CliResult after = CliResult.run(env, check);
      assertThat(after.code()).as(after.out()).isZero();
      assertThat(after.out()).endsWith("nothing wrong.\n");
    } finally {
      // leave the shared test account healthy even when an assertion failed
      Files.deleteIfExists(empty);
      if (Files.exists(twin)) {
        Files.deleteIfExists(first);
      }
      if (!Files.isDirectory(folder.resolve("tmp"))) {
        Files.createDirectory(folder.resolve("tmp"));
      }
    }
  }

  /** Messages through doveadm save and IMAP APPEND, some flags, and a SELECT that moves new/ to cur/. */
  void fillFolders(String run) throws Exception {
    String sub = run + "/Übersicht";
    doveadm(List.of(), "mailbox", "create", "-u", USER, run, sub, run + "/Leer");
    for (int i = 0; i < 3; i++) {
      save(run, "From: a@example.org\nSubject: lf " + i + "\nMessage-ID: <" + i + "." + run.substring(6)
          + "@it>\n\nline one\nline two " + "x".repeat(i * 100) + "\n");
    }
    save(sub, "From: a@example.org\nSubject: sub 1\n\nbody\n");
    save(sub, "From: a@example.org\nSubject: sub 2\r\n\r\ncrlf body\r\n");
    doveadm(List.of(), "flags", "add", "-u", USER, "\\Seen", "mailbox", run, "uid", "1:2");
    doveadm(List.of(), "flags", "add", "-u", USER, "\\Seen $Label1", "mailbox", sub, "uid", "1");
    Properties p = new Properties();
    p.put("mail.imap.host", imapHost);
    p.put("mail.imap.port", Integer.toString(imapPort));
    Session session = Session.getInstance(p);
    try (Store store = session.getStore("imap")) {
      store.connect(USER, password);
      Folder folder = store.getFolder(run);
      folder.appendMessages(new Message[] {
          message(session, "Subject: appended seen\r\n\r\nbody\r\n", new Flags(Flags.Flag.SEEN), 1_500_000_000_000L),
          message(session, "Subject: appended flagged\r\n\r\nbody\r\nmore\r\n", new Flags(Flags.Flag.FLAGGED),
              1_600_000_000_000L)});
      folder.open(Folder.READ_WRITE); // Dovecot moves the messages from new/ to cur/
      assertThat(folder.getMessageCount()).isEqualTo(5);
      folder.close(false);
    }
  }

  static Message message(Session s, String raw, Flags flags, long received) throws Exception {
    MimeMessage m = new MimeMessage(s, new ByteArrayInputStream(raw.getBytes(StandardCharsets.US_ASCII))) {
      @Override
      public Date getReceivedDate() {
        return new Date(received);
      }
    };
    m.setFlags(flags, true);
    return m;
  }

  void save(String mailbox, String raw) throws Exception {
    doveadmIn(raw.getBytes(StandardCharsets.UTF_8), List.of(), "save", "-u", USER, "-m", mailbox);
  }

  /** Per mailbox: messages, unseen, vsize, oldest and newest date.received (epoch seconds, -1 if none). */
  Map<String, List<Long>> dovecotStatus() throws Exception {
    Map<String, List<Long>> out = new TreeMap<>();
    for (String[] row : tab(doveadm(List.of(), "-f", "tab", "mailbox", "status", "-u", USER,
        "messages unseen vsize", "*"))) {
      out.put(row[0], new ArrayList<>(List.of(Long.parseLong(row[1]), Long.parseLong(row[2]),
          Long.parseLong(row[3]), -1L, -1L)));
    }
    for (String[] row : tab(doveadm(List.of(), "-f", "tab", "fetch", "-u", USER,
        "mailbox date.received.unixtime", "all"))) {
      List<Long> s = out.get(row[0]);
      long t = Long.parseLong(row[1]);
      s.set(3, s.get(3) < 0 ? t : Math.min(s.get(3), t));
      s.set(4, Math.max(s.get(4), t));
    }
    return out;
  }

  /** {@code "STORAGE value"}, {@code "STORAGE limit"}, {@code "MESSAGE value"}, ... of doveadm quota get. */
  Map<String, String> quotaGet() throws Exception {
    Map<String, String> out = new HashMap<>();
    for (String[] row : tab(doveadm(QUOTA, "-f", "tab", "quota", "get", "-u", USER))) {
      out.put(row[1] + " value", row[2]);
      out.put(row[1] + " limit", row[3]);
    }
    return out;
  }

  /** Per folder name: the sum of file sizes in new/ and cur/, and of file sizes plus bare LFs. */
  static Map<String, List<Long>> onDisk(Path maildir) throws IOException {
    Map<String, List<Long>> out = new TreeMap<>();
    List<Path> dirs = new ArrayList<>(List.of(maildir));
    try (Stream<Path> s = Files.list(maildir)) {
      s.filter(p -> p.getFileName().toString().startsWith(".") && Files.isDirectory(p)).forEach(dirs::add);
    }
    for (Path dir : dirs) {
      long size = 0;
      long vsize = 0;
      for (String sub : List.of("new", "cur")) {
        try (Stream<Path> files = Files.list(dir.resolve(sub))) {
          for (Path f : files.toList()) {
            byte[] b = Files.readAllBytes(f);
            size += b.length;
            vsize += b.length;
            for (int i = 0; i < b.length; i++) {
              vsize += b[i] == '\n' && (i == 0 || b[i - 1] != '\r') ? 1 : 0;
            }
          }
        }
      }
      out.put(folderName(maildir, dir), List.of(size, vsize));
    }
    return out;
  }

  /** INBOX, or the Maildir++ directory name decoded from modified UTF-7 with {@code /} as separator. */
  static String folderName(Path maildir, Path dir) {
    if (dir.equals(maildir)) {
      return "INBOX";
    }
    List<String> segs = new ArrayList<>();
    for (String enc : dir.getFileName().toString().substring(1).split("\\.")) {
      segs.add(decode(enc));
    }
    return String.join("/", segs);
  }

  /** Modified UTF-7 (RFC 3501 §5.1.3): {@code &...-} is UTF-16BE in base64 with {@code ,} for {@code /}. */
  static String decode(String s) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      int end = s.indexOf('-', i);
      if (c != '&' || end < 0) {
        b.append(c);
      } else if (end == i + 1) {
        b.append('&');
        i = end;
      } else {
        byte[] utf16 = java.util.Base64.getDecoder().decode(pad(s.substring(i + 1, end).replace(',', '/')));
        b.append(new String(utf16, StandardCharsets.UTF_16BE));
        i = end;
      }
    }
    return b.toString();
  }

  private static String pad(String s) {
    return s + "=".repeat((4 - s.length() % 4) % 4);
  }

  static long epoch(JsonNode n) {
    return n.isNull() ? -1 : java.time.Instant.parse(n.asString()).getEpochSecond();
  }

  static List<String[]> tab(String out) {
    return out.lines().skip(1).filter(l -> !l.isBlank()).map(l -> l.split("\t", -1)).toList();
  }

  String doveadm(List<String> options, String... args) throws Exception {
    return doveadmIn(new byte[0], options, args);
  }

  /** What a doveadm run printed and how it ended. */
  record Doveadm(int exit, String out, String err) {}

  /** Runs {@code doveadm -c CONF OPTIONS ARGS}, feeding {@code stdin}. */
  Doveadm doveadmMayFail(List<String> options, String... args) throws Exception {
    return run(new byte[0], options, args);
  }

  /** Runs {@code doveadm -c CONF OPTIONS ARGS}, feeding {@code stdin}; fails unless it exits 0. */
  String doveadmIn(byte[] stdin, List<String> options, String... args) throws Exception {
    Doveadm d = run(stdin, options, args);
    assertThat(d.exit()).as("doveadm %s %s: %s", options, List.of(args), d.err()).isZero();
    return d.out();
  }

  private Doveadm run(byte[] stdin, List<String> options, String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of("doveadm", "-c", conf.toString()));
    cmd.addAll(options);
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).start();
    CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> read(p.getInputStream()));
    CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> read(p.getErrorStream()));
    try (var in = p.getOutputStream()) {
      in.write(stdin);
    }
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("doveadm %s finished", cmd).isTrue();
    return new Doveadm(p.exitValue(), out.join(), err.join());
  }

  private static String read(InputStream in) {
    try (in) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "(unreadable: " + e + ")";
    }
  }
}
