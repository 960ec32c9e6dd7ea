package io.mailops.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import io.mailops.storage.maildir.MaildirFixture;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** {@code mailops storage check [--repair]}: findings, actions, quarantine and exit codes. */
class StorageCheckCliTest {

  static final Instant DATE = Instant.parse("2025-03-01T10:00:00Z");
  static final String MSG = "Subject: hi\n\nbody\n";

  @TempDir
  Path tmp;

  Map<String, String> env = new HashMap<>();
  Path store;
  String uri;
  MaildirFixture alice;

  @BeforeEach
  void setUp() {
    env.put("MAILOPS_HOME", tmp.resolve("home").toString());
    store = tmp.resolve("vmail");
    uri = "maildir:" + store;
    alice = MaildirFixture.account(store, "example.com", "alice");
    alice.message("", "cur", "1.M1P1.vm,S=18:2,S", MSG, DATE);
    alice.folder("Sent");
    MaildirFixture.account(store, "example.org", "carol").message("", "new", "2.M1P1.vm,S=18", MSG, DATE);
  }

  CliResult run(String... args) {
    return CliResult.run(env, args);
  }

  /** Damage that --repair can deal with completely. */
  void damage() throws Exception {
    alice.message("", "cur", "3.M1P1.vm,S=500:2,S", "", DATE);
    alice.message("Sent", "cur", "4.M1P1.vm,S=9999:2,S", MSG, DATE);
    alice.message("Sent", "new", "junk:x", MSG, DATE);
    alice.message("", "new", "1.M1P1.vm,S=18", MSG, DATE);
    Files.delete(alice.maildir().resolve(".Sent/tmp"));
  }

  @Test
  void aHealthyStoreExitsZeroAndSaysSo() {
    CliResult r = run("storage", "check", "--storage", uri);

    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).isEqualTo("Checked 2 accounts of " + uri + ": nothing wrong.\n");
  }

  @Test
  void everyFindingIsOneLineAndWithoutRepairNothingChangesAndTheExitCodeIsThree() throws Exception {
    damage();
    List<Path> before = files();

    CliResult r = run("storage", "check", "--storage", uri);

    assertThat(r.code()).isEqualTo(3);
    assertThat(r.out().lines().filter(l -> l.startsWith("alice@example.com"))).hasSize(5);
    assertThat(r.out()).contains("alice@example.com INBOX  zero-length " + alice.maildir().resolve("cur/3.M1P1.vm,S=500:2,S"))
        .contains("alice@example.com INBOX  new-and-cur " + alice.maildir().resolve("new/1.M1P1.vm,S=18"))
        .contains("alice@example.com Sent  size-mismatch ").contains("the name says S=9999 but the file has 18 bytes")
        .contains("alice@example.com Sent  bad-name ").contains("alice@example.com Sent  missing-subdir ")
        .contains("5 findings; 'mailops storage check --repair'");
    assertThat(r.out()).doesNotContain("carol").doesNotContain("->");
    assertThat(files()).isEqualTo(before);
  }

  @Test
  void repairPrintsEveryActionQuarantinesUnderMailopsHomeAndARerunFindsNothing() throws Exception {
    damage();

    CliResult r = run("storage", "check", "--storage", uri, "--repair");

    assertThat(r.code()).as(r.out() + r.err()).isZero();
    assertThat(r.out().lines().filter(l -> l.startsWith("  -> quarantined: moved "))).hasSize(4);
    assertThat(r.out()).contains("  -> created: created " + alice.maildir().resolve(".Sent/tmp"))
        .contains("5 findings, 5 repaired or gone, 0 remain. Quarantine: " + tmp.resolve("home/quarantine/"));
    assertThat(alice.maildir().resolve(".Sent/tmp")).isDirectory();
    assertThat(alice.maildir().resolve("cur/1.M1P1.vm,S=18:2,S")).as("the cur/ copy stays").hasContent(MSG);
    try (Stream<Path> q = Files.walk(tmp.resolve("home/quarantine"))) {
      assertThat(q.filter(Files::isRegularFile).map(p -> p.getFileName().toString()))
          .containsExactlyInAnyOrder("3.M1P1.vm,S=500:2,S", "4.M1P1.vm,S=9999:2,S", "junk:x", "1.M1P1.vm,S=18");
    }
    CliResult again = run("storage", "check", "--storage", uri);
    assertThat(again.code()).isZero();
    assertThat(again.out()).endsWith("nothing wrong.\n");
  }

  @Test
  void findingsThatOnlyAPersonOrDovecotCanFixRemainAndKeepExitThree() throws Exception {
    alice.message("", "new", "5.M1P1.vm,S=18", MSG, DATE);
    alice.message("", "cur", "5.M1P1.vm,S=18:2,S", MSG.replace("hi", "ho"), DATE);
    String uidlist = "3 V1 N9\n1 :1.M1P1.vm,S=18\n8 :8.M1P1.vm,S=18\n";
    alice.control("", "dovecot-uidlist", uidlist);

    CliResult r = run("storage", "check", "--storage", uri, "--repair", "--account", "alice@example.com");

    assertThat(r.code()).isEqualTo(3);
    assertThat(r.out()).contains("  -> kept: both files kept").contains("  -> kept: left to Dovecot")
        .contains("UID 8 (8.M1P1.vm,S=18)").contains("2 findings, 0 repaired or gone, 2 remain (see above)");
    assertThat(alice.maildir().resolve("dovecot-uidlist")).hasContent(uidlist);
    assertThat(alice.maildir().resolve("new/5.M1P1.vm,S=18")).exists();
  }

  @Test
  void quarantineInsideTheStoreIsRefusedInOneLine() throws Exception {
    damage();

    CliResult r = run("storage", "check", "--storage", uri, "--repair", "--quarantine", store.resolve("q").toString());

    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err().lines()).singleElement().asString().contains("is inside the mail store").contains("--quarantine");
    assertThat(alice.maildir().resolve("cur/3.M1P1.vm,S=500:2,S")).exists();
    assertThat(run("storage", "check", "--storage", uri, "--quarantine", tmp.resolve("q").toString()).code())
        .as("--quarantine without --repair").isEqualTo(2);
  }

  @Test
  void anOwnQuarantineDirectoryIsUsedWhenGiven() throws Exception {
    damage();

    CliResult r = run("storage", "check", "--storage", uri, "--repair", "--quarantine", tmp.resolve("q").toString());

    assertThat(r.code()).isZero();
    assertThat(r.out()).contains(" to " + tmp.resolve("q")).contains("Quarantine: " + tmp.resolve("q"));
  }

  @Test
  void jsonIsOneDocumentWithFindingsActionsAndASummary() throws Exception {
    damage();

    CliResult r = run("storage", "check", "--storage", uri, "--repair", "--json");

    assertThat(r.out().strip().lines()).hasSize(1);
    JsonNode doc = JsonMapper.builder().build().readTree(r.out());
    assertThat(doc.get("accounts").asInt()).isEqualTo(2);
    assertThat(doc.get("repair").asBoolean()).isTrue();
    assertThat(doc.get("summary").get("findings").asInt()).isEqualTo(5);
    assertThat(doc.get("summary").get("remaining").asInt()).isZero();
    JsonNode first = null;
    for (JsonNode f : doc.get("findings")) {
      first = f.get("kind").asString().equals("new-and-cur") ? f : first;
    }
    assertThat(first).as(r.out()).isNotNull();
    assertThat(first.get("account").asString()).isEqualTo("alice@example.com");
    assertThat(first.get("folder").asString()).isEqualTo("INBOX");
    assertThat(first.get("remedy").asString()).isEqualTo("quarantine");
    assertThat(first.get("action").get("outcome").asString()).isEqualTo("quarantined");
    assertThat(first.get("action").get("target").asString()).startsWith(tmp.resolve("home/quarantine").toString())
        .endsWith("/example.com/alice/new/1.M1P1.vm,S=18");
  }

  @Test
  void storesOtherThanMaildirAndUnknownAccountsAreOneLineErrors() throws Exception {
    Files.createDirectories(tmp.resolve("eml/example.com/dave/INBOX"));
    CliResult eml = run("storage", "check", "--storage", "eml:" + tmp.resolve("eml"));
    assertThat(eml.code()).isEqualTo(2);
    assertThat(eml.err().lines()).singleElement().asString().contains("Maildir stores only")
        .contains("eml:" + tmp.resolve("eml"));

    CliResult nobody = run("storage", "check", "--storage", uri, "--account", "nobody@example.com");
    assertThat(nobody.code()).isEqualTo(1);
    assertThat(nobody.err().lines()).singleElement().asString().contains("no account").contains("nobody@example.com");
  }

  List<Path> files() throws Exception {
    try (Stream<Path> s = Files.walk(tmp)) {
      return s.sorted().toList();
    }
  }
}
