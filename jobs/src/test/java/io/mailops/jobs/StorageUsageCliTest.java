package io.mailops.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import io.mailops.storage.maildir.MaildirFixture;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** {@code mailops storage usage}: levels, dates, quota columns and warnings, CSV and JSON. */
class StorageUsageCliTest {

  static final Instant OLD = Instant.parse("2023-02-01T08:00:00Z");
  static final Instant NEW = Instant.parse("2025-03-01T10:00:00Z");

  @TempDir
  Path tmp;

  Map<String, String> env = new HashMap<>();
  Path store;
  String uri;

  @BeforeEach
  void setUp() {
    env.put("MAILOPS_HOME", tmp.resolve("home").toString());
    store = tmp.resolve("vmail");
    uri = "maildir:" + store;
    MaildirFixture alice = MaildirFixture.account(store, "example.com", "alice");
    alice.message("", "cur", "1.M1P1.vm,S=1000:2,S", "x".repeat(1000), NEW);
    alice.message("", "new", "2.M1P1.vm,S=24", "y".repeat(24), NEW);
    alice.folder("Sent");
    alice.message("Sent", "cur", "3.M1P1.vm,S=2048:2,RS", "z".repeat(2048), OLD);
    alice.control("", "maildirsize", "3300S,100C\n3072 3\n");
    MaildirFixture bob = MaildirFixture.account(store, "example.com", "bob");
    bob.message("", "new", "4.M1P1.vm,S=10", "w".repeat(10), OLD);
    bob.control("", "maildirsize", "0S\n10 1\n");
    MaildirFixture.account(store, "example.org", "carol");
  }

  CliResult run(String... args) {
    return CliResult.run(env, args);
  }

  @Test
  void byDomainPrintsOneRowPerDomainWithDatesAndATotal() {
    CliResult r = run("storage", "usage", "--storage", uri, "--by", "domain");

    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).containsPattern("DOMAIN\\s+ACCOUNTS\\s+MESSAGES\\s+UNSEEN\\s+SIZE\\s+OLDEST\\s+NEWEST\n");
    assertThat(r.out()).containsPattern("example.com\\s+2 accounts\\s+4\\s+2\\s+3.0 KiB\\s+2023-02-01\\s+2025-03-01");
    assertThat(r.out()).containsPattern("example.org\\s+1 accounts\\s+0\\s+0\\s+0 B\n");
    assertThat(r.out()).containsPattern("TOTAL\\s+4\\s+2\\s+3.0 KiB\\s+2023-02-01\\s+2025-03-01");
    assertThat(r.out()).doesNotContainPattern("alice@example.com\\s+\\d+ folders").doesNotContain("QUOTA");
    assertThat(r.out()).as("the warnings list accounts in every view")
        .contains("Quota: 1 accounts at or above 90 %:\n  alice@example.com  93.1%");
  }

  @Test
  void accountRowsShowTheQuotaOfMaildirsizeAndWarnAtNinetyPercent() {
    CliResult r = run("storage", "usage", "--storage", uri);

    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).containsPattern("QUOTA\\s+QUOTA USED\\s+USE%\\s+WARN");
    assertThat(r.out()).containsPattern(
        "alice@example.com\\s+2 folders\\s+3\\s+1\\s+3.0 KiB\\s+2023-02-01\\s+2025-03-01\\s+3.2 KiB, 100 msgs"
            + "\\s+3.0 KiB, 3 msgs\\s+93.1%\\s+warn");
    assertThat(r.out()).containsPattern("bob@example.com\\s+1 folders.*no limit\\s+10 B, 1 msgs\n");
    assertThat(r.out()).containsPattern("carol@example.org\\s+1 folders\\s+0\\s+0\\s+0 B\n");
    assertThat(r.out()).contains("Quota: 1 accounts at or above 90 %:\n  alice@example.com  93.1% of 3.2 KiB,"
        + " 100 msgs (warn)");
  }

  @Test
  void warningThresholdComesFromTheFlagOrFromMailopsYml() throws Exception {
    assertThat(run("storage", "usage", "--storage", uri, "--warn-percent", "95").out())
        .doesNotContain("warn").doesNotContain("Quota:");
    Files.createDirectories(tmp.resolve("home"));
    Files.writeString(tmp.resolve("home/mailops.yml"), "mailops:\n  storage-quota-warn-percent: 95\n");
    assertThat(run("storage", "usage", "--storage", uri).out()).doesNotContain("Quota:");
    Files.writeString(tmp.resolve("home/mailops.yml"), "mailops:\n  storage-quota-warn-percent: lots\n");
    CliResult bad = run("storage", "usage", "--storage", uri);
    assertThat(bad.code()).isEqualTo(2);
    assertThat(bad.err()).contains("mailops.storage-quota-warn-percent is 'lots'").contains("1 to 100");
    assertThat(run("storage", "usage", "--storage", uri, "--warn-percent", "101").code()).isEqualTo(2);
  }

  @Test
  void byFolderListsTheFoldersUnderTheirAccountAndFoldersIsItsAlias() {
    CliResult r = run("storage", "usage", "--storage", uri, "--by", "folder", "--account", "alice@example.com");

    assertThat(r.out()).containsPattern("alice@example.com\\s+2 folders\\s+3\\s+1\\s+3.0 KiB");
    assertThat(r.out()).containsPattern("\n\\s+INBOX\\s+2\\s+1\\s+1.0 KiB\\s+2025-03-01\\s+2025-03-01\n");
    assertThat(r.out()).containsPattern("\n\\s+Sent\\s+1\\s+0\\s+2.0 KiB\\s+2023-02-01\\s+2023-02-01\n");
    assertThat(run("storage", "usage", "--storage", uri, "--folders", "--account", "alice@example.com").out())
        .isEqualTo(r.out());
    CliResult both = run("storage", "usage", "--storage", uri, "--folders", "--by", "domain");
    assertThat(both.code()).isEqualTo(2);
    assertThat(both.err()).contains("--folders means --by folder");
    assertThat(run("storage", "usage", "--by", "mailbox").err()).contains("use domain, account or folder");
  }

  @Test
  void csvHasAHeaderRowOneRowPerLevelAndATotalRow() throws Exception {
    CliResult r = run("storage", "usage", "--storage", uri, "--csv", "--by", "folder");

    assertThat(r.code()).as(r.err()).isZero();
    List<CSVRecord> rows = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).get()
        .parse(new StringReader(r.out())).getRecords();
    assertThat(rows.get(0).getParser().getHeaderNames()).containsExactly("level", "domain", "account",
        "folder", "messages", "bytes", "unseen", "oldest", "newest", "quota_limit_bytes",
        "quota_limit_messages", "quota_used_bytes", "quota_used_messages", "quota_percent", "quota_state");
    assertThat(rows).extracting(x -> x.get("level") + " " + x.get("account") + " " + x.get("folder")
        + " " + x.get("messages") + " " + x.get("bytes")).containsExactly(
        "folder alice@example.com INBOX 2 1024", "folder alice@example.com Sent 1 2048",
        "folder bob@example.com INBOX 1 10", "folder carol@example.org INBOX 0 0", "total   4 3082");
    assertThat(rows.get(1).get("oldest")).isEqualTo("2023-02-01T08:00:00Z");
    assertThat(rows.get(3).get("oldest")).isEmpty();

    List<CSVRecord> accounts = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).get()
        .parse(new StringReader(run("storage", "usage", "--storage", uri, "--csv").out())).getRecords();
    assertThat(accounts.get(0).get("quota_limit_bytes")).isEqualTo("3300");
    assertThat(accounts.get(0).get("quota_used_messages")).isEqualTo("3");
    assertThat(accounts.get(0).get("quota_percent")).isEqualTo("93.1");
    assertThat(accounts.get(0).get("quota_state")).isEqualTo("warn");
    assertThat(accounts.get(1).get("quota_limit_bytes")).isEmpty();
    assertThat(accounts.get(1).get("quota_state")).isEqualTo("ok");
    assertThat(accounts.get(2).get("quota_state")).as("no maildirsize").isEmpty();
  }

  @Test
  void jsonIsOneDocumentWithDomainsAccountsFoldersQuotaAndTotals() throws Exception {
    CliResult r = run("storage", "usage", "--storage", uri, "--json", "--by", "domain");

    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out().strip().lines()).hasSize(1);
    JsonNode doc = JsonMapper.builder().build().readTree(r.out());
    assertThat(doc.get("store").asString()).isEqualTo(uri);
    assertThat(doc.get("domains").get(0).get("accounts").asInt()).isEqualTo(2);
    JsonNode alice = doc.get("accounts").get(0);
    assertThat(alice.get("account").asString()).isEqualTo("alice@example.com");
    assertThat(alice.get("unseen").asLong()).isEqualTo(1);
    assertThat(alice.get("oldest").asString()).isEqualTo("2023-02-01T08:00:00Z");
    assertThat(alice.get("quota").get("limit_bytes").asLong()).isEqualTo(3300);
    assertThat(alice.get("quota").get("percent").asDouble()).isEqualTo(93.1);
    assertThat(alice.get("quota").get("state").asString()).isEqualTo("warn");
    assertThat(alice.get("folders").get(1).get("folder").asString()).isEqualTo("Sent");
    assertThat(doc.get("accounts").get(2).get("quota").isNull()).isTrue();
    assertThat(doc.get("totals").get("messages").asLong()).isEqualTo(4);
    assertThat(doc.get("totals").get("bytes").asLong()).isEqualTo(3082);
    assertThat(run("storage", "usage", "--storage", uri, "--json", "--csv").code()).isEqualTo(2);
  }

  @Test
  void storesOtherThanMaildirHaveEmptyQuotaColumns() throws Exception {
    Path eml = Files.createDirectories(tmp.resolve("eml/example.com/dave/INBOX"));
    Files.writeString(eml.resolve("1.eml"), "Subject: hi\n\nbody\n");

    CliResult r = run("storage", "usage", "--storage", "eml:" + tmp.resolve("eml"), "--csv");

    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).contains("account,example.com,dave@example.com,,1,18,1,").endsWith(",,,,,,\n");
  }

  @Test
  void brokenMaildirsizeIsListedAsSkippedWithExitThree() throws Exception {
    MaildirFixture.account(store, "example.com", "bob").control("", "maildirsize", "lots\n");

    CliResult r = run("storage", "usage", "--storage", uri);

    assertThat(r.code()).isEqualTo(3);
    assertThat(r.out()).contains("Skipped 1 items:").contains("bob/Maildir/maildirsize: quota of bob@example.com");
  }
}
