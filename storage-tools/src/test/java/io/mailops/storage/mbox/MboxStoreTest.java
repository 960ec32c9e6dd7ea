package io.mailops.storage.mbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mailops.storage.FolderScan;
import io.mailops.storage.MailStore;
import io.mailops.storage.MailStoreContract;
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
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MboxStoreTest implements MailStoreContract {

  private static final AccountId MAIL = AccountId.of("mail@localhost");

  @TempDir
  Path dir;

  private MboxStore store;

  @BeforeEach
  void setUp() throws IOException {
    store = new MboxStore(dir, Optional.empty());
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
    return MAIL;
  }

  @Override
  public boolean keepsFlags() {
    return false;
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private MessageRef append(MboxStore s, FolderPath folder, byte[] message) throws IOException {
    return s.append(MAIL, folder, new ByteArrayInputStream(message), Flags.NONE, DATE);
  }

  private static byte[] read(MboxStore s, MessageRef ref) throws IOException {
    try (InputStream in = s.open(MAIL, ref)) {
      return in.readAllBytes();
    }
  }

  @Test
  void aScanShouldListTheMessagesInTheFilesOrder() throws IOException {
    for (int i = 1; i <= 12; i++) {
      append(store, FolderPath.INBOX, bytes("Subject: " + i + "\n\nmessage " + i + "\n"));
    }
    List<String> subjects = new ArrayList<>();
    for (MessageRef ref : store.scan(MAIL, FolderPath.INBOX).messages()) {
      String text = new String(read(store, ref), StandardCharsets.UTF_8);
      subjects.add(text.substring("Subject: ".length(), text.indexOf('\n')));
    }
    assertThat(subjects).containsExactly("1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11",
        "12");
  }

  @Test
  void fromLinesInsideAMessageShouldBeQuotedOnDiskAndRoundTripExactly() throws IOException {
    byte[] message = bytes("Subject: quoting\n\nFrom me\n>From x\n>>From y\nFromage\n From z\n");

    MessageRef ref = append(store, FolderPath.INBOX, message);

    String onDisk = Files.readString(dir.resolve("INBOX.mbox"), StandardCharsets.UTF_8);
    assertThat(onDisk).isEqualTo("From MAILER-DAEMON Tue Mar  5 10:15:30 2024\n"
        + "Subject: quoting\n\n>From me\n>>From x\n>>>From y\nFromage\n From z\n\n");
    assertThat(read(store, ref)).isEqualTo(message);
    assertThat(ref.size()).isEqualTo(message.length);
  }

  @Test
  void aMessageStartingWithAFromLineShouldBeQuotedToo() throws IOException {
    byte[] message = bytes("From nobody Mon Jan  1 00:00:00 2001\nSubject: x\n\nbody\n");

    MessageRef ref = append(store, FolderPath.INBOX, message);
    MessageRef second = append(store, FolderPath.INBOX, bytes("Subject: y\n\n\n"));

    FolderScan scan = store.scan(MAIL, FolderPath.INBOX);
    assertThat(scan.messages()).hasSize(2);
    assertThat(read(store, ref)).isEqualTo(message);
    assertThat(read(store, second)).isEqualTo(bytes("Subject: y\n\n\n"));
  }

  @Test
  void theFromLineShouldCarryTheReturnPathAndTheDateInAsctimeUtc() throws IOException {
    MessageRef ref = append(store, FolderPath.INBOX, MailStoreContract.sampleMessage("sender"));

    String first = Files.readAllLines(dir.resolve("INBOX.mbox"), StandardCharsets.UTF_8).get(0);
    assertThat(first).isEqualTo("From alice@example.com Tue Mar  5 10:15:30 2024");
    assertThat(ref.key().value()).isEqualTo("offset-0");
    assertThat(ref.internalDate()).isEqualTo(DATE);
  }

  @Test
  void aMessageWithoutAFinalNewlineShouldGetOneAsDocumented() throws IOException {
    MessageRef lf = append(store, FolderPath.INBOX, bytes("Subject: a\n\nno newline"));
    MessageRef crlf = append(store, FolderPath.INBOX, bytes("Subject: b\r\n\r\nno newline"));

    assertThat(read(store, lf)).isEqualTo(bytes("Subject: a\n\nno newline\n"));
    assertThat(lf.size()).isEqualTo(read(store, lf).length);
    assertThat(read(store, crlf)).isEqualTo(bytes("Subject: b\r\n\r\nno newline\r\n"));
    assertThat(store.scan(MAIL, FolderPath.INBOX).messages()).extracting(MessageRef::size)
        .containsExactlyInAnyOrder(lf.size(), crlf.size());
  }

  @Test
  void aMessageEndingInBlankLinesShouldKeepThem() throws IOException {
    byte[] message = bytes("Subject: blank\n\nbody\n\n\n");

    MessageRef ref = append(store, FolderPath.INBOX, message);
    append(store, FolderPath.INBOX, bytes("Subject: next\n\n"));

    assertThat(read(store, ref)).isEqualTo(message);
    assertThat(store.scan(MAIL, FolderPath.INBOX).messages().get(0).size()).isEqualTo(message.length);
  }

  @Test
  void flagsShouldBeReadFromStatusXStatusAndXKeywordsHeaders(@TempDir Path d) throws IOException {
    Path file = d.resolve("mutt.mbox");
    Files.writeString(file, "From bob@example.com Thu Jan  1 00:00:00 2025\n"
        + "Subject: read and answered\nStatus: RO\nX-Status: AF\nX-Keywords: $Label1 NonJunk,\n Work\n"
        + "\nbody\n\n"
        + "From bob@example.com Fri Jan  2 12:30:45 2025\n"
        + "Subject: new\nStatus: O\nX-Keywords: bad(kw)\n\nbody\n\n", StandardCharsets.ISO_8859_1);

    try (MboxStore s = new MboxStore(file, Optional.empty())) {
      FolderScan scan = s.scan(MAIL, FolderPath.INBOX);

      assertThat(scan.messages()).hasSize(2);
      MessageRef first = scan.messages().get(0);
      assertThat(first.flags()).isEqualTo(Flags.of(Set.of(Flag.SEEN, Flag.ANSWERED, Flag.FLAGGED),
          Set.of("$Label1", "NonJunk", "Work")));
      assertThat(first.internalDate()).isEqualTo(Instant.parse("2025-01-01T00:00:00Z"));
      MessageRef second = scan.messages().get(1);
      assertThat(second.flags()).isEqualTo(Flags.NONE);
      assertThat(second.internalDate()).isEqualTo(Instant.parse("2025-01-02T12:30:45Z"));
      assertThat(scan.skipped()).singleElement()
          .satisfies(skip -> assertThat(skip.reason()).contains("bad(kw)"));
      assertThat(new String(read(s, second), StandardCharsets.ISO_8859_1))
          .isEqualTo("Subject: new\nStatus: O\nX-Keywords: bad(kw)\n\nbody\n");
    }
  }

  @Test
  void aFileStoreShouldHoldOnlyInbox(@TempDir Path d) throws IOException {
    Path file = d.resolve("single.mbox");
    try (MboxStore s = new MboxStore(file, Optional.of(AccountId.of("bob@example.org")))) {
      AccountId bob = AccountId.of("bob@example.org");
      assertThat(s.folders(bob)).containsExactly(FolderPath.INBOX);
      assertThat(s.scan(bob, FolderPath.INBOX).messages()).isEmpty();
      MessageRef ref = s.append(bob, FolderPath.INBOX,
          new ByteArrayInputStream(bytes("Subject: x\n\n")), Flags.NONE, DATE);
      assertThat(file).isRegularFile();
      assertThat(s.scan(bob, FolderPath.INBOX).messages()).containsExactly(ref);
      assertThatThrownBy(() -> s.createFolder(bob, FolderPath.of("Sent")))
          .isInstanceOf(MailStoreException.class).hasMessageContaining("Sent")
          .hasMessageContaining("directory");
    }
  }

  @Test
  void aDirectoryTreeShouldMapFilesToFolders() throws IOException {
    Files.createDirectories(dir.resolve("Archive/2024"));
    Files.createDirectories(dir.resolve("Apple.mbox"));
    Files.writeString(dir.resolve("inbox"), "");
    Files.writeString(dir.resolve("Sent.mbox"), "");
    Files.writeString(dir.resolve("Archive/2024/März.mbox"), "");
    Files.writeString(dir.resolve("Apple.mbox/mbox"), "");
    Files.writeString(dir.resolve("Archive/notes.txt"), "");
    Files.writeString(dir.resolve("Sent.mbox.lock"), "");

    assertThat(store.folders(MAIL)).containsExactly(FolderPath.INBOX, FolderPath.of("Apple"),
        FolderPath.of("Archive/2024/März"), FolderPath.of("Sent"));
    MessageRef ref = append(store, FolderPath.INBOX, bytes("Subject: in\n\n"));
    assertThat(Files.size(dir.resolve("inbox"))).isPositive();
    assertThat(read(store, ref)).isEqualTo(bytes("Subject: in\n\n"));
  }

  @Test
  void twoFilesForOneFolderShouldFailNamingBoth() throws IOException {
    Files.writeString(dir.resolve("INBOX"), "");
    Files.writeString(dir.resolve("INBOX.mbox"), "");

    assertThatThrownBy(() -> store.folders(MAIL)).isInstanceOf(MailStoreException.class)
        .hasMessageContaining(dir.resolve("INBOX").toString())
        .hasMessageContaining(dir.resolve("INBOX.mbox").toString());
  }

  @Test
  void appendingToAFileFromAnotherProgramShouldAddTheSeparatorItLacks(@TempDir Path d)
      throws IOException {
    Path file = d.resolve("other.mbox");
    Files.writeString(file, "From a Thu Jan  1 00:00:00 2025\nSubject: old\n\nno separator\n");

    try (MboxStore s = new MboxStore(file, Optional.empty())) {
      MessageRef ref = append(s, FolderPath.INBOX, bytes("Subject: new\n\n"));

      FolderScan scan = s.scan(MAIL, FolderPath.INBOX);
      assertThat(scan.messages()).hasSize(2);
      assertThat(read(s, scan.messages().get(0)))
          .isEqualTo(bytes("Subject: old\n\nno separator\n"));
      assertThat(read(s, ref)).isEqualTo(bytes("Subject: new\n\n"));
    }
  }

  @Test
  void bytesBeforeTheFirstFromLineShouldBeReportedAsSkipped(@TempDir Path d) throws IOException {
    Path file = d.resolve("junk.mbox");
    Files.writeString(file, "garbage\n\nFrom a Thu Jan  1 00:00:00 2025\nSubject: x\n\n");

    try (MboxStore s = new MboxStore(file, Optional.empty())) {
      FolderScan scan = s.scan(MAIL, FolderPath.INBOX);

      assertThat(scan.messages()).hasSize(1);
      assertThat(scan.skipped()).singleElement()
          .satisfies(skip -> assertThat(skip.reason()).contains("9 bytes"));
    }
  }

  @Test
  void openShouldThrowMessageGoneWhenTheFileWasRewritten() throws IOException {
    MessageRef first = append(store, FolderPath.INBOX, bytes("Subject: 1\n\none\n"));
    MessageRef second = append(store, FolderPath.INBOX, bytes("Subject: 2\n\ntwo two\n"));
    Path file = dir.resolve("INBOX.mbox");
    String text = Files.readString(file);
    Files.writeString(file, text.substring(text.indexOf("From ", 1)));

    assertThatThrownBy(() -> read(store, second)).isInstanceOf(MessageGoneException.class)
        .hasMessageContaining(second.key().value());
    assertThat(first.key().value()).isEqualTo("offset-0");
  }

  @Test
  void aFreshLockHeldByAnotherProgramShouldMakeAppendFailWithTheLockFile() throws IOException {
    Files.writeString(dir.resolve("INBOX.mbox"), "");
    Path lock = Files.writeString(dir.resolve("INBOX.mbox.lock"), "1234");

    try (MboxStore s = new MboxStore(dir, MAIL, Clock.systemUTC(), Duration.ofMillis(200))) {
      assertThatThrownBy(() -> append(s, FolderPath.INBOX, bytes("Subject: x\n\n")))
          .isInstanceOf(MailStoreException.class).hasMessageContaining(lock.toString());
    }
    assertThat(Files.size(dir.resolve("INBOX.mbox"))).isZero();
  }

  @Test
  void aStaleLockShouldBeRemoved() throws IOException {
    Path lock = Files.writeString(dir.resolve("INBOX.mbox.lock"), "1234");
    Files.setLastModifiedTime(lock, FileTime.from(Instant.now().minusSeconds(121)));

    MessageRef ref = append(store, FolderPath.INBOX, bytes("Subject: x\n\n"));

    assertThat(read(store, ref)).isEqualTo(bytes("Subject: x\n\n"));
    assertThat(lock).doesNotExist();
  }

  @Test
  void aFailingSourceShouldLeaveTheMboxAsItWas() throws IOException {
    append(store, FolderPath.INBOX, bytes("Subject: 1\n\n"));
    long before = Files.size(dir.resolve("INBOX.mbox"));
    InputStream broken = new InputStream() {
      private int n;

      @Override
      public int read() throws IOException {
        if (n++ > 70_000) {
          throw new IOException("source connection reset");
        }
        return 'a';
      }
    };

    assertThatThrownBy(() -> store.append(MAIL, FolderPath.INBOX, broken, Flags.NONE, DATE))
        .isInstanceOf(MailStoreException.class).hasMessageContaining("source connection reset");
    assertThat(Files.size(dir.resolve("INBOX.mbox"))).isEqualTo(before);
    assertThat(dir.resolve("INBOX.mbox.lock")).doesNotExist();
  }

  @Test
  void theProviderShouldOpenFilesAndDirectoriesByUri(@TempDir Path d) throws IOException {
    try (MailStore s = new MboxStoreProvider().open(
        MailStores.parse("mbox:" + d.resolve("x.mbox") + "?account=bob@example.org"),
        PasswordSource.NONE)) {
      assertThat(s.accounts()).containsExactly(AccountId.of("bob@example.org"));
      assertThat(s.toString()).isEqualTo("mbox:" + d.resolve("x.mbox"));
    }
    assertThatThrownBy(() -> new MboxStoreProvider().open(
        MailStores.parse("mbox:" + d + "?user=bob"), PasswordSource.NONE))
        .isInstanceOf(MailStoreException.class).hasMessageContaining("user=bob");
  }

  @Test
  void fromLineDatesShouldParseTheFormsRealWritersUse() {
    assertThat(FromLine.parse("From MAILER-DAEMON Thu Jan  1 00:00:00 2025").orElseThrow().date())
        .isEqualTo(Instant.parse("2025-01-01T00:00:00Z"));
    assertThat(FromLine.parse("From a@b Sat Mar 15 14:03:01 +0100 2025").orElseThrow().date())
        .isEqualTo(Instant.parse("2025-03-15T13:03:01Z"));
    assertThat(FromLine.parse("From a@b  Sat Mar 15 14:03 2025").orElseThrow().date())
        .isEqualTo(Instant.parse("2025-03-15T14:03:00Z"));
    assertThat(FromLine.parse("From a@b nonsense")).isEmpty();
  }

  @Test
  void mailStoresShouldOpenMboxUrisThroughTheServiceLoader() throws IOException {
    try (MailStore s = MailStores.open("mbox:" + dir, PasswordSource.NONE)) {
      assertThat(s).isInstanceOf(MboxStore.class).hasToString("mbox:" + dir);
    }
  }

  @Test
  void randomMessagesWithLongLinesAndFromLinesShouldRoundTripAcrossBufferBoundaries()
      throws IOException {
    java.util.Random random = new java.util.Random(42);
    String[] pieces = {"From ", ">From ", ">>>From x", "From", "\n", "\r\n", "\n\n", "x", "Grüße ",
        ">", " From ", "\r"};
    java.util.List<byte[]> messages = new java.util.ArrayList<>();
    java.util.List<MessageRef> refs = new java.util.ArrayList<>();
    for (int i = 0; i < 12; i++) {
      StringBuilder b = new StringBuilder("Subject: random " + i + "\n\n");
      int parts = random.nextInt(2000);
      for (int k = 0; k < parts; k++) {
        b.append(random.nextInt(400) == 0 ? "y".repeat(random.nextInt(140_000))
            : pieces[random.nextInt(pieces.length)]);
      }
      b.append('\n');
      byte[] m = bytes(b.toString());
      messages.add(m);
      refs.add(append(store, FolderPath.INBOX, m));
    }

    FolderScan scan = store.scan(MAIL, FolderPath.INBOX);

    assertThat(scan.skipped()).isEmpty();
    assertThat(scan.messages()).containsExactlyInAnyOrderElementsOf(refs);
    for (int i = 0; i < refs.size(); i++) {
      assertThat(read(store, refs.get(i))).as("message %d", i).isEqualTo(messages.get(i));
    }
  }

  @Test
  void anMboxWithCrlfLineEndsShouldSplitOnCrlfBlankLines(@TempDir Path d) throws IOException {
    Path file = d.resolve("windows.mbox");
    Files.writeString(file, "From a Thu Jan  1 00:00:00 2025\r\nSubject: 1\r\n\r\none\r\n\r\n"
        + "From b Thu Jan  1 00:00:01 2025\r\nSubject: 2\r\n\r\n>From two\r\n\r\n");

    try (MboxStore s = new MboxStore(file, Optional.empty())) {
      FolderScan scan = s.scan(MAIL, FolderPath.INBOX);

      assertThat(scan.messages()).hasSize(2);
      assertThat(read(s, scan.messages().get(0))).isEqualTo(bytes("Subject: 1\r\n\r\none\r\n"));
      assertThat(read(s, scan.messages().get(1))).isEqualTo(bytes("Subject: 2\r\n\r\nFrom two\r\n"));
    }
  }
}
