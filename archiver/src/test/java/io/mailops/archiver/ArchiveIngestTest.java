package io.mailops.archiver;

import static io.mailops.archiver.Mails.ALICE;
import static io.mailops.archiver.Mails.BOB;
import static io.mailops.archiver.Mails.PASSWORD;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mailops.archiver.index.ArchiveIndex;
import io.mailops.storage.ForwardingMailStore;
import io.mailops.storage.MailStore;
import io.mailops.storage.memory.InMemoryMailStore;
import io.mailops.storage.model.AccountId;
import io.mailops.storage.model.FolderPath;
import io.mailops.storage.model.MessageRef;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ArchiveIngestTest {

  @TempDir
  Path tmp;

  Path dir() {
    return tmp.resolve("archive");
  }

  static String sha(byte[] b) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
  }

  static long blobFiles(Path archive) throws IOException {
    try (Stream<Path> s = Files.walk(archive.resolve("current/blobs"))) {
      return s.filter(Files::isRegularFile).count();
    }
  }

  static Map<String, Long> snapshot(Path root) throws IOException {
    Map<String, Long> m = new TreeMap<>();
    try (Stream<Path> s = Files.walk(root)) {
      for (Path p : s.toList()) {
        m.put(root.relativize(p) + "", Files.isRegularFile(p)
            ? Files.size(p) * 31 + Files.getLastModifiedTime(p).toMillis() : -1);
      }
    }
    return m;
  }

  /** The ids of every message of the store, in store order, after ingest. */
  static List<String> idsOf(Archive a, InMemoryMailStore s, AccountId acc) throws Exception {
    List<String> ids = new ArrayList<>();
    for (MessageRef m : s.scan(acc, FolderPath.INBOX).messages()) {
      try (InputStream in = s.open(acc, m)) {
        byte[] raw = in.readAllBytes();
        String digest = sha(raw);
        ids.add(a.search(Archive.Database.CURRENT, new ArchiveIndex.SearchRequest(List.of(),
            ArchiveIndex.Match.ALL, null, null, 1000)).stream().map(ArchiveIndex.Hit::id)
            .filter(id -> {
              try {
                return a.record(id).digest().equals(digest);
              } catch (IOException e) {
                throw new IllegalStateException(e);
              }
            }).findFirst().orElseThrow());
      }
    }
    return ids;
  }

  @Test
  void everyKindOfMessageShouldComeBackWithItsExactBytes() throws Exception {
    List<byte[]> mails = Mails.varied();
    try (Archive a = Archive.init(dir(), PASSWORD, Mails.options());
        InMemoryMailStore s = Mails.store(ALICE, mails)) {
      IngestResult r = a.ingest(s, "maildir", IngestListener.NONE);

      assertThat(r.stored()).isEqualTo(mails.size());
      assertThat(r.skipped()).isEmpty();
      List<String> ids = idsOf(a, s, ALICE);
      for (int i = 0; i < mails.size(); i++) {
        byte[] back = a.message(ids.get(i));
        assertThat(back).as("message %d", i).isEqualTo(mails.get(i));
        assertThat(a.record(ids.get(i)).digest()).isEqualTo(sha(mails.get(i)));
      }
    }
    try (Archive a = Archive.open(dir(), PASSWORD, Mails.options());
        InMemoryMailStore s = Mails.store(ALICE, mails)) {
      assertThat(a.openMessage(idsOf(a, s, ALICE).get(9)).readAllBytes()).isEqualTo(mails.get(9));
    }
  }

  @Test
  void theSameAttachmentInFiftyMessagesShouldBeStoredOnce() throws Exception {
    byte[] pdf = Mails.random(20_000, 7);
    List<byte[]> mails = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      mails.add(Mails.withAttachment("report " + i, "report.pdf", pdf));
    }
    try (Archive a = Archive.init(dir(), PASSWORD, Mails.options());
        InMemoryMailStore s = Mails.store(ALICE, mails)) {
      IngestResult r = a.ingest(s, "maildir", IngestListener.NONE);

      assertThat(r.stored()).isEqualTo(50);
      assertThat(r.newBlobs()).isEqualTo(51);
      assertThat(blobFiles(dir())).isEqualTo(51);
      String id = idsOf(a, s, ALICE).get(17);
      assertThat(a.message(id)).isEqualTo(mails.get(17));
      assertThat(a.record(id).parts()).hasSize(1);
    }
  }

  @Test
  void aMessageInTwoMailboxesShouldBeStoredOnceWithBothLocations() throws Exception {
    byte[] m = Mails.withAttachment("to both", "x.pdf", Mails.random(5000, 9));
    InMemoryMailStore s = InMemoryMailStore.of(ALICE, BOB);
    Mails.append(s, ALICE, FolderPath.INBOX, m);
    Mails.append(s, BOB, FolderPath.of("Archive/2026"), m);
    try (Archive a = Archive.init(dir(), PASSWORD, Mails.options())) {
      IngestResult r = a.ingest(s, "maildir", IngestListener.NONE);

      assertThat(r.stored()).isEqualTo(1);
      assertThat(r.duplicates()).isEqualTo(1);
      assertThat(blobFiles(dir())).isEqualTo(2);
      assertThat(a.currentCount()).isEqualTo(1);
      IngestResult again = a.ingest(s, "maildir", IngestListener.NONE);
      assertThat(again.alreadyIngested()).isEqualTo(2);
      assertThat(again.stored() + again.duplicates()).isZero();
    }
  }

  @Test
  void discardedAttachmentsShouldLeaveAStubAndTheOriginalDigest() throws Exception {
    byte[] big = Mails.withAttachment("big", "huge.pdf", Mails.random(50_000, 11));
    byte[] small = Mails.withAttachment("small", "tiny.pdf", Mails.random(100, 12));
    try (Archive a = Archive.init(dir(), PASSWORD,
        Mails.options().withDiscard(DiscardPolicy.over(10_000)));
        InMemoryMailStore s = Mails.store(ALICE, List.of(big, small))) {
      IngestResult r = a.ingest(s, "maildir", IngestListener.NONE);

      assertThat(r.discardedAttachments()).isEqualTo(1);
      List<String> ids = idsOf(a, s, ALICE);
      MessageRecord rec = a.record(ids.get(0));
      assertThat(rec.hasDiscarded()).isTrue();
      assertThat(rec.digest()).isEqualTo(sha(big));
      assertThat(rec.discarded()).singleElement().satisfies(st -> {
        assertThat(st.name()).isEqualTo("huge.pdf");
        assertThat(st.type()).isEqualTo("application/pdf");
        assertThat(st.sha256()).hasSize(64);
        assertThat(st.size()).isGreaterThan(50_000);
      });
      byte[] stored = a.message(ids.get(0));
      assertThat(stored.length).isLessThan(2000);
      assertThat(new String(stored, StandardCharsets.US_ASCII)).contains("Subject: big");
      assertThat(sha(stored)).isEqualTo(rec.storedDigest());
      assertThat(a.message(ids.get(1))).isEqualTo(small);
      assertThat(a.record(ids.get(1)).hasDiscarded()).isFalse();
    }
  }

  @Test
  void aWrongPasswordShouldFailWithOneLineAndWriteNothing() throws Exception {
    try (Archive a = Archive.init(dir(), PASSWORD, Mails.options());
        InMemoryMailStore s = Mails.store(ALICE, List.of(Mails.plain(1)))) {
      a.ingest(s, "maildir", IngestListener.NONE);
    }
    Map<String, Long> before = snapshot(dir());

    assertThatThrownBy(() -> Archive.open(dir(), "Wrong-Password-1".toCharArray(),
        Mails.options())).isInstanceOf(ArchiveException.class)
        .hasMessage("wrong archive password for " + dir()
            + "; give the password the archive was created with");
    assertThat(snapshot(dir())).isEqualTo(before);
    assertThatThrownBy(() -> Archive.open(tmp.resolve("none"), PASSWORD, Mails.options()))
        .hasMessage("no archive at " + tmp.resolve("none") + ": run mailops archive init");
  }

  @Test
  void aWeakPasswordShouldBeRefusedSayingWhatIsMissing() {
    assertThatThrownBy(() -> Archive.init(dir(), "short1".toCharArray(), Mails.options()))
        .isInstanceOf(ArchiveException.class)
        .hasMessageContaining("at least 12 characters (got 6)")
        .hasMessageContaining("an upper-case letter");
    assertThat(dir()).doesNotExist();
    assertThat(new PasswordPolicy(8).missing("abcdefgH1".toCharArray())).isEmpty();
    assertThat(PasswordPolicy.DEFAULT.missing("ABCDEFGHIJKLMN".toCharArray()))
        .containsExactly("a lower-case letter", "a digit");
  }

  @Test
  void aSecondRunShouldIngestNothing() throws Exception {
    try (Archive a = Archive.init(dir(), PASSWORD, Mails.options());
        InMemoryMailStore s = Mails.store(ALICE, Mails.varied())) {
      a.ingest(s, "maildir", IngestListener.NONE);
    }
    try (Archive a = Archive.open(dir(), PASSWORD, Mails.options());
        InMemoryMailStore s = Mails.store(ALICE, Mails.varied())) {
      long blobs = blobFiles(dir());
      IngestResult r = a.ingest(s, "maildir", IngestListener.NONE);

      assertThat(r.alreadyIngested()).isEqualTo(Mails.varied().size());
      assertThat(r.stored() + r.duplicates() + r.newBlobs()).isZero();
      assertThat(blobFiles(dir())).isEqualTo(blobs);
    }
  }

  /** Fails the n-th message open, as a crash or a lost connection would. */
  static final class FailingAfter extends ForwardingMailStore {
    private int left;

    FailingAfter(MailStore delegate, int n) {
      super(delegate);
      this.left = n;
    }

    @Override
    public InputStream open(AccountId account, MessageRef message) throws IOException {
      if (left-- == 0) {
        throw new IOException("simulated crash");
      }
      return super.open(account, message);
    }
  }

  /**
   * Thirty messages of {@link #ALICE}: every third with a 900-byte attachment (subject {@code
   * prefix + i}), the others plain ({@code Mails.plain(plainBase + i)}).
   */
  private static List<byte[]> thirtyMails(String prefix, int plainBase) {
    List<byte[]> mails = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      mails.add(i % 3 == 0 ? Mails.withAttachment(prefix + i, "f.pdf", Mails.random(900, i))
          : Mails.plain(plainBase + i));
    }
    return mails;
  }

  /** Each of {@code mails} (the messages of {@code s}) is in {@code a} once, with its bytes. */
  private void assertEachStoredOnce(Archive a, InMemoryMailStore s, List<byte[]> mails)
      throws Exception {
    List<String> ids = idsOf(a, s, ALICE);
    assertThat(ids).doesNotHaveDuplicates();
    for (int i = 0; i < mails.size(); i++) {
      assertThat(a.message(ids.get(i))).isEqualTo(mails.get(i));
    }
    assertThat(a.verify(null, true).problems()).isEmpty();
  }

  @Test
  void aCrashMidIngestThenARerunShouldStoreEachMessageExactlyOnce() throws Exception {
    List<byte[]> mails = thirtyMails("m", 0);
    InMemoryMailStore s = Mails.store(ALICE, mails);
    Archive crashed = Archive.init(dir(), PASSWORD, Mails.options());
    byte[] emptyIndex = Files.readAllBytes(dir().resolve("current/index.state"));
    assertThatThrownBy(() -> crashed.ingest(new FailingAfter(s, 17), "maildir",
        IngestListener.NONE)).hasMessageContaining("simulated crash");
    // the process died before its last index commits, and left a torn journal entry (the index
    // is emptied as if its commits never reached the disk)
    assertThatThrownBy(() -> Archive.open(dir(), PASSWORD, Mails.options()))
        .hasMessage("the archive at " + dir() + " is in use by another mailops run;"
            + " wait for it to finish");
    crashed.close();
    Files.write(dir().resolve("current/index.state"), emptyIndex);
    try (java.util.stream.Stream<Path> files = Files.list(dir().resolve("current/index"))) {
      for (Path f : files.toList()) {
        Files.delete(f);
      }
    }
    Files.write(dir().resolve("current/journal"), new byte[] {0, 0, 1, 0, 42},
        java.nio.file.StandardOpenOption.APPEND);

    try (Archive a = Archive.open(dir(), PASSWORD, Mails.options())) {
      assertThat(a.currentCount()).isEqualTo(17);
      IngestResult r = a.ingest(s, "maildir", IngestListener.NONE);

      assertThat(r.stored()).isEqualTo(13);
      assertThat(r.alreadyIngested()).isEqualTo(17);
      assertThat(a.currentCount()).isEqualTo(30);
      assertThat(a.search(Archive.Database.CURRENT, new ArchiveIndex.SearchRequest(List.of(),
          ArchiveIndex.Match.ALL, null, null, 1000))).hasSize(30);
      assertEachStoredOnce(a, s, mails);
    }
  }

  /**
   * A store read ahead on several threads ({@link MailStore#concurrentReads}) whose open fails
   * for the message at {@code index} in scan order: {@code gone} as an expunged message, else
   * as a crash.
   */
  static final class ConcurrentFailing extends ForwardingMailStore {
    private final MessageRef failing;
    private final boolean gone;

    ConcurrentFailing(InMemoryMailStore delegate, int index, boolean gone) throws IOException {
      super(delegate);
      this.failing = delegate.scan(ALICE, FolderPath.INBOX).messages().get(index);
      this.gone = gone;
    }

    @Override
    public boolean concurrentReads() {
      return true;
    }

    @Override
    public InputStream open(AccountId account, MessageRef message) throws IOException {
      if (message.key().equals(failing.key())) {
        throw gone ? new io.mailops.storage.MessageGoneException("message " + message.key()
            + " is gone") : new IOException("simulated crash");
      }
      return super.open(account, message);
    }
  }

  @Test
  void aSourceReadAheadThatFailsShouldKeepTheMessagesBeforeItAndTheRerunStoreTheRestOnce()
      throws Exception {
    List<byte[]> mails = thirtyMails("r", 200);
    InMemoryMailStore s = Mails.store(ALICE, mails);
    try (Archive a = Archive.init(dir(), PASSWORD, Mails.options())) {
      assertThatThrownBy(() -> a.ingest(new ConcurrentFailing(s, 17, false), "maildir",
          IngestListener.NONE)).hasMessage("simulated crash");
      assertThat(a.currentCount()).isEqualTo(17);
    }
    try (Archive a = Archive.open(dir(), PASSWORD, Mails.options())) {
      assertThat(a.currentCount()).isEqualTo(17);
      IngestResult gone = a.ingest(new ConcurrentFailing(s, 25, true), "maildir",
          IngestListener.NONE);
      assertThat(gone.stored()).isEqualTo(12);
      assertThat(gone.alreadyIngested()).isEqualTo(17);
      assertThat(gone.skipped()).singleElement().asString().contains("is gone");
      IngestResult r = a.ingest(s, "maildir", IngestListener.NONE);

      assertThat(r.stored()).isEqualTo(1);
      assertThat(r.alreadyIngested()).isEqualTo(29);
      assertThat(a.currentCount()).isEqualTo(30);
      assertEachStoredOnce(a, s, mails);
    }
  }

  /** Replaces the archive's {@code tmp/} directory by a file at the n-th message open. */
  static final class TmpGoneAfter extends ForwardingMailStore {
    private final Path tmp;
    private int left;

    TmpGoneAfter(MailStore delegate, Path tmp, int n) {
      super(delegate);
      this.tmp = tmp;
      this.left = n;
    }

    @Override
    public InputStream open(AccountId account, MessageRef message) throws IOException {
      if (left-- == 0) {
        Archive.deleteTree(tmp);
        Files.write(tmp, new byte[] {1});
      }
      return super.open(account, message);
    }
  }

  @Test
  void aBlobThatCannotBeWrittenShouldFailTheIngestAndTheRerunShouldStoreEachMessageOnce()
      throws Exception {
    List<byte[]> mails = thirtyMails("w", 100);
    InMemoryMailStore s = Mails.store(ALICE, mails);
    try (Archive a = Archive.init(dir(), PASSWORD, Mails.options())) {
      // blobs are written on the writer thread: its failure fails the group's commit, and the
      // ingest with it, with the file system's own message
      assertThatThrownBy(() -> a.ingest(new TmpGoneAfter(s, dir().resolve("tmp"), 12),
          "maildir", IngestListener.NONE)).isInstanceOf(IOException.class)
          .hasMessageContaining(dir().resolve("tmp").toString());
      assertThatThrownBy(() -> a.ingest(s, "maildir", IngestListener.NONE))
          .hasMessageContaining("could not commit its last group of messages");
    }
    Files.delete(dir().resolve("tmp"));
    try (Archive a = Archive.open(dir(), PASSWORD, Mails.options())) {
      assertThat(a.currentCount()).isZero();
      IngestResult r = a.ingest(s, "maildir", IngestListener.NONE);

      assertThat(r.stored()).isEqualTo(30);
      assertThat(a.currentCount()).isEqualTo(30);
      assertEachStoredOnce(a, s, mails);
    }
  }

  @Test
  void aCrashBeforeAGroupCommitShouldRewriteTheTornBlobsItLeft() throws Exception {
    List<byte[]> first = new ArrayList<>();
    List<byte[]> second = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      first.add(Mails.withAttachment("first " + i, "a.pdf", Mails.random(3000, i)));
      second.add(Mails.withAttachment("second " + i, "b.pdf", Mails.random(3000, 100 + i)));
    }
    Path copy = tmp.resolve("before");
    try (Archive a = Archive.init(dir(), PASSWORD, Mails.options());
        InMemoryMailStore s = Mails.store(ALICE, first)) {
      a.ingest(s, "maildir", IngestListener.NONE);
    }
    long journal = Files.size(dir().resolve("current/journal"));
    Map<String, Long> blobsBefore = snapshot(dir().resolve("current/blobs"));
    copyTree(dir().resolve("current/index"), copy.resolve("index"));
    Files.copy(dir().resolve("current/index.state"), copy.resolve("index.state"));
    try (Archive a = Archive.open(dir(), PASSWORD, Mails.options());
        InMemoryMailStore s = Mails.store(BOB, second)) {
      a.ingest(s, "maildir", IngestListener.NONE);
    }
    // a power loss before the group's journal entries were forced: the journal and the index
    // are as before, and the group's blob files are there but torn (empty or cut in half)
    try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(
        dir().resolve("current/journal"), java.nio.file.StandardOpenOption.WRITE)) {
      ch.truncate(journal);
    }
    Archive.deleteTree(dir().resolve("current/index"));
    copyTree(copy.resolve("index"), dir().resolve("current/index"));
    Files.copy(copy.resolve("index.state"), dir().resolve("current/index.state"),
        java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    int torn = 0;
    try (Stream<Path> files = Files.walk(dir().resolve("current/blobs"))) {
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        String name = dir().resolve("current/blobs").relativize(f).toString();
        if (!blobsBefore.containsKey(name)) {
          byte[] b = Files.readAllBytes(f);
          Files.write(f, java.util.Arrays.copyOf(b, torn++ % 2 == 0 ? 0 : b.length / 2));
        }
      }
    }
    assertThat(torn).isEqualTo(20);

    try (Archive a = Archive.open(dir(), PASSWORD, Mails.options());
        InMemoryMailStore s = Mails.store(BOB, second)) {
      assertThat(a.currentCount()).isEqualTo(10);
      IngestResult r = a.ingest(s, "maildir", IngestListener.NONE);

      assertThat(r.stored()).isEqualTo(10);
      assertThat(r.newBlobs()).isEqualTo(20);
      assertThat(a.currentCount()).isEqualTo(20);
      List<String> ids = idsOf(a, s, BOB);
      for (int i = 0; i < second.size(); i++) {
        assertThat(a.message(ids.get(i))).isEqualTo(second.get(i));
      }
      assertThat(a.verify(null, true).problems()).isEmpty();
    }
  }

  static void copyTree(Path from, Path to) throws IOException {
    try (Stream<Path> s = Files.walk(from)) {
      for (Path p : s.toList()) {
        Path t = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(t);
        } else {
          Files.copy(p, t);
        }
      }
    }
  }

  @Test
  void theAuditLogShouldAppendOneJsonLinePerAccess() throws Exception {
    try (Archive a = Archive.init(dir(), PASSWORD, Mails.options())) {
      a.audit().record("admin", "search", Map.of("query", "invoice"));
      a.audit().record("bob@example.com", "show", Map.of("id", "abc"));
    }
    List<String> lines = Files.readAllLines(dir().resolve("audit.log"));
    assertThat(lines).hasSize(2);
    assertThat(lines.get(0)).isEqualTo("{\"time\":\"2026-03-10T10:00:00Z\",\"actor\":\"admin\","
        + "\"action\":\"search\",\"details\":{\"query\":\"invoice\"}}");
    assertThat(lines.get(1)).contains("\"actor\":\"bob@example.com\"");
  }
}
