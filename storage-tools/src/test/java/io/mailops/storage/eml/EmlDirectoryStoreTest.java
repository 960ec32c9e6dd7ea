package io.mailops.storage.eml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mailops.storage.FolderScan;
import io.mailops.storage.MailStore;
import io.mailops.storage.MailStoreContract;
import io.mailops.storage.MailStoreException;
import io.mailops.storage.MessageGoneException;
import io.mailops.storage.PasswordSource;
import io.mailops.storage.Skip;
import io.mailops.storage.MailStores;
import io.mailops.storage.model.AccountId;
import io.mailops.storage.model.Flag;
import io.mailops.storage.model.Flags;
import io.mailops.storage.model.FolderPath;
import io.mailops.storage.model.MessageRef;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmlDirectoryStoreTest implements MailStoreContract {

  private static final AccountId ALICE = AccountId.of("alice@example.com");

  @TempDir
  Path root;

  private EmlDirectoryStore store;

  @BeforeEach
  void setUp() throws IOException {
    store = new EmlDirectoryStore(root, Optional.empty());
    store.createFolder(ALICE, FolderPath.INBOX);
  }

  @AfterEach
  void tearDown() {
    store.close();
  }

  @Override
  public MailStore store() {
    return store;
  }

  @Override
  public AccountId account() {
    return ALICE;
  }

  @Override
  public boolean keepsFlags() {
    return false;
  }

  @Test
  void layoutShouldBeDomainUserAndFolderDirectoriesWithUnicodeNames() throws IOException {
    store.createFolder(ALICE, NESTED);
    MessageRef ref = store.append(ALICE, NESTED,
        new ByteArrayInputStream(MailStoreContract.sampleMessage("layout")), Flags.NONE, DATE);

    Path file = root.resolve("example.com/alice/Projekte/Übersicht").resolve(ref.location());
    assertThat(file).isRegularFile();
    assertThat(ref.location()).isEqualTo(ref.key().value() + ".eml").matches("[0-9a-f]{16}-1\\.eml");
    assertThat(Files.getLastModifiedTime(file).toInstant()).isEqualTo(DATE);
    assertThat(root.resolve("example.com/alice/INBOX")).isDirectory();
  }

  @Test
  void appendShouldDropFlagsAndSayTheReferenceHasNone() throws IOException {
    MessageRef ref = store.append(ALICE, FolderPath.INBOX,
        new ByteArrayInputStream(MailStoreContract.sampleMessage("flags")), Flags.of(Flag.SEEN), DATE);

    assertThat(ref.flags()).isEqualTo(Flags.NONE);
    assertThat(ref.uid()).isEmpty();
  }

  @Test
  void scanShouldSkipOtherFilesAndHiddenFilesWithAReason() throws IOException {
    Path inbox = root.resolve("example.com/alice/INBOX");
    Files.writeString(inbox.resolve("notes.txt"), "not mail");
    Files.writeString(inbox.resolve(".DS_Store"), "x");
    Files.write(inbox.resolve("kept.eml"), MailStoreContract.sampleMessage("kept"));
    Files.createDirectory(inbox.resolve("Sub"));

    FolderScan scan = store.scan(ALICE, FolderPath.INBOX);

    assertThat(scan.messages()).extracting(m -> m.key().value()).containsExactly("kept");
    assertThat(scan.skipped()).extracting(Skip::subject)
        .containsExactlyInAnyOrder(inbox.resolve("notes.txt").toString(),
            inbox.resolve(".DS_Store").toString());
    assertThat(scan.skipped()).allSatisfy(s -> assertThat(s.reason()).isNotBlank());
    assertThat(store.folders(ALICE)).contains(FolderPath.of("INBOX/Sub"));
  }

  @Test
  void aDirectoryWithEmlFilesAtTheTopShouldBeOneAccountWhoseInboxIsTheDirectory(@TempDir Path flat)
      throws IOException {
    Files.write(flat.resolve("a.eml"), MailStoreContract.sampleMessage("a"));
    Files.createDirectories(flat.resolve("Sent"));
    Files.write(flat.resolve("Sent/b.eml"), MailStoreContract.sampleMessage("b"));

    try (EmlDirectoryStore s = new EmlDirectoryStore(flat, Optional.empty())) {
      AccountId mail = AccountId.of("mail@localhost");
      assertThat(s.isFlat()).isTrue();
      assertThat(s.accounts()).containsExactly(mail);
      assertThat(s.folders(mail)).containsExactly(FolderPath.INBOX, FolderPath.of("Sent"));
      assertThat(s.scan(mail, FolderPath.INBOX).messages()).extracting(m -> m.key().value())
          .containsExactly("a");
      assertThat(s.scan(mail, FolderPath.of("Sent")).messages()).hasSize(1);
    }
  }

  @Test
  void theAccountParameterShouldNameTheAccountOfAFlatDirectory(@TempDir Path flat)
      throws IOException {
    Files.write(flat.resolve("a.eml"), MailStoreContract.sampleMessage("a"));

    try (MailStore s = new EmlDirectoryStoreProvider().open(
        MailStores.parse("eml:" + flat + "?account=bob@example.org"), PasswordSource.NONE)) {
      assertThat(s.accounts()).containsExactly(AccountId.of("bob@example.org"));
      assertThatThrownBy(() -> s.folders(ALICE)).isInstanceOf(MailStoreException.class)
          .hasMessageContaining("alice@example.com").hasMessageContaining("bob@example.org");
    }
  }

  @Test
  void accountsShouldComeFromDomainAndUserDirectoriesSorted() throws IOException {
    store.createFolder(AccountId.of("zoe@example.com"), FolderPath.INBOX);
    store.createFolder(AccountId.of("bob@aaa.example"), FolderPath.INBOX);
    Files.createDirectories(root.resolve(".hidden/x"));

    assertThat(store.accounts()).containsExactly(AccountId.of("bob@aaa.example"), ALICE,
        AccountId.of("zoe@example.com"));
    assertThat(store.domains()).containsExactly("aaa.example", "example.com");
  }

  @Test
  void openShouldThrowMessageGoneWhenTheFileWasDeleted() throws IOException {
    MessageRef ref = store.append(ALICE, FolderPath.INBOX,
        new ByteArrayInputStream(MailStoreContract.sampleMessage("gone")), Flags.NONE, DATE);
    Files.delete(root.resolve("example.com/alice/INBOX").resolve(ref.location()));

    assertThatThrownBy(() -> store.open(ALICE, ref)).isInstanceOf(MessageGoneException.class)
        .hasMessageContaining(ref.key().value()).hasMessageContaining("scan");
  }

  @Test
  void openShouldRefuseALocationThatLeavesTheFolder() throws IOException {
    MessageRef evil = new MessageRef(FolderPath.INBOX, io.mailops.storage.model.MessageKey.of("x"),
        1, Flags.NONE, DATE, java.util.OptionalLong.empty(), Optional.empty(), "../../../etc/passwd.eml");

    assertThatThrownBy(() -> store.open(ALICE, evil)).isInstanceOf(MailStoreException.class)
        .hasMessageContaining("../../../etc/passwd.eml");
  }

  @Test
  void foldersThatWouldBeHiddenOrLeaveTheAccountShouldBeRefused() {
    assertThatThrownBy(() -> store.createFolder(ALICE, FolderPath.of("../escape")))
        .isInstanceOf(MailStoreException.class).hasMessageContaining("../escape");
    assertThatThrownBy(() -> store.createFolder(ALICE, FolderPath.of(".hidden")))
        .isInstanceOf(MailStoreException.class).hasMessageContaining(".hidden");
  }

  @Test
  void theSameContentAppendedTwiceShouldGetTheNextCounterNotOverwrite() throws IOException {
    byte[] m = MailStoreContract.sampleMessage("twice");
    MessageRef first = store.append(ALICE, FolderPath.INBOX, new ByteArrayInputStream(m), Flags.NONE, DATE);
    MessageRef second = store.append(ALICE, FolderPath.INBOX, new ByteArrayInputStream(m), Flags.NONE, DATE);

    assertThat(first.location()).endsWith("-1.eml");
    assertThat(second.location()).endsWith("-2.eml")
        .startsWith(first.location().substring(0, 16));
    try (var files = Files.list(root.resolve("example.com/alice/INBOX"))) {
      assertThat(files.map(p -> p.getFileName().toString()).sorted().toList())
          .as("no temporary files left").isEqualTo(List.of(first.location(), second.location()));
    }
  }

  @Test
  void internalDateShouldBeTheFileModificationTime() throws IOException {
    Path inbox = root.resolve("example.com/alice/INBOX");
    Path f = Files.write(inbox.resolve("old.eml"), MailStoreContract.sampleMessage("old"));
    Files.setLastModifiedTime(f, FileTime.from(java.time.Instant.parse("2001-02-03T04:05:06Z")));

    assertThat(store.scan(ALICE, FolderPath.INBOX).messages().get(0).internalDate())
        .isEqualTo(java.time.Instant.parse("2001-02-03T04:05:06Z"));
  }

  @Test
  void aFileInsteadOfADirectoryShouldBeRefusedWithTheFix(@TempDir Path dir) throws IOException {
    Path file = Files.writeString(dir.resolve("x.eml"), "x");

    assertThatThrownBy(() -> new EmlDirectoryStore(file, Optional.empty()))
        .isInstanceOf(MailStoreException.class).hasMessageContaining(file.toString())
        .hasMessageContaining("directory");
  }

  @Test
  void mailStoresShouldOpenEmlUrisThroughTheServiceLoader() throws IOException {
    try (MailStore s = MailStores.open("eml:" + root, PasswordSource.NONE)) {
      assertThat(s).isInstanceOf(EmlDirectoryStore.class);
      assertThat(s.accounts()).containsExactly(ALICE);
    }
  }
}
