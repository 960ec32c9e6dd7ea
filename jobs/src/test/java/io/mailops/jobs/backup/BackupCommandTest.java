package io.mailops.jobs.backup;

import static org.assertj.core.api.Assertions.assertThat;

import io.mailops.jobs.CliResult;
import io.mailops.storage.model.AccountId;
import io.mailops.storage.model.Flags;
import io.mailops.storage.model.FolderPath;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code mailops backup run|list|verify|restore|prune} on the embedded defaults: the sample store
 * and the local target under {@code MAILOPS_HOME}.
 */
class BackupCommandTest {

  @TempDir
  Path home;

  Map<String, String> env = new HashMap<>();

  @BeforeEach
  void setUp() {
    env.put("MAILOPS_HOME", home.toString());
    env.put("HOME", home.toString());
  }

  CliResult run(String... args) {
    return CliResult.run(env, args);
  }

  Path sample() {
    return home.resolve("sample");
  }

  List<Path> sets() throws Exception {
    try (Stream<Path> s = Files.list(home.resolve("backups"))) {
      return s.sorted().toList();
    }
  }

  static long number(String out, String label) {
    Matcher m = Pattern.compile("(?m)^\\s+" + label + "\\s+(\\d+)").matcher(out);
    assertThat(m.find()).as(label + " in\n" + out).isTrue();
    return Long.parseLong(m.group(1));
  }

  @Test
  void quickStartBacksUpTheSampleStoreToTheDefaultLocalTarget() throws Exception {
    CliResult r = run("backup", "run");

    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).contains("Created the sample store " + sample())
        .contains("full backup: no earlier full set of all")
        .containsPattern("Backup set \\d{8}T\\d{6}Z-full-all on file:" + Pattern.quote(home.toString()));
    assertThat(number(r.out(), "folders")).isGreaterThan(12);
    assertThat(number(r.out(), "messages")).isEqualTo(720);
    assertThat(number(r.out(), "skipped")).isZero();
    assertThat(sets()).hasSize(1);
    assertThat(sets().get(0).resolve("manifest.json")).isRegularFile();
  }

  @Test
  void secondRunIsIncrementalAndUploadsOnlyTheNewMessageAndManifests() throws Exception {
    CliResult full = run("backup", "run");
    assertThat(full.code()).as(full.err()).isZero();
    flagOneMessage();
    deliver("alice", "<new-1@example.com>");
    Thread.sleep(1100); // set ids have second resolution

    CliResult inc = run("backup", "run");

    assertThat(inc.code()).as(inc.err()).isZero();
    assertThat(inc.out()).contains("-incremental-all").contains("incremental backup on the chain of")
        .containsPattern("messages\\s+721 \\(1 new in this set, 720 already in earlier sets\\)");
    assertThat(bytesUploaded(inc.out())).isLessThan(bytesUploaded(full.out()) / 5);
    assertThat(sets()).hasSize(2);
  }

  @Test
  void listVerifyAndRestoreOfADomainGiveBackTheSameMessagesFlagsAndDates() throws Exception {
    assertThat(run("backup", "run").code()).isZero();
    flagOneMessage();
    deliver("bob", "<restore-me@example.com>");
    Thread.sleep(1100);
    assertThat(run("backup", "run").code()).isZero();

    CliResult verify = run("backup", "verify", "--deep");
    assertThat(verify.code()).as(verify.out() + verify.err()).isZero();
    assertThat(verify.out()).containsPattern("-incremental-all on .*: OK \\(deep check");
    CliResult list = run("backup", "list");
    assertThat(list.code()).isZero();
    assertThat(list.out()).containsPattern("-full-all .* full +all .* 720 +no +no")
        .containsPattern("-incremental-all .* incremental +all .* 721 +no +deep \\d{4}-");

    Path other = home.resolve("restored");
    CliResult restore = run("backup", "restore", "--scope", "example.com", "--into", "maildir:" + other);
    assertThat(restore.code()).as(restore.err()).isZero();
    assertThat(StoreSnapshot.of(other, a -> true))
        .isEqualTo(StoreSnapshot.of(sample(), a -> a.domain().equals("example.com")));
    CliResult again = run("backup", "restore", "--scope", "example.com", "--into", "maildir:" + other);
    assertThat(again.out()).contains("Restored 0 message(s)").contains("already there");
    assertThat(StoreSnapshot.of(other, a -> true))
        .isEqualTo(StoreSnapshot.of(sample(), a -> a.domain().equals("example.com")));
  }

  @Test
  void oneMessageIsRestoredByMessageIdAndDryRunChangesNothing() throws Exception {
    deliverFirst();
    assertThat(run("backup", "run").code()).isZero();
    Path other = home.resolve("restored");

    CliResult dry = run("backup", "restore", "latest", "--scope", "alice@example.com/INBOX",
        "--message-id", "only-one@example.com", "--into", "maildir:" + other, "--dry-run");
    assertThat(dry.code()).as(dry.err()).isZero();
    assertThat(dry.out()).startsWith("Would restore 1 message(s)");
    assertThat(other).doesNotExist();

    CliResult one = run("backup", "restore", "latest", "--scope", "alice@example.com/INBOX",
        "--message-id", "<only-one@example.com>", "--into", "maildir:" + other);
    assertThat(one.code()).as(one.err()).isZero();
    assertThat(one.out()).startsWith("Restored 1 message(s)");
    Map<String, String> restored = StoreSnapshot.of(other, a -> true);
    assertThat(restored).hasSize(1);
    assertThat(restored.values().iterator().next()).contains("2024-05-06T07:08:09Z");
  }

  @Test
  void aDamagedTarFailsDeepVerifyNamingTheFile() throws Exception {
    assertThat(run("backup", "run").code()).isZero();
    Path tar;
    try (Stream<Path> s = Files.walk(sets().get(0))) {
      tar = s.filter(p -> p.getFileName().toString().equals("messages.tar.zst")).findFirst().orElseThrow();
    }
    byte[] b = Files.readAllBytes(tar);
    b[b.length / 2] ^= 0x55;
    Files.write(tar, b);

    CliResult r = run("backup", "verify", "latest", "--deep");

    assertThat(r.code()).isEqualTo(1);
    assertThat(r.out()).contains("problem(s)")
        .contains(home.resolve("backups").relativize(tar).toString());
    assertThat(run("backup", "list").out()).contains("FAILED");
  }

  @Test
  void badUsageAndMissingSetsGetOneClearLine() throws Exception {
    CliResult noScope = run("backup", "restore");
    assertThat(noScope.code()).isEqualTo(2);
    assertThat(noScope.err()).contains("Missing required option: '--scope=SCOPE'");

    CliResult both = run("backup", "run", "--full", "--incremental");
    assertThat(both.code()).isEqualTo(2);

    CliResult nothing = run("backup", "restore", "--scope", "example.com");
    assertThat(nothing.code()).isEqualTo(1);
    assertThat(nothing.err()).startsWith("mailops: no complete backup set on ").contains("run a backup first");

    CliResult inc = run("backup", "run", "--incremental");
    assertThat(inc.code()).isEqualTo(1);
    assertThat(inc.err()).contains("run a full backup first");

    CliResult pw = run("backup", "list", "--to", "ftp://backup:secret@127.0.0.1/sets");
    assertThat(pw.code()).isEqualTo(2);
    assertThat(pw.err()).contains("the URI holds a password");
    assertThat(run("backup", "list").out()).contains("No complete backup sets on ");
  }

  @Test
  void pruneKeepsTheNewestAndWhatItBuildsOn() throws Exception {
    assertThat(run("backup", "run").code()).isZero();
    Thread.sleep(1100);
    assertThat(run("backup", "run", "--full").code()).isZero();
    Thread.sleep(1100);
    assertThat(run("backup", "run").code()).isZero();
    List<Path> before = sets();

    CliResult dry = run("backup", "prune", "--keep-daily", "1", "--keep-weekly", "0", "--keep-monthly", "0", "--dry-run");
    assertThat(dry.code()).as(dry.err()).isZero();
    assertThat(dry.out()).contains("would remove " + before.get(0).getFileName())
        .contains("keep    " + before.get(1).getFileName())
        .contains("keep    " + before.get(2).getFileName());
    assertThat(sets()).isEqualTo(before);

    CliResult prune = run("backup", "prune", "--keep-daily", "1", "--keep-weekly", "0", "--keep-monthly", "0");
    assertThat(prune.code()).as(prune.err()).isZero();
    assertThat(sets()).containsExactly(before.get(1), before.get(2));
    assertThat(run("backup", "verify", "--deep").code()).isZero();
  }

  @Test
  void anEncryptedSetNeedsItsPasswordToRestoreAndHidesTheMessages() throws Exception {
    Path key = Files.writeString(home.resolve("backup.key"), "correct horse battery staple\n");
    CliResult r = run("backup", "run", "--encryption-password-file", key.toString());
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(run("backup", "list").out()).containsPattern("-full-all .* 720 +yes +no");
    Path tar;
    try (Stream<Path> s = Files.walk(sets().get(0))) {
      tar = s.filter(p -> p.toString().endsWith("example.com/alice/INBOX/messages.tar.zst")).findFirst().orElseThrow();
    }
    Process zstd = new ProcessBuilder("zstd", "-dc", tar.toString()).redirectErrorStream(true).start();
    String plain = new String(zstd.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
    zstd.waitFor();
    assertThat(plain).doesNotContain("Message-ID:").doesNotContain("Subject:");

    Path other = home.resolve("restored");
    CliResult without = run("backup", "restore", "--scope", "alice@example.com", "--into", "maildir:" + other);
    assertThat(without.code()).isEqualTo(1);
    assertThat(without.err()).contains("is encrypted; give its password with --encryption-password-file");
    env.put("MAILOPS_BACKUP_PASSWORD", "wrong");
    CliResult wrong = run("backup", "restore", "--scope", "alice@example.com", "--into", "maildir:" + other);
    assertThat(wrong.code()).isEqualTo(1);
    assertThat(wrong.err()).contains("wrong password for backup set");
    env.put("MAILOPS_BACKUP_PASSWORD", "correct horse battery staple");
    CliResult ok = run("backup", "restore", "--scope", "alice@example.com", "--into", "maildir:" + other);
    assertThat(ok.code()).as(ok.err()).isZero();
    assertThat(StoreSnapshot.of(other, a -> true))
        .isEqualTo(StoreSnapshot.of(sample(), a -> a.toString().equals("alice@example.com")));
    assertThat(run("backup", "verify", "--deep").code()).isZero();
  }

  private static long bytesUploaded(String out) {
    Matcher m = Pattern.compile("bytes uploaded\\s+([\\d.]+) (B|KiB|MiB|GiB)").matcher(out);
    assertThat(m.find()).as(out).isTrue();
    double v = Double.parseDouble(m.group(1));
    return (long) (v * switch (m.group(2)) {
      case "KiB" -> 1024;
      case "MiB" -> 1024 * 1024;
      case "GiB" -> 1024 * 1024 * 1024;
      default -> 1;
    });
  }

  /** Adds \Flagged to the first message in example.com/alice's INBOX cur/ (a rename, as Dovecot does). */
  private void flagOneMessage() throws Exception {
    Path cur = sample().resolve("example.com/alice/Maildir/cur");
    Path f;
    try (Stream<Path> s = Files.list(cur)) {
      f = s.filter(p -> p.getFileName().toString().contains(":2,")).sorted().findFirst().orElseThrow();
    }
    String name = f.getFileName().toString();
    int i = name.indexOf(":2,");
    String flags = name.substring(i + 3);
    if (!flags.contains("F")) {
      char[] c = (flags + "F").toCharArray();
      java.util.Arrays.sort(c);
      Files.move(f, cur.resolve(name.substring(0, i + 3) + new String(c)));
    }
  }

  private void deliver(String user, String messageId) throws Exception {
    try (var store = StoreSnapshot.maildir(sample())) {
      byte[] msg = ("From: x@example.org\r\nTo: " + user + "@example.com\r\nMessage-ID: " + messageId
          + "\r\nSubject: new\r\n\r\nhello\r\n").getBytes(StandardCharsets.US_ASCII);
      store.append(AccountId.of(user + "@example.com"), FolderPath.INBOX, new ByteArrayInputStream(msg),
          Flags.NONE, Instant.parse("2024-05-06T07:08:09Z"));
    }
  }

  private void deliverFirst() throws Exception {
    assertThat(run("storage", "sample").code()).isZero();
    deliver("alice", "<only-one@example.com>");
  }
}
