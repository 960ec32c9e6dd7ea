package io.mailops.storage.usage;

import static org.assertj.core.api.Assertions.assertThat;

import io.mailops.storage.maildir.MaildirFixture;
import io.mailops.storage.maildir.MaildirLayout;
import io.mailops.storage.maildir.MaildirStore;
import io.mailops.storage.memory.InMemoryMailStore;
import io.mailops.storage.model.AccountId;
import io.mailops.storage.model.Flag;
import io.mailops.storage.model.Flags;
import io.mailops.storage.model.FolderPath;
import io.mailops.storage.usage.StorageUsage.By;
import io.mailops.storage.usage.UsageRow.Level;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Usage per folder, account, domain and in total, with dates and the Maildir++ quota. */
class StorageUsageTest {

  static final Instant OLD = Instant.parse("2023-02-01T08:00:00Z");
  static final Instant MID = Instant.parse("2024-06-01T08:00:00Z");
  static final Instant NEW = Instant.parse("2025-03-01T10:00:00Z");
  static final AccountId ALICE = AccountId.of("alice@example.com");
  static final AccountId BOB = AccountId.of("bob@example.com");
  static final AccountId CAROL = AccountId.of("carol@example.org");

  @TempDir
  Path root;

  MaildirStore store;

  @BeforeEach
  void setUp() {
    MaildirFixture alice = MaildirFixture.account(root, "example.com", "alice");
    alice.message("", "cur", "1.M1P1.vm,S=1000:2,S", "x".repeat(1000), MID);
    alice.message("", "new", "2.M1P1.vm,S=24", "y".repeat(24), NEW);
    alice.folder("Sent");
    alice.message("Sent", "cur", "3.M1P1.vm,S=2048:2,RS", "z".repeat(2048), OLD);
    alice.control("", "maildirsize", "4000S,10C\n3072 3\n");
    MaildirFixture.account(root, "example.com", "bob").message("", "new", "4.M1P1.vm", "w".repeat(10), MID);
    MaildirFixture.account(root, "example.org", "carol");
    store = new MaildirStore(root, MaildirLayout.standard(), MaildirStore.Settings.defaults());
  }

  StorageUsage.Report measure() throws Exception {
    return StorageUsage.measure(store, a -> true, (u, i, n) -> { });
  }

  @Test
  void foldersCountMessagesBytesUnseenAndTheirOldestAndNewestInternalDate() throws Exception {
    StorageUsage.AccountUsage alice = measure().accounts().get(0);

    assertThat(alice.folders()).extracting(StorageUsage.FolderUsage::folder)
        .containsExactly(FolderPath.INBOX, FolderPath.of("Sent"));
    assertThat(alice.folders().get(0).counts()).isEqualTo(new Counts(2, 1024, 1, Optional.of(MID), Optional.of(NEW)));
    assertThat(alice.counts()).isEqualTo(new Counts(3, 3072, 1, Optional.of(OLD), Optional.of(NEW)));
  }

  @Test
  void rowsByDomainAccountAndFolderEndWithTheSameTotal() throws Exception {
    StorageUsage.Report r = measure();
    Counts total = new Counts(4, 3082, 2, Optional.of(OLD), Optional.of(NEW));

    List<UsageRow> domains = r.rows(By.DOMAIN);
    assertThat(domains).extracting(UsageRow::level, UsageRow::domain, UsageRow::children).containsExactly(
        org.assertj.core.groups.Tuple.tuple(Level.DOMAIN, "example.com", 2),
        org.assertj.core.groups.Tuple.tuple(Level.DOMAIN, "example.org", 1),
        org.assertj.core.groups.Tuple.tuple(Level.TOTAL, "", 0));
    assertThat(domains.get(0).counts().messages()).isEqualTo(4);
    assertThat(domains.get(1).counts()).isEqualTo(Counts.NONE);
    assertThat(r.rows(By.ACCOUNT)).extracting(UsageRow::account).containsExactly(Optional.of(ALICE),
        Optional.of(BOB), Optional.of(CAROL), Optional.empty());
    assertThat(r.rows(By.FOLDER)).hasSize(5).filteredOn(row -> row.level() == Level.FOLDER)
        .extracting(row -> row.account().orElseThrow() + " " + row.folder().orElseThrow())
        .containsExactly("alice@example.com INBOX", "alice@example.com Sent", "bob@example.com INBOX",
            "carol@example.org INBOX");
    for (By by : By.values()) {
      List<UsageRow> rows = r.rows(by);
      assertThat(rows.get(rows.size() - 1).counts()).as("total by %s", by).isEqualTo(total);
    }
  }

  @Test
  void maildirAccountsCarryTheQuotaOfTheirMaildirsizeOnTheirAccountRowOnly() throws Exception {
    StorageUsage.Report r = measure();

    assertThat(r.accounts().get(0).quota()).hasValue(Quota.parse("4000S,10C\n3072 3\n"));
    assertThat(r.accounts().get(1).quota()).isEmpty();
    assertThat(r.rows(By.ACCOUNT).get(0).quota().orElseThrow().percent().getAsDouble()).isEqualTo(76.8);
    assertThat(r.rows(By.FOLDER)).allSatisfy(row -> assertThat(row.quota()).isEmpty());
    assertThat(r.skipped()).isEmpty();
  }

  @Test
  void brokenMaildirsizeIsASkipNamingTheFileAndTheAccountKeepsItsCounts() throws Exception {
    MaildirFixture.account(root, "example.com", "alice").control("", "maildirsize", "garbage\n");

    StorageUsage.Report r = measure();

    assertThat(r.accounts().get(0).quota()).isEmpty();
    assertThat(r.accounts().get(0).messages()).isEqualTo(3);
    assertThat(r.skipped()).singleElement().satisfies(s -> {
      assertThat(s.subject()).endsWith("alice/Maildir/maildirsize");
      assertThat(s.reason()).contains("alice@example.com").contains("line 1");
    });
  }

  @Test
  void storesOtherThanMaildirHaveNoQuota() throws Exception {
    InMemoryMailStore mem = InMemoryMailStore.of(ALICE);
    mem.append(ALICE, FolderPath.INBOX, new ByteArrayInputStream("hello".getBytes(StandardCharsets.UTF_8)),
        Flags.of(Flag.SEEN), MID);

    StorageUsage.Report r = StorageUsage.measure(mem, a -> true, (u, i, n) -> { });

    assertThat(r.accounts().get(0).quota()).isEmpty();
    assertThat(r.total()).isEqualTo(new Counts(1, 5, 0, Optional.of(MID), Optional.of(MID)));
  }

  @Test
  void countsRejectImpossibleValues() {
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> new Counts(1, 5, 2, Optional.of(MID), Optional.of(MID)))
        .hasMessageContaining("unseen 2");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> new Counts(1, 5, 0, Optional.of(NEW), Optional.of(OLD)))
        .hasMessageContaining("oldest not after newest");
  }
}
