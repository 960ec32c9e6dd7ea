package io.mailops.storage.maildir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mailops.storage.FolderScan;
import io.mailops.storage.MailStoreException;
import io.mailops.storage.MailStores;
import io.mailops.storage.MessageGoneException;
import io.mailops.storage.PasswordSource;
import io.mailops.storage.model.AccountId;
import io.mailops.storage.model.Flag;
import io.mailops.storage.model.Flags;
import io.mailops.storage.model.FolderPath;
import io.mailops.storage.model.MessageRef;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MaildirStoreTest {

  static final String MSG = "From: bob@example.org\nSubject: msg 1\nMessage-ID: <m1@example.org>\n\nbody\n";
  static final Instant DATE = Instant.parse("2026-11-01T12:34:56Z");
  static final AccountId ALICE = AccountId.of("alice@example.com");

  @TempDir
  Path root;

  MaildirFixture alice;
  MaildirStore store;

  @BeforeEach
  void setUp() {
    alice = MaildirFixture.account(root, "example.com", "alice");
    store = new MaildirStore(root, MaildirLayout.standard(),
        new MaildirStore.Settings(Clock.fixed(DATE, ZoneOffset.UTC), "vm", 4832));
  }

  @Test
  void readsTheTreeDovecotWroteWithFlagsKeywordsUidsAndDates() throws Exception {
    // names and control files as dovecot 2.3.19 left them (reference §2.8)
    alice.message("", "new", "1795310943.M243798P4832.vm,S=133,W=140:2,RS", MSG, DATE);
    alice.message("", "new", "1795310943.M261922P4834.vm,S=133,W=140:2,FSa", MSG, DATE.plusSeconds(1));
    alice.message("", "cur", "1795310943.M290721P4836.vm,S=133,W=140:2,b", MSG, DATE.plusSeconds(2));
    alice.message("", "new", "1795310943.M320110P4838.vm,S=133,W=140", MSG, DATE.plusSeconds(3));
    alice.control("", "dovecot-keywords", "0 $Junk\n1 NonJunk\n");
    alice.control("", "dovecot-uidlist", "3 V1795310945 N5 G7c97be0c5f45026bdb12000083ecc375\n"
        + "1 :1795310943.M243798P4832.vm,S=133,W=140\n"
        + "2 G00aa :1795310943.M261922P4834.vm,S=133,W=140\n"
        + "4 W140 :1795310943.M320110P4838.vm,S=133,W=140\n");

    FolderScan scan = store.scan(ALICE, FolderPath.INBOX);

    assertThat(scan.skipped()).isEmpty();
    assertThat(scan.messages()).extracting(m -> m.key().value()).containsExactly(
        "1795310943.M243798P4832.vm,S=133,W=140", "1795310943.M261922P4834.vm,S=133,W=140",
        "1795310943.M290721P4836.vm,S=133,W=140", "1795310943.M320110P4838.vm,S=133,W=140");
    MessageRef first = scan.messages().get(0);
    assertThat(first.flags().system()).containsExactlyInAnyOrder(Flag.ANSWERED, Flag.SEEN);
    assertThat(first.uid()).hasValue(1);
    assertThat(first.size()).isEqualTo(133);
    assertThat(first.internalDate()).isEqualTo(DATE);
    MessageRef second = scan.messages().get(1);
    assertThat(second.flags()).isEqualTo(Flags.of(Set.of(Flag.FLAGGED, Flag.SEEN), Set.of("$Junk")));
    assertThat(second.guid()).hasValue("00aa");
    assertThat(scan.messages().get(2).flags().keywords()).containsExactly("NonJunk");
    assertThat(scan.messages().get(2).uid()).isEmpty();
    assertThat(scan.messages().get(3).flags()).isEqualTo(Flags.NONE);
    assertThat(scan.messages().get(3).uid()).hasValue(4);
    assertThat(store.uidValidity(ALICE, FolderPath.INBOX)).hasValue(1795310945L);
  }

  @Test
  void listsAccountsAndNonAsciiFoldersOfTheDefaultLayout() throws Exception {
    alice.folder("Projekte.&ANw-bersicht");
    alice.folder("Archive.2024");
    alice.folder("Sent");
    MaildirFixture.account(root, "example.org", "carol");

    assertThat(store.accounts()).containsExactly(ALICE, AccountId.of("carol@example.org"));
    assertThat(store.domains()).containsExactly("example.com", "example.org");
    assertThat(store.folders(ALICE)).containsExactly(FolderPath.INBOX, FolderPath.of("Archive/2024"),
        FolderPath.of("Projekte/Übersicht"), FolderPath.of("Sent"));
  }

  @Test
  void appendWritesThroughTmpIntoNewWithDovecotNameSizesAndMtime() throws Exception {
    String crlfAndLf = "Subject: x\r\n\r\nline1\nline2\r\n";
    MessageRef ref = store.append(ALICE, FolderPath.INBOX, in(crlfAndLf), Flags.NONE, DATE);

    long size = crlfAndLf.getBytes(StandardCharsets.UTF_8).length;
    assertThat(ref.key().value()).matches("1793536496\\.M0P4832Q\\d+\\.vm,S=" + size + ",W=" + (size + 1));
    Path file = alice.maildir().resolve(ref.location());
    assertThat(ref.location()).startsWith("new/");
    assertThat(Files.readString(file)).isEqualTo(crlfAndLf);
    assertThat(Files.getLastModifiedTime(file).toInstant()).isEqualTo(DATE);
    try (Stream<Path> tmp = Files.list(alice.maildir().resolve("tmp"))) {
      assertThat(tmp).isEmpty();
    }
  }

  @Test
  void appendWithFlagsGoesToCurWithSortedLettersAndRegistersKeywords() throws Exception {
    alice.control("", "dovecot-keywords", "0 $Junk\n");
    Flags flags = Flags.of(Set.of(Flag.SEEN, Flag.FLAGGED, Flag.ANSWERED, Flag.DRAFT, Flag.DELETED),
        Set.of("$Label1", "$Junk"));

    MessageRef ref = store.append(ALICE, FolderPath.INBOX, in(MSG), flags, DATE);

    assertThat(ref.location()).startsWith("cur/").endsWith(":2,DFRSTab");
    assertThat(Files.readString(alice.maildir().resolve("dovecot-keywords"))).isEqualTo("0 $Junk\n1 $Label1\n");
    assertThat(Files.exists(alice.maildir().resolve("dovecot-uidlist.lock"))).isFalse();
    MessageRef read = store.scan(ALICE, FolderPath.INBOX).messages().get(0);
    assertThat(read.flags()).isEqualTo(flags);
    assertThat(read.internalDate()).isEqualTo(DATE);
    try (InputStream s = store.open(ALICE, read)) {
      assertThat(new String(s.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo(MSG);
    }
  }

  @Test
  void appendAddsToMaildirsizeWhenDovecotKeepsOne() throws Exception {
    alice.control("", "maildirsize", "10485760S,1000C\n680 6\n");
    store.append(ALICE, FolderPath.INBOX, in(MSG), Flags.NONE, DATE);
    assertThat(Files.readString(alice.maildir().resolve("maildirsize")))
        .isEqualTo("10485760S,1000C\n680 6\n" + MSG.length() + " 1\n");
  }

  @Test
  void createFolderMakesMaildirPlusPlusDirectoryWithEncodedName() throws Exception {
    store.createFolder(ALICE, FolderPath.of("Projekte/Übersicht"));
    Path dir = alice.maildir().resolve(".Projekte.&ANw-bersicht");
    assertThat(dir.resolve("cur")).isDirectory();
    assertThat(dir.resolve("new")).isDirectory();
    assertThat(dir.resolve("tmp")).isDirectory();
    assertThat(dir.resolve("maildirfolder")).isRegularFile();
    assertThat(store.folders(ALICE)).contains(FolderPath.of("Projekte/Übersicht"));
  }

  @Test
  void createFolderForANewAccountCreatesItsMaildir() throws Exception {
    AccountId dave = AccountId.of("dave@example.net");
    store.createFolder(dave, FolderPath.of("Sent"));
    assertThat(root.resolve("example.net/dave/Maildir/cur")).isDirectory();
    assertThat(Files.getPosixFilePermissions(root.resolve("example.net/dave/Maildir")))
        .isEqualTo(java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
    MessageRef ref = store.append(dave, FolderPath.of("Sent"), in(MSG), Flags.NONE, DATE);
    Path file = root.resolve("example.net/dave/Maildir/.Sent").resolve(ref.location());
    assertThat(Files.getPosixFilePermissions(file))
        .isEqualTo(java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
    assertThat(store.accounts()).contains(dave);
  }

  @Test
  void folderNameWithDotIsRefusedWithTheReason() {
    assertThatThrownBy(() -> store.createFolder(ALICE, FolderPath.of("a.b")))
        .isInstanceOf(MailStoreException.class).hasMessageContaining("'a.b'").hasMessageContaining("separator");
  }

  @Test
  void messageRenamedAfterTheScanIsFoundAgainByBaseName() throws Exception {
    Path f = alice.message("", "new", "123.M1P1.vm,S=5", "hello", DATE);
    MessageRef ref = store.scan(ALICE, FolderPath.INBOX).messages().get(0);
    Files.move(f, alice.maildir().resolve("cur/123.M1P1.vm,S=5:2,S"));
    try (InputStream s = store.open(ALICE, ref)) {
      assertThat(s.readAllBytes()).isEqualTo("hello".getBytes(StandardCharsets.UTF_8));
    }
  }

  @Test
  void messageExpungedAfterTheScanIsReportedGone() throws Exception {
    Path f = alice.message("", "cur", "123.M1P1.vm,S=5:2,S", "hello", DATE);
    MessageRef ref = store.scan(ALICE, FolderPath.INBOX).messages().get(0);
    Files.delete(f);
    assertThatThrownBy(() -> store.open(ALICE, ref)).isInstanceOf(MessageGoneException.class)
        .hasMessageContaining("123.M1P1.vm,S=5").hasMessageContaining("alice@example.com");
  }

  @Test
  void tmpIsNeverRead() throws Exception {
    alice.message("", "tmp", "999.M1P1.vm", "being delivered", DATE);
    assertThat(store.scan(ALICE, FolderPath.INBOX).messages()).isEmpty();
  }

  @Test
  void garbageFileNamesAreRecordedSkipsNotMessages() throws Exception {
    alice.message("", "cur", "123.M1P1.vm:1,S", "x", DATE);
    alice.message("", "cur", "good.M1P1.vm:2,S", "x", DATE);
    alice.message("", "cur", ".hidden", "x", DATE);
    FolderScan scan = store.scan(ALICE, FolderPath.INBOX);
    assertThat(scan.messages()).hasSize(1);
    assertThat(scan.skipped()).singleElement().satisfies(s -> {
      assertThat(s.subject()).endsWith("123.M1P1.vm:1,S");
      assertThat(s.reason()).contains("unknown info");
    });
  }

  @Test
  void brokenUidlistIsASkipAndMessagesAreStillListed() throws Exception {
    alice.message("", "cur", "1.M1P1.vm:2,S", "x", DATE);
    alice.control("", "dovecot-uidlist", "3 V1 N3\n2 :a\n1 :b\n");
    FolderScan scan = store.scan(ALICE, FolderPath.INBOX);
    assertThat(scan.messages()).hasSize(1);
    assertThat(scan.skipped()).singleElement().satisfies(s ->
        assertThat(s.reason()).contains("line 3").contains("not above"));
  }

  @Test
  void uidlistVersion1IsRead() throws Exception {
    alice.message("", "cur", "1.M1P1.vm:2,S", "x", DATE);
    alice.control("", "dovecot-uidlist", "1 1234 7\n5 1.M1P1.vm:2,S\n");
    assertThat(store.scan(ALICE, FolderPath.INBOX).messages().get(0).uid()).hasValue(5);
    assertThat(store.uidValidity(ALICE, FolderPath.INBOX)).hasValue(1234);
  }

  @Test
  void folderWithoutCurIsASkip() throws Exception {
    Path dir = alice.folder("Broken");
    Files.delete(dir.resolve("cur"));
    FolderScan scan = store.scan(ALICE, FolderPath.of("Broken"));
    assertThat(scan.messages()).isEmpty();
    assertThat(scan.skipped()).singleElement().satisfies(s -> assertThat(s.reason()).contains("no cur/"));
  }

  @Test
  void invalidFolderNameOnDiskIsAFolderProblem() throws Exception {
    alice.folder("Bad&Name");
    assertThat(store.folders(ALICE)).containsExactly(FolderPath.INBOX);
    assertThat(store.folderProblems(ALICE)).singleElement()
        .satisfies(s -> assertThat(s.subject()).endsWith(".Bad&Name"));
  }

  @Test
  void missingFolderIsAnErrorNamingFolderAndAccount() {
    assertThatThrownBy(() -> store.scan(ALICE, FolderPath.of("Nope")))
        .isInstanceOf(MailStoreException.class).hasMessageContaining("'Nope'").hasMessageContaining("alice@example.com");
  }

  @Test
  void unreadableFolderIsAClearError() throws Exception {
    // root reads everything; as root this runs end to end in jobs' PermissionDeniedIT instead
    org.junit.jupiter.api.Assumptions.assumeFalse("root".equals(System.getProperty("user.name")));
    Path cur = alice.maildir().resolve("cur");
    cur.toFile().setReadable(false);
    try {
      assertThatThrownBy(() -> store.scan(ALICE, FolderPath.INBOX)).hasMessageContaining("permission denied");
    } finally {
      cur.toFile().setReadable(true);
    }
  }

  @Test
  void storeUriSelectsLayoutAndSingleMaildir() throws Exception {
    Path single = root.resolve("example.com/alice/Maildir");
    alice.message("", "cur", "1.M1P1.vm:2,S", "x", DATE);
    try (var s = MailStores.open("maildir:" + single + "?layout=.&account=alice@example.com", PasswordSource.NONE)) {
      assertThat(s.accounts()).containsExactly(ALICE);
      assertThat(s.scan(ALICE, FolderPath.INBOX).messages()).hasSize(1);
    }
    try (var s = MailStores.open("maildir:" + root.resolve("example.com") + "?layout={user}/Maildir&domain=example.com",
        PasswordSource.NONE)) {
      assertThat(s.accounts()).containsExactly(ALICE);
    }
  }

  @Test
  void messagesAreKeptInKeyOrderAndEachOnceWhenInBothNewAndCur() throws Exception {
    alice.message("", "new", "2.M1P1.vm", "x", DATE);
    alice.message("", "cur", "1.M1P1.vm:2,S", "x", DATE);
    List<MessageRef> msgs = store.scan(ALICE, FolderPath.INBOX).messages();
    assertThat(msgs).extracting(m -> m.key().value()).containsExactly("1.M1P1.vm", "2.M1P1.vm");
  }

  static InputStream in(String s) {
    return new ByteArrayInputStream(s.getBytes(StandardCharsets.UTF_8));
  }
}
