package io.mailops.storage.sample;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mailops.storage.maildir.MaildirLayout;
import io.mailops.storage.maildir.MaildirStore;
import io.mailops.storage.model.AccountId;
import io.mailops.storage.model.FolderPath;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The store-level contract of the generator, on small samples written into real Maildirs. */
class SampleGeneratorTest {

  static final List<String> FIXED_FOLDERS = List.of("INBOX", "Sent", "Drafts", "Trash", "Archive",
      "Archive/2024", "Projekte/Übersicht", "Reports/Q1");
  static final List<String> OPTIONAL_FOLDERS = List.of("Entwürfe", "日本語", "Café & Bar");

  @TempDir
  Path tmp;

  private MaildirStore store(String name) {
    return new MaildirStore(tmp.resolve(name), MaildirLayout.standard(), MaildirStore.Settings.defaults());
  }

  private List<StoredMessage> generate(String name, SampleSettings settings) throws IOException {
    try (MaildirStore store = store(name)) {
      SampleGenerator.generate(store, settings, SampleGenerator.Listener.NONE);
      return StoredMessage.readAll(store);
    }
  }

  @Test
  void theSameSeedShouldGiveTheSameMessagesFlagsDatesAndFolders() throws IOException {
    SampleSettings settings = new SampleSettings(2, 2, 25, 7L);

    List<StoredMessage> first = generate("one", settings);
    List<StoredMessage> second = generate("two", settings);

    assertThat(first).hasSize(100);
    assertThat(StoredMessage.identities(second)).isEqualTo(StoredMessage.identities(first));
  }

  @Test
  void aDifferentSeedShouldGiveDifferentMessages() throws IOException {
    List<StoredMessage> a = generate("a", new SampleSettings(1, 2, 20, 1L));
    List<StoredMessage> b = generate("b", new SampleSettings(1, 2, 20, 2L));

    assertThat(b).hasSameSizeAs(a);
    List<String> hashesA = a.stream().map(m -> StoredMessage.sha256(m.bytes())).toList();
    assertThat(b).noneMatch(m -> hashesA.contains(StoredMessage.sha256(m.bytes())));
    assertThat(StoredMessage.identities(b)).isNotEqualTo(StoredMessage.identities(a));
  }

  @Test
  void moreMessagesPerAccountShouldKeepEveryEarlierMessageOfEveryAccount() throws IOException {
    List<String> fewer = StoredMessage.identities(generate("fewer", new SampleSettings(2, 2, 12, 5L)));
    List<String> more = StoredMessage.identities(generate("more", new SampleSettings(2, 2, 20, 5L)));

    assertThat(more).hasSize(80).containsAll(fewer);
  }

  @Test
  void domainsShouldBeTheExampleDomainsThenNumberedTestDomains() throws IOException {
    try (MaildirStore store = store("domains")) {
      SampleReport report = SampleGenerator.generate(store, new SampleSettings(5, 1, 0, 42L),
          SampleGenerator.Listener.NONE);

      assertThat(store.domains()).containsExactly("example.com", "example.net", "example.org",
          "sample4.test", "sample5.test");
      assertThat(store.accounts()).allMatch(a -> a.user().equals("alice"));
      assertThat(report.domains()).isEqualTo(5);
      assertThat(report.accounts()).isEqualTo(5);
      assertThat(report.messages()).isZero();
      assertThat(report.bytes()).isZero();
    }
  }

  @Test
  void usersShouldComeFromTheFixedListAndBeNumberedOnceItIsUsedUp() throws IOException {
    try (MaildirStore store = store("users")) {
      SampleGenerator.generate(store, new SampleSettings(1, 21, 0, 42L), SampleGenerator.Listener.NONE);

      assertThat(store.accounts()).map(AccountId::user).containsExactlyInAnyOrder("alice", "bob",
          "carol", "dave", "erin", "frank", "grace", "heidi", "ivan", "judy", "mallory", "niaj",
          "olivia", "peggy", "rupert", "sybil", "trent", "victor", "walter", "alice2", "bob2");
      long withExtras = store.accounts().stream().filter(a -> hasAnyOptional(store, a)).count();
      assertThat(withExtras).as("accounts with non-ASCII extra folders").isBetween(2L, 20L);
    }
  }

  @Test
  void everyAccountShouldHaveTheFixedFoldersStoredUnderTheirMaildirPlusPlusNames() throws IOException {
    try (MaildirStore store = store("folders")) {
      SampleReport report = SampleGenerator.generate(store, new SampleSettings(2, 3, 0, 42L),
          SampleGenerator.Listener.NONE);

      int folders = 0;
      for (AccountId account : store.accounts()) {
        List<String> names = store.folders(account).stream().map(FolderPath::toString).toList();
        assertThat(names).containsAll(FIXED_FOLDERS).allMatch(n -> n.indexOf('.') < 0);
        assertThat(names.get(0)).isEqualTo("INBOX");
        folders += names.size();
      }
      assertThat(report.folders()).isEqualTo(folders);

      AccountId first = AccountId.of("alice@example.com");
      assertThat(store.folders(first)).map(FolderPath::toString).containsAll(OPTIONAL_FOLDERS);
      Path maildir = store.maildir(first);
      assertThat(maildir).isEqualTo(tmp.resolve("folders/example.com/alice/Maildir").toAbsolutePath());
      assertThat(maildir.resolve(".Projekte.&ANw-bersicht/cur")).isDirectory();
      assertThat(maildir.resolve(".Projekte.&ANw-bersicht/maildirfolder")).isRegularFile();
      assertThat(maildir.resolve(".Archive.2024")).isDirectory();
      assertThat(maildir.resolve(".Reports.Q1")).isDirectory();
      assertThat(maildir.resolve(".Caf&AOk- &- Bar")).isDirectory();
      assertThat(maildir.resolve(".Entw&APw-rfe")).isDirectory();
      assertThat(maildir.resolve(".&ZeVnLIqe-")).isDirectory();
    }
  }

  private static boolean hasAnyOptional(MaildirStore store, AccountId a) {
    try {
      return store.folders(a).stream().map(FolderPath::toString).anyMatch(OPTIONAL_FOLDERS::contains);
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void theListenerShouldHearOfEveryAccountInOrderAndTheReportShouldCountWhatWasWritten()
      throws IOException {
    List<String> heard = new ArrayList<>();
    try (MaildirStore store = store("listen")) {
      SampleReport report = SampleGenerator.generate(store, new SampleSettings(2, 3, 5, 3L),
          (account, done, total) -> heard.add(account + " " + done + "/" + total));

      assertThat(heard).containsExactly("alice@example.com 1/6", "bob@example.com 2/6",
          "carol@example.com 3/6", "alice@example.org 4/6", "bob@example.org 5/6",
          "carol@example.org 6/6");
      List<StoredMessage> all = StoredMessage.readAll(store);
      assertThat(report.messages()).isEqualTo(30).isEqualTo(all.size());
      assertThat(report.bytes()).isEqualTo(all.stream().mapToLong(m -> m.bytes().length).sum());
      assertThat(report.accounts()).isEqualTo(6);
    }
  }

  @Test
  void inboxShouldGetTheMostMessagesOfAnAccount() throws IOException {
    List<StoredMessage> all = generate("spread", new SampleSettings(1, 1, 300, 11L));

    Map<FolderPath, Long> perFolder = all.stream()
        .collect(Collectors.groupingBy(StoredMessage::folder, Collectors.counting()));
    long inbox = perFolder.get(FolderPath.INBOX);
    assertThat(perFolder).hasSizeGreaterThanOrEqualTo(FIXED_FOLDERS.size());
    assertThat(perFolder.entrySet()).filteredOn(e -> !e.getKey().isInbox())
        .allMatch(e -> e.getValue() < inbox);
    assertThat(inbox).isBetween(60L, 150L);
    assertThat(perFolder).containsKey(FolderPath.of("Projekte/Übersicht"));
  }

  @Test
  void generateShouldRefuseAMissingListener() throws IOException {
    try (MaildirStore store = store("null")) {
      assertThatThrownBy(() -> SampleGenerator.generate(store, SampleSettings.defaults(), null))
          .isInstanceOf(NullPointerException.class).hasMessageContaining("Listener.NONE");
    }
    assertThat(Files.exists(tmp.resolve("null"))).isFalse();
  }
}
