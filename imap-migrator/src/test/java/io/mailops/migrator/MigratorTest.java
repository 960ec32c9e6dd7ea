package io.mailops.migrator;

import static io.mailops.migrator.TestMail.JUNK;
import static io.mailops.migrator.TestMail.MESSAGES;
import static io.mailops.migrator.TestMail.PROJEKTE;
import static io.mailops.migrator.TestMail.SENT;
import static io.mailops.migrator.TestMail.UBERSICHT;
import static io.mailops.migrator.TestMail.snapshot;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import io.mailops.storage.ForwardingMailStore;
import io.mailops.storage.MailStore;
import io.mailops.storage.MailStores;
import io.mailops.storage.PasswordSource;
import io.mailops.storage.maildir.MaildirStore;
import io.mailops.storage.model.AccountId;
import io.mailops.storage.model.Flag;
import io.mailops.storage.model.Flags;
import io.mailops.storage.model.FolderPath;
import jakarta.mail.Folder;
import jakarta.mail.Message;
import jakarta.mail.Session;
import jakarta.mail.Store;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

class MigratorTest {

  private static final AtomicInteger USERS = new AtomicInteger();
  private static final String SECRET = "s3cret";
  private static final PasswordSource PASSWORD = (user, host) -> SECRET.toCharArray();
  private static final Predicate<FolderPath> ALL = f -> true;

  @RegisterExtension
  static final GreenMailExtension GREENMAIL =
      new GreenMailExtension(ServerSetupTest.IMAP.dynamicPort()).withPerMethodLifecycle(false);

  @TempDir
  Path tmp;

  private final List<MailStore> open = new ArrayList<>();
  private AccountId src;
  private AccountId dst;
  private MailStore source;
  private MailStore target;

  @BeforeEach
  void setUp() throws IOException {
    int n = USERS.incrementAndGet();
    src = AccountId.of("src" + n + "@example.com");
    dst = AccountId.of("dst" + n + "@example.com");
    source = imap(src);
    target = imap(dst);
    TestMail.populate(source, src, "m" + n);
  }

  @AfterEach
  void tearDown() throws IOException {
    for (MailStore s : open) {
      s.close();
    }
  }

  private MailStore imap(AccountId account) throws IOException {
    GREENMAIL.setUser(account.toString(), account.toString(), SECRET);
    MailStore s = MailStores.open("imap://" + account.toString().replace("@", "%40") + "@127.0.0.1:"
        + GREENMAIL.getImap().getPort(), PASSWORD);
    open.add(s);
    return s;
  }

  private MailStore maildir() throws IOException {
    MailStore s = MailStores.open("maildir:" + tmp.resolve("vmail"), PasswordSource.NONE);
    open.add(s);
    return s;
  }

  private Migrator migrator(MailStore to, MigrationState state, Migrator.Options options) {
    return new Migrator(source, src, to, dst, FolderNamer.IDENTITY, state, options);
  }

  private AccountReport run(MailStore to, MigrationState state) throws IOException {
    return migrator(to, state, Migrator.Options.defaults()).run(Migrator.Listener.NONE);
  }

  private VerifyReport verify(MailStore to, FolderNamer namer) throws IOException {
    return new MigrationVerify(source, src, to, dst, namer, Migrator.Options.defaults()).run();
  }

  @Test
  void greenMailShouldKeepKeywords() throws IOException {
    assertThat(source.scan(src, FolderPath.INBOX).messages())
        .anySatisfy(m -> assertThat(m.flags().keywords()).contains("$Label1"));
  }

  @Test
  void imapToImapShouldCopyEveryFolderWithBytesFlagsKeywordsAndDates() throws IOException {
    AccountReport report = run(target, MigrationState.inMemory());

    assertThat(snapshot(target, dst, ALL, true)).isEqualTo(snapshot(source, src, ALL, false));
    assertThat(target.folders(dst)).containsExactly(FolderPath.INBOX, JUNK, PROJEKTE, UBERSICHT,
        SENT);
    assertThat(report.copied()).isEqualTo(MESSAGES);
    assertThat(report.partial()).isFalse();
    assertThat(report.folders().get(0).sourceFolder()).isEqualTo(FolderPath.INBOX);
    assertThat(report.folders()).allSatisfy(f -> {
      assertThat(f.targetCountAfter()).isEqualTo(f.sourceCount());
      assertThat(f.targetFolder()).isEqualTo(f.sourceFolder());
    });
    assertThat(report.bytes()).isGreaterThan(1_200_000);
    assertThat(verify(target, FolderNamer.IDENTITY).ok()).isTrue();
  }

  @Test
  void imapToMaildirShouldCopyEveryFolderWithBytesFlagsKeywordsAndDates() throws IOException {
    MailStore maildir = maildir();

    AccountReport report = run(maildir, MigrationState.inMemory());

    assertThat(report.copied()).isEqualTo(MESSAGES);
    assertThat(snapshot(maildir, dst, ALL, true)).isEqualTo(snapshot(source, src, ALL, false));
    VerifyReport v = verify(maildir, FolderNamer.IDENTITY);
    assertThat(v.ok()).as(String.join("\n", v.lines())).isTrue();
  }

  @Test
  void includeDeletedShouldCopyTheDeletedFlag() throws IOException {
    Migrator.Options keep = new Migrator.Options(false, true, Fingerprint.Mode.HEADERS, false);

    migrator(target, MigrationState.inMemory(), keep).run(Migrator.Listener.NONE);

    assertThat(snapshot(target, dst, ALL, true)).isEqualTo(snapshot(source, src, ALL, true));
    assertThat(new MigrationVerify(source, src, target, dst, FolderNamer.IDENTITY, keep).run().ok())
        .isTrue();
  }

  @Test
  void aRerunShouldCopyNothing() throws IOException {
    MigrationState state = MigrationState.inMemory();
    run(target, state);
    Map<FolderPath, List<String>> after = snapshot(target, dst, ALL, true);

    AccountReport again = run(target, state);

    assertThat(again.copied()).isZero();
    assertThat(again.alreadyDone()).isEqualTo(MESSAGES);
    assertThat(again.duplicates()).isZero();
    assertThat(snapshot(target, dst, ALL, true)).isEqualTo(after);
  }

  @Test
  void aRunStoppedInTheMiddleOfAFolderShouldResumeWithoutDuplicates() throws IOException {
    Path stateDir = tmp.resolve("state");
    try (FileMigrationState state = new FileMigrationState(stateDir)) {
      Migrator.Listener stopAfterTwo = new Migrator.Listener() {
        @Override
        public void progress(Migrator.Progress p) {
          if (p.copied() == 2) {
            throw new IllegalStateException("stop");
          }
        }
      };
      assertThatThrownBy(
          () -> migrator(target, state, Migrator.Options.defaults()).run(stopAfterTwo))
          .hasMessage("stop");
    }
    assertThat(target.scan(dst, FolderPath.INBOX).messages()).hasSize(2);

    AccountReport resumed;
    try (FileMigrationState state = new FileMigrationState(stateDir)) {
      resumed = run(target, state);
    }

    assertThat(resumed.alreadyDone()).isEqualTo(2);
    assertThat(resumed.copied()).isEqualTo(MESSAGES - 2);
    assertThat(snapshot(target, dst, ALL, true)).isEqualTo(snapshot(source, src, ALL, false));
  }

  @Test
  void aCrashBetweenAppendAndStateRecordShouldBeMatchedByFingerprint() throws IOException {
    Path stateDir = tmp.resolve("state");
    FaultyStore faulty = new FaultyStore(target);
    faulty.crashAfter = 5; // the 6th append reaches the target, its record does not
    try (FileMigrationState state = new FileMigrationState(stateDir)) {
      assertThatThrownBy(() -> run(faulty, state)).isInstanceOf(FaultyStore.Crash.class);
    }

    AccountReport resumed;
    try (FileMigrationState state = new FileMigrationState(stateDir)) {
      resumed = run(target, state);
    }

    assertThat(resumed.alreadyDone()).isEqualTo(5);
    assertThat(resumed.duplicates()).isEqualTo(1);
    assertThat(resumed.copied()).isEqualTo(MESSAGES - 6);
    assertThat(snapshot(target, dst, ALL, true)).isEqualTo(snapshot(source, src, ALL, false));
  }

  @Test
  void messagesTheTargetAlreadyHoldsShouldBeCountedAsDuplicates() throws IOException {
    TestMail.append(target, dst, FolderPath.INBOX, TestMail.message("m" + USERS.get() + "-i1",
        "Hallo m" + USERS.get(), "Grüße"), Flags.of(Flag.SEEN), TestMail.DATE);
    TestMail.append(target, dst, FolderPath.INBOX, TestMail.message(null, "no id m" + USERS.get(),
        "no Message-ID here"), Flags.NONE, TestMail.DATE);

    AccountReport report = run(target, MigrationState.inMemory());

    FolderReport inbox = report.folders().get(0);
    assertThat(inbox.duplicates()).isEqualTo(2);
    assertThat(inbox.copied()).isEqualTo(2);
    assertThat(inbox.targetCountAfter()).isEqualTo(4);
    assertThat(target.scan(dst, FolderPath.INBOX).messages()).hasSize(4);
    assertThat(report.copied()).isEqualTo(MESSAGES - 2);
  }

  @Test
  void aDryRunShouldWriteNothing() throws IOException {
    MigrationState state = MigrationState.inMemory();
    Migrator.Options dry = new Migrator.Options(true, false, Fingerprint.Mode.HEADERS, false);

    AccountReport report = migrator(target, state, dry).run(Migrator.Listener.NONE);

    assertThat(report.dryRun()).isTrue();
    assertThat(report.copied()).isEqualTo(MESSAGES);
    assertThat(target.folders(dst)).containsExactly(FolderPath.INBOX);
    assertThat(target.scan(dst, FolderPath.INBOX).messages()).isEmpty();
    assertThat(state.done(src, FolderPath.INBOX)).isEmpty();
  }

  @Test
  void aDryRunIntoAFreshMaildirShouldWriteNothing() throws IOException {
    MailStore maildir = maildir();
    Migrator.Options dry = new Migrator.Options(true, false, Fingerprint.Mode.HEADERS, false);

    AccountReport report =
        migrator(maildir, MigrationState.inMemory(), dry).run(Migrator.Listener.NONE);

    assertThat(report.copied()).isEqualTo(MESSAGES);
    assertThat(tmp.resolve("vmail")).doesNotExist();

    java.nio.file.Files.createDirectories(tmp.resolve("vmail"));
    report = migrator(maildir, MigrationState.inMemory(), dry).run(Migrator.Listener.NONE);

    assertThat(report.copied()).isEqualTo(MESSAGES);
    assertThat(tmp.resolve("vmail")).isEmptyDirectory();
  }

  @Test
  void aMessageTheTargetRefusesShouldBeListedAndTheOthersCopied() throws IOException {
    FaultyStore faulty = new FaultyStore(target);
    faulty.refuse = "sent 2";

    AccountReport report = run(faulty, MigrationState.inMemory());

    assertThat(report.partial()).isTrue();
    assertThat(report.failed()).isEqualTo(1);
    assertThat(report.copied()).isEqualTo(MESSAGES - 1);
    assertThat(report.failures()).singleElement().asString().contains("folder Sent", src.toString(),
        "message too large");
    FolderReport sent = report.folders().stream().filter(f -> f.sourceFolder().equals(SENT))
        .findFirst().orElseThrow();
    assertThat(sent.failed()).isEqualTo(1);
    assertThat(sent.copied()).isEqualTo(1);
    assertThat(verify(target, FolderNamer.IDENTITY).ok()).isFalse();
  }

  @Test
  void anExcludedFolderShouldBeLeftAlone() throws IOException {
    FolderNamer noJunk = (folder, targets) -> folder.path().equals(JUNK) ? Optional.empty()
        : Optional.of(folder.path());

    AccountReport report = new Migrator(source, src, target, dst, noJunk, MigrationState.inMemory(),
        Migrator.Options.defaults()).run(Migrator.Listener.NONE);

    assertThat(report.excluded()).containsExactly(JUNK);
    assertThat(report.copied()).isEqualTo(MESSAGES - 1);
    assertThat(target.folders(dst)).doesNotContain(JUNK);
    assertThat(verify(target, noJunk).ok()).isTrue();
  }

  @Test
  void aNamerShouldRenameFolders() throws IOException {
    FolderNamer sentItems = (folder, targets) -> Optional.of(folder.path().equals(SENT)
        ? FolderPath.of("Sent Items") : folder.path());

    run(target, MigrationState.inMemory(), sentItems);

    assertThat(target.folders(dst)).contains(FolderPath.of("Sent Items")).doesNotContain(SENT);
    assertThat(snapshot(target, dst, f -> f.equals(FolderPath.of("Sent Items")), true).values())
        .containsExactlyElementsOf(snapshot(source, src, f -> f.equals(SENT), false).values());
  }

  @Test
  void subscribedOnlyShouldCopyTheSubscribedFoldersAndInboxOnly() throws Exception {
    unsubscribe(src, "Junk", "Projekte/Übersicht");
    assertThat(source.subscriptions(src)).hasValueSatisfying(s ->
        assertThat(s).contains(SENT, PROJEKTE).doesNotContain(JUNK, UBERSICHT));
    Migrator.Options subscribedOnly = new Migrator.Options(false, false,
        Fingerprint.Mode.HEADERS, true);
    FolderNamer rules = FolderMap.builder().subscribedOnly(true).build();

    AccountReport report = new Migrator(source, src, target, dst, rules,
        MigrationState.inMemory(), subscribedOnly).run(Migrator.Listener.NONE);

    assertThat(report.excluded()).containsExactlyInAnyOrder(JUNK, UBERSICHT);
    assertThat(target.folders(dst)).contains(FolderPath.INBOX, SENT, PROJEKTE)
        .doesNotContain(JUNK, UBERSICHT);
    assertThat(report.copied()).isEqualTo(MESSAGES - 3);
    VerifyReport v = new MigrationVerify(source, src, target, dst, rules, subscribedOnly).run();
    assertThat(v.ok()).as(String.join("\n", v.lines())).isTrue();
    assertThat(v.folders()).extracting(VerifyReport.Folder::sourceFolder)
        .containsExactlyInAnyOrder(FolderPath.INBOX, SENT, PROJEKTE);
  }

  @Test
  void everyFolderShouldBeCopiedWithoutSubscribedOnly() throws Exception {
    unsubscribe(src, "Junk");

    AccountReport report = run(target, MigrationState.inMemory());

    assertThat(report.excluded()).isEmpty();
    assertThat(target.folders(dst)).contains(JUNK);
  }

  @Test
  void foldersCreatedInAMaildirShouldBeSubscribedAsDovecotKeepsThem() throws IOException {
    MailStore maildir = maildir();

    run(maildir, MigrationState.inMemory());

    assertThat(maildir.subscriptions(dst)).hasValue(Set.of(SENT, PROJEKTE, UBERSICHT, JUNK));
    Path file = ((MaildirStore) maildir).maildir(dst).resolve("subscriptions");
    assertThat(Files.readString(file)).startsWith("V\t2\n\n").contains("Projekte\t&ANw-bersicht\n");
  }

  @Test
  void aFolderTheSourceMarksAsArchiveShouldGoToArchiveWithItsSubfolders() throws IOException {
    MailStore marked = new ForwardingMailStore(source) {
      @Override
      public Map<FolderPath, String> specialUse(AccountId account) {
        return Map.of(PROJEKTE, "\\Archive");
      }
    };
    FolderNamer rules = FolderMap.builder().build();

    AccountReport report = new Migrator(marked, src, target, dst, rules,
        MigrationState.inMemory(), Migrator.Options.defaults()).run(Migrator.Listener.NONE);

    FolderPath archive = FolderPath.of("Archive");
    assertThat(report.copied()).isEqualTo(MESSAGES);
    assertThat(target.folders(dst)).contains(archive, archive.child("Übersicht"))
        .doesNotContain(PROJEKTE, UBERSICHT);
    assertThat(snapshot(target, dst, f -> f.equals(archive.child("Übersicht")), true).values())
        .containsExactlyElementsOf(snapshot(source, src, f -> f.equals(UBERSICHT), false).values());
    VerifyReport v = new MigrationVerify(marked, src, target, dst, rules,
        Migrator.Options.defaults()).run();
    assertThat(v.ok()).as(String.join("\n", v.lines())).isTrue();
  }

  /** Unsubscribes the folders {@code names} of {@code account} on GreenMail. */
  private void unsubscribe(AccountId account, String... names) throws Exception {
    Store store = Session.getInstance(new Properties()).getStore("imap");
    store.connect("127.0.0.1", GREENMAIL.getImap().getPort(), account.toString(), SECRET);
    try {
      char sep = store.getDefaultFolder().getSeparator();
      for (String name : names) {
        store.getFolder(name.replace('/', sep)).setSubscribed(false);
      }
    } finally {
      store.close();
    }
  }

  private void run(MailStore to, MigrationState state, FolderNamer namer) throws IOException {
    new Migrator(source, src, to, dst, namer, state, Migrator.Options.defaults())
        .run(Migrator.Listener.NONE);
  }

  @Test
  void severalAccountsShouldShareOneStateDirectory() throws IOException {
    AccountId bob = AccountId.of("bob" + USERS.get() + "@example.com");
    AccountId bobNew = AccountId.of("bobnew" + USERS.get() + "@example.com");
    MailStore bobSource = imap(bob);
    MailStore bobTarget = imap(bobNew);
    TestMail.populate(bobSource, bob, "bob");
    try (FileMigrationState state = new FileMigrationState(tmp.resolve("state"))) {
      run(target, state);
      new Migrator(bobSource, bob, bobTarget, bobNew, FolderNamer.IDENTITY, state,
          Migrator.Options.defaults()).run(Migrator.Listener.NONE);

      assertThat(run(target, state).alreadyDone()).isEqualTo(MESSAGES);
    }
    assertThat(snapshot(bobTarget, bobNew, ALL, true))
        .isEqualTo(snapshot(bobSource, bob, ALL, false));
    assertThat(snapshot(target, dst, ALL, true)).isEqualTo(snapshot(source, src, ALL, false));
  }

  @Test
  void theListenerShouldSeeEveryFolder() throws IOException {
    List<String> seen = new ArrayList<>();
    Migrator m = migrator(target, MigrationState.inMemory(), Migrator.Options.defaults());
    m.run(new Migrator.Listener() {
      @Override
      public void folderStarted(FolderPath source, FolderPath target, int messages) {
        seen.add(source + ":" + messages);
      }

      @Override
      public void folderDone(FolderReport report) {
        seen.add("done " + report.sourceFolder() + " " + report.copied());
      }
    });

    assertThat(seen).containsExactly("INBOX:4", "done INBOX 4", "Junk:1", "done Junk 1",
        "Projekte:1", "done Projekte 1", "Projekte/Übersicht:2", "done Projekte/Übersicht 2",
        "Sent:2", "done Sent 2");
  }

  @Test
  void verifyShouldReportAFlagChangedOnTheTarget() throws Exception {
    run(target, MigrationState.inMemory());
    assertThat(verify(target, FolderNamer.IDENTITY).ok()).isTrue();

    Properties p = new Properties();
    Store store = Session.getInstance(p).getStore("imap");
    store.connect("127.0.0.1", GREENMAIL.getImap().getPort(), dst.toString(), SECRET);
    try {
      Folder sent = store.getFolder("Sent");
      sent.open(Folder.READ_WRITE);
      Message first = sent.getMessage(1);
      first.setFlag(jakarta.mail.Flags.Flag.FLAGGED, true);
      sent.close(false);
    } finally {
      store.close();
    }

    VerifyReport v = verify(target, FolderNamer.IDENTITY);
    assertThat(v.ok()).isFalse();
    VerifyReport.Folder sentReport = v.folders().stream()
        .filter(f -> f.sourceFolder().equals(SENT)).findFirst().orElseThrow();
    assertThat(sentReport.flagDifferences()).singleElement().asString().contains("\\Flagged");
    assertThat(sentReport.missing()).isEmpty();
    assertThat(v.folders().stream().filter(f -> !f.sourceFolder().equals(SENT)))
        .allSatisfy(f -> assertThat(f.ok()).isTrue());
  }

  @Test
  void verifyShouldListExtraTargetMessagesWithoutCallingThemADifference() throws IOException {
    run(target, MigrationState.inMemory());
    TestMail.append(target, dst, SENT, TestMail.message("extra", "extra", "x"), Flags.NONE,
        TestMail.DATE);

    VerifyReport v = verify(target, FolderNamer.IDENTITY);

    assertThat(v.ok()).isTrue();
    assertThat(v.lines()).anySatisfy(l -> assertThat(l).startsWith(
        "  extra on target (not on the source, left alone): message"));
  }

  /** A reader of a store whose STATUS answers are set by the test (GreenMail has no CONDSTORE). */
  private static final class StatusReader implements MessageReader {
    final MessageReader store;
    final Map<FolderPath, FolderStatus> status = new java.util.HashMap<>();
    int scans;

    StatusReader(MailStore store) {
      this.store = MessageReader.of(store);
    }

    @Override
    public io.mailops.storage.FolderScan scan(AccountId account, FolderPath folder)
        throws IOException {
      scans++;
      return store.scan(account, folder);
    }

    @Override
    public void read(AccountId account, FolderPath folder,
        List<io.mailops.storage.model.MessageRef> refs, Sink sink) throws IOException {
      store.read(account, folder, refs, sink);
    }

    @Override
    public Map<FolderPath, FolderStatus> status(AccountId account, List<FolderPath> folders) {
      Map<FolderPath, FolderStatus> out = new java.util.HashMap<>(status);
      out.keySet().retainAll(folders);
      return out;
    }

    void set(MailStore on, AccountId account, long modseq) throws IOException {
      for (FolderPath f : on.folders(account)) {
        status.put(f, new FolderStatus(1, 1000, on.scan(account, f).messages().size(), modseq));
      }
    }
  }

  @Test
  void foldersUnchangedSinceVerifiedShouldBeSkippedUnscannedAndVerifiedByCounts()
      throws IOException {
    StatusReader s = new StatusReader(source);
    StatusReader t = new StatusReader(target);
    Migrator.Io io = new Migrator.Io(s, t, MessageWriter.of(target));
    MigrationState state = MigrationState.inMemory();
    Migrator.Options o = Migrator.Options.defaults();
    AccountReport first = new Migrator(source, src, target, dst, FolderNamer.IDENTITY, state, o, io)
        .run(Migrator.Listener.NONE);
    assertThat(first.copied()).isEqualTo(MESSAGES);
    s.set(source, src, 7);
    t.set(target, dst, 9);
    VerifyReport full = new MigrationVerify(source, src, target, dst, FolderNamer.IDENTITY, o, io,
        state).run();
    assertThat(full.ok()).isTrue();
    assertThat(full.folders()).noneMatch(VerifyReport.Folder::byCounts);
    assertThat(state.verified(src)).hasSameSizeAs(full.folders());

    s.scans = 0;
    t.scans = 0;
    AccountReport again = new Migrator(source, src, target, dst, FolderNamer.IDENTITY, state, o,
        io).run(Migrator.Listener.NONE);
    VerifyReport counts = new MigrationVerify(source, src, target, dst, FolderNamer.IDENTITY, o,
        io, state).run();
    assertThat(again.copied()).isZero();
    assertThat(again.alreadyDone()).isEqualTo(MESSAGES);
    assertThat(counts.ok()).isTrue();
    assertThat(counts.folders()).allMatch(VerifyReport.Folder::byCounts);
    assertThat(counts.lines()).allMatch(l -> l.endsWith("counts only)"));
    assertThat(s.scans + t.scans).isZero();

    // a flag changed on the target (HIGHESTMODSEQ moved): that folder is compared again
    t.status.computeIfPresent(FolderPath.INBOX, (f, st) -> new FolderStatus(st.uidValidity(),
        st.uidNext(), st.messages(), st.highestModSeq() + 1));
    VerifyReport changed = new MigrationVerify(source, src, target, dst, FolderNamer.IDENTITY, o,
        io, state).run();
    assertThat(changed.ok()).isTrue();
    assertThat(changed.folders()).filteredOn(f -> !f.byCounts())
        .extracting(VerifyReport.Folder::sourceFolder).containsExactly(FolderPath.INBOX);
  }

  @Test
  void theCopyShouldKeepTheOrderOfEachSourceFolder() throws Exception {
    TestMail.checkOrderKept(GREENMAIL, src, dst, SECRET, () -> run(target, MigrationState.inMemory()));
  }

  @Test
  void aMaildirSourceShouldBeCopiedInDovecotsUidOrderNotInFileNameOrder() throws Exception {
    MailStore from = maildir();
    AccountId m = AccountId.of("order" + USERS.get() + "@example.com");
    for (int i = 1; i <= 3; i++) {
      TestMail.append(from, m, FolderPath.INBOX, TestMail.message("o" + i, "o" + i, "body " + i),
          Flags.NONE, TestMail.DATE);
    }
    Path inbox = ((MaildirStore) from).folderDir(m, FolderPath.INBOX);
    // base name -> subject, by name
    Map<String, String> byName = new java.util.TreeMap<>();
    for (String sub : List.of("new", "cur")) {
      try (var files = Files.list(inbox.resolve(sub))) {
        for (Path f : files.toList()) {
          String subject = Files.readAllLines(f).stream().filter(l -> l.startsWith("Subject: "))
              .findFirst().orElseThrow().substring(9);
          putByBaseName(byName, f.getFileName().toString(), subject);
        }
      }
    }
    assertThat(byName).hasSize(3);
    // Dovecot numbered them the other way round (files renamed, or delivered within one second)
    List<String> names = new ArrayList<>(byName.keySet());
    List<String> expected = new ArrayList<>();
    StringBuilder uidlist = new StringBuilder("3 V1700000000 N4\n");
    for (int uid = 1; uid <= 3; uid++) {
      String name = names.get(3 - uid);
      uidlist.append(uid).append(" :").append(name).append('\n');
      expected.add(byName.get(name));
    }
    Files.writeString(inbox.resolve("dovecot-uidlist"), uidlist);
    // and a delivery it has not numbered yet, whose name sorts before the others: it comes last
    Files.write(inbox.resolve("new/1000000000.M1P1Q1.example"), TestMail.message("o0", "o0", "late"));
    expected.add("o0");

    new Migrator(from, m, target, dst, FolderNamer.IDENTITY, MigrationState.inMemory(),
        Migrator.Options.defaults()).run(Migrator.Listener.NONE);

    assertThat(TestMail.subjectsInOrder(GREENMAIL.getImap().getPort(), dst.toString(), SECRET,
        FolderPath.INBOX)).isEqualTo(expected);
  }

  private static void putByBaseName(Map<String, String> byName, String fileName, String subject) {
    int colon = fileName.indexOf(':');
    byName.put(colon < 0 ? fileName : fileName.substring(0, colon), subject);
  }
}
