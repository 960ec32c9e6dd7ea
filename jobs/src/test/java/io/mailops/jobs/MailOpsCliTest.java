package io.mailops.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import io.mailops.storage.maildir.MaildirFixture;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line as a user meets it: output, error lines and exit codes. */
class MailOpsCliTest {

  static final Instant DATE = Instant.parse("2025-03-01T10:00:00Z");

  @TempDir
  Path tmp;

  Map<String, String> env = new HashMap<>();
  Path store;

  @BeforeEach
  void setUp() {
    env.put("MAILOPS_HOME", tmp.resolve("home").toString());
    store = tmp.resolve("vmail");
    MaildirFixture alice = MaildirFixture.account(store, "example.com", "alice");
    alice.message("", "cur", "1.M1P1.vm,S=1000:2,S", "x".repeat(1000), DATE);
    alice.message("", "new", "2.M1P1.vm,S=24", "y".repeat(24), DATE);
    alice.folder("Projekte.&ANw-bersicht");
    alice.message("Projekte.&ANw-bersicht", "cur", "3.M1P1.vm,S=2048:2,RS", "z".repeat(2048), DATE);
    MaildirFixture.account(store, "example.org", "carol");
  }

  @Test
  void usagePrintsOneRowPerAccountWithTotals() {
    CliResult r = run("storage", "usage", "--storage", "maildir:" + store);
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).contains("2 domains, 2 accounts, 3 messages, 3.0 KiB");
    assertThat(r.out()).containsPattern("alice@example.com\\s+2 folders\\s+3\\s+1\\s+3.0 KiB");
    assertThat(r.out()).containsPattern("carol@example.org\\s+1 folders\\s+0\\s+0\\s+0 B");
  }

  @Test
  void usageWithFoldersShowsDecodedFolderNames() {
    CliResult r = run("storage", "usage", "--storage", "maildir:" + store, "--folders", "--account", "alice@example.com");
    assertThat(r.out()).containsPattern("Projekte/Übersicht\\s+1\\s+0\\s+2.0 KiB");
    assertThat(r.out()).doesNotContain("carol");
  }

  @Test
  void usageAsJsonCarriesExactNumbers() {
    CliResult r = run("storage", "usage", "--storage", "maildir:" + store, "--json");
    assertThat(r.code()).isZero();
    assertThat(r.out()).contains("\"account\":\"alice@example.com\"").contains("\"bytes\":3072")
        .contains("\"folder\":\"Projekte/Übersicht\"");
  }

  @Test
  void usageReadsTheStoreFromMailopsYmlAndEnvironment() throws Exception {
    Path home = tmp.resolve("home");
    Files.createDirectories(home);
    Files.writeString(home.resolve("mailops.yml"), "mailops:\n  storage: maildir:/nonexistent\n");
    assertThat(run("storage", "usage").err()).contains("/nonexistent");
    env.put("MAILOPS_STORAGE", "maildir:" + store);
    assertThat(run("storage", "usage").out()).contains("alice@example.com");
  }

  @Test
  void skippedItemsAreListedAndExitCodeIsThree() throws Exception {
    MaildirFixture.account(store, "example.com", "alice").message("", "cur", "bad:1,S", "x", DATE);
    CliResult r = run("storage", "usage", "--storage", "maildir:" + store);
    assertThat(r.code()).isEqualTo(3);
    assertThat(r.out()).contains("Skipped 1 items:").contains("bad:1,S");
  }

  @Test
  void missingStoreIsOneLineWithoutStackTraceAndExitOne() {
    CliResult r = run("storage", "usage", "--storage", "maildir:" + tmp.resolve("nope"));
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err().lines()).hasSize(1);
    assertThat(r.err()).startsWith("mailops: Maildir store ").contains("nope").contains("does not exist");
    CliResult debug = run("storage", "usage", "--debug", "--storage", "maildir:" + tmp.resolve("nope"));
    assertThat(debug.err()).contains("\tat io.mailops.");
  }

  @Test
  void badUsageExitsTwoAndPointsAtHelp() {
    CliResult unknown = run("storage", "frobnicate");
    assertThat(unknown.code()).isEqualTo(2);
    assertThat(unknown.err()).contains("frobnicate").contains("mailops storage --help");
    CliResult badAccount = run("storage", "usage", "--account", "not-an-address");
    assertThat(badAccount.code()).isEqualTo(2);
    assertThat(badAccount.err()).contains("not-an-address");
  }

  @Test
  void versionAndHelpWorkOnEveryLevel() {
    assertThat(run("--version").out()).startsWith("mailops ");
    assertThat(run("--help").out()).contains("storage").contains("jobs").contains("Exit codes")
        .contains("Migrate legacy mailboxes");
    // the root's help builds the entities only; "help ENTITY" still lists the entity's actions
    CliResult entity = run("help", "migrate");
    assertThat(entity.code()).isZero();
    assertThat(entity.out()).contains("Commands:").contains("\n  run ").contains("\n  verify ")
        .contains("\n  status ").contains("\n  report ");
    CliResult h = run("storage", "usage", "--help");
    assertThat(h.code()).isZero();
    assertThat(h.out()).contains("--storage=URI").contains("--json");
  }

  @Test
  void sampleCreatesAStoreOnceAndNeverWritesIntoAnExistingOne() throws Exception {
    Path out = tmp.resolve("sample");
    CliResult r = run("storage", "sample", "--out", out.toString(), "--domains", "1", "--accounts", "2",
        "--messages", "10");
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).contains("Created sample store").contains("20 messages");
    assertThat(r.out()).contains("1 domains, 2 accounts, 20 messages");
    CliResult again = run("storage", "sample", "--out", out.toString());
    assertThat(again.code()).isZero();
    assertThat(again.out()).contains("already exists; nothing written").contains("20 messages");
  }

  CliResult run(String... args) {
    return CliResult.run(env, args);
  }
}
