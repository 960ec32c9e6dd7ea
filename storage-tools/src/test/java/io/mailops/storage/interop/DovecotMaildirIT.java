package io.mailops.storage.interop;

import static io.mailops.storage.interop.TestMail.IMAP_DATE;
import static io.mailops.storage.interop.TestMail.crlf;
import static io.mailops.storage.interop.TestMail.lf;
import static io.mailops.storage.interop.TestMail.mail;
import static io.mailops.storage.interop.TestMail.messageId;
import static io.mailops.storage.interop.TestMail.read;
import static io.mailops.storage.interop.TestMail.sha;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mailops.storage.FolderScan;
import io.mailops.storage.MailStoreException;
import io.mailops.storage.MessageGoneException;
import io.mailops.storage.maildir.MaildirLayout;
import io.mailops.storage.maildir.MaildirStore;
import io.mailops.storage.interop.TestMail.Spec;
import io.mailops.storage.model.AccountId;
import io.mailops.storage.model.Flags;
import io.mailops.storage.model.FolderPath;
import io.mailops.storage.model.MessageRef;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestReporter;
import org.junit.jupiter.api.Timeout;

/**
 * {@link MaildirStore} against the real Dovecot 2.3 of {@code scripts/interop/dovecot.sh}: what
 * Dovecot writes we read with the same bytes, flags, keywords, dates and UIDs; what we write
 * Dovecot serves the same way and does not complain about; a scan beside a busy IMAP session
 * loses and duplicates nothing. Every run uses fresh folder names and Message-IDs, so the tests
 * can run again and again against one server.
 *
 * <p>Line endings, as this Dovecot really does it (default {@code mail_save_crlf = no}): a
 * message APPENDed over IMAP is stored with LF line ends whether the client sent CRLF or LF
 * ({@code S=} in the file name is that LF size); IMAP serves every message with CRLF line ends
 * ({@code BODY[]}, and {@code RFC822.SIZE} = {@code W=} in the name), and a file that already has
 * CRLF (written by {@code MaildirStore.append} from CRLF input) is served unchanged. So the
 * assertions are: {@code open()} = file bytes = appended bytes with CRLF→LF, and
 * {@code BODY.PEEK[]} = those bytes with bare LF→CRLF.
 */
class DovecotMaildirIT {

  static final AccountId ALICE = AccountId.of("alice@example.com");
  static final AccountId CAROL = AccountId.of("carol@example.org");
  static final Pattern COMPLAINT = Pattern.compile("\\b(Warning|Error|Panic|Fatal):");

  static DovecotEnv env;

  MaildirStore store;
  String run;

  @BeforeAll
  static void findDovecot() throws IOException {
    env = DovecotEnv.load();
    assertThat(env.users()).as("passwd users of %s", env.conf())
        .contains(ALICE.toString(), CAROL.toString());
  }

  @BeforeEach
  void setUp() {
    store = new MaildirStore(env.vmail(), MaildirLayout.standard(), MaildirStore.Settings.defaults());
    run = "it" + Long.toString(ThreadLocalRandom.current().nextLong(1L << 40), 36);
  }

  /** A message MaildirStore appended, and what it returned. */
  record Written(FolderPath folder, Spec spec, MessageRef ref) {}

  @Test
  void messagesAppendedOverImapAreReadByMaildirStoreWithSameBytesFlagsDatesUidsAndFolders()
      throws Exception {
    SoftAssertions softly = new SoftAssertions();
    for (AccountId account : List.of(ALICE, CAROL)) {
      List<FolderPath> folders = List.of(FolderPath.of("Projekte/Übersicht " + run),
          FolderPath.of("Entwürfe " + run));
      Map<FolderPath, Map<Long, Spec>> sent = new HashMap<>();
      Map<FolderPath, Map<Long, ImapTestClient.Fetched>> served = new HashMap<>();
      long uidValidity = 0;
      try (ImapTestClient imap = ImapTestClient.login(env, account.toString())) {
        for (FolderPath f : folders) {
          imap.create(f.toString());
          Map<Long, Spec> byUid = new HashMap<>();
          for (Spec s : TestMail.specs(run, account.user() + ".f" + folders.indexOf(f))) {
            ImapTestClient.Appended a = imap.append(f.toString(), s.bytes(), s.imapFlags(), s.imapDate());
            byUid.put(a.uid(), s);
            uidValidity = a.uidValidity();
          }
          sent.put(f, byUid);
          served.put(f, imap.fetchAll(f.toString()).stream()
              .collect(Collectors.toMap(ImapTestClient.Fetched::uid, m -> m)));
          softly.assertThat(store.uidValidity(account, f)).as("UIDVALIDITY of %s", f)
              .isEqualTo(OptionalLong.of(uidValidity));
        }
        softly.assertThat(imap.list()).as("IMAP LIST of %s", account)
            .contains(folders.get(0).toString(), folders.get(1).toString(), "Projekte");
      }
      assertThat(store.accounts()).contains(account);
      assertThat(store.folders(account)).as("folders of %s", account)
          .contains(folders.toArray(FolderPath[]::new));

      for (FolderPath f : folders) {
        FolderScan scan = store.scan(account, f);
        softly.assertThat(scan.skipped()).as("skipped in %s", f).isEmpty();
        softly.assertThat(scan.messages()).as("messages in %s", f).hasSize(sent.get(f).size());
        Map<Long, String> guids = doveadmGuids(account, f);
        for (MessageRef ref : scan.messages()) {
          long uid = ref.uid().orElseThrow(() -> new AssertionError("no UID for " + ref));
          Spec s = sent.get(f).get(uid);
          assertThat(s).as("MaildirStore UID %d of %s is no APPENDUID of %s", uid, ref, sent.get(f).keySet())
              .isNotNull();
          String what = account + " " + f + " " + s.messageId();
          softly.assertThat(ref.flags()).as("flags of %s", what).isEqualTo(s.flags());
          softly.assertThat(ref.internalDate()).as("internal date of %s", what)
              .isEqualTo(s.date().toInstant());
          softly.assertThat(ref.key().value()).as("key = Dovecot GUID of %s", what)
              .isEqualTo(guids.get(uid));
          byte[] opened = read(store.open(account, ref));
          byte[] onDisk = Files.readAllBytes(store.folderDir(account, f).resolve(ref.location()));
          softly.assertThat(sha(opened)).as("open() = file of %s", what).isEqualTo(sha(onDisk));
          softly.assertThat(sha(onDisk)).as("file = appended with CRLF->LF, %s", what)
              .isEqualTo(sha(lf(s.bytes())));
          softly.assertThat(ref.size()).as("size of %s", what).isEqualTo(onDisk.length);
          ImapTestClient.Fetched m = served.get(f).get(uid);
          softly.assertThat(sha(m.body())).as("BODY[] = open() with LF->CRLF, %s", what)
              .isEqualTo(sha(crlf(opened)));
          softly.assertThat(sha(m.body())).as("BODY[] = appended with LF->CRLF, %s", what)
              .isEqualTo(sha(crlf(s.bytes())));
          softly.assertThat(m.rfc822Size()).as("RFC822.SIZE of %s", what).isEqualTo(m.body().length);
          softly.assertThat(m.flags()).as("IMAP flags of %s", what).isEqualTo(ref.flags());
          softly.assertThat(m.internalDate()).as("INTERNALDATE of %s", what).isEqualTo(ref.internalDate());
        }
      }
    }
    softly.assertAll();
  }

  @Test
  void messagesWrittenByMaildirStoreAreServedByDovecotWithSameBytesFlagsDatesAndSizes() throws Exception {
    long logOffset = env.logOffset();
    FolderPath dovecotMade = FolderPath.of("Entwürfe " + run);
    String first = TestMail.id(run, "imap", 0);
    try (ImapTestClient imap = ImapTestClient.login(env, ALICE.toString())) {
      imap.create(dovecotMade.toString());
      imap.append(dovecotMade.toString(), mail(first, "keyword Dovecot knows first", "a\n", "\r\n"),
          "$Important", IMAP_DATE.format(OffsetDateTime.of(2022, 1, 2, 3, 4, 5, 0, ZoneOffset.UTC)));
    }
    // Dovecot gave $Important letter a, so our $Label1 and NonJunk must get b and c
    assertThat(Files.readString(store.folderDir(ALICE, dovecotMade).resolve("dovecot-keywords")))
        .isEqualTo("0 $Important\n");
    List<FolderPath> folders = List.of(FolderPath.of("Projekte/Übersicht " + run),
        FolderPath.of("Café & Bar " + run), dovecotMade);
    List<Written> written = writeWithMaildirStore(ALICE, folders);
    assertThat(Files.readString(store.folderDir(ALICE, dovecotMade).resolve("dovecot-keywords")))
        .isEqualTo("0 $Important\n1 $Label1\n2 NonJunk\n");
    assertDovecotServes(ALICE, folders, written, Map.of(dovecotMade, Set.of(first)), logOffset, List.of());
  }

  @Test
  void folderNameWithDotIsRefusedByMaildirStoreAsByDovecot() throws Exception {
    FolderPath dotted = FolderPath.of("Archiv.2024 " + run);
    try (ImapTestClient imap = ImapTestClient.login(env, ALICE.toString())) {
      assertThatThrownBy(() -> imap.create(dotted.toString()))
          .hasMessageContaining("Character not allowed in mailbox name: '.'");
    }
    assertThatThrownBy(() -> store.createFolder(ALICE, dotted)).isInstanceOf(MailStoreException.class)
        .hasMessageContaining("has a '.' in its name");
    assertThat(store.folders(ALICE)).doesNotContain(dotted);
  }

  @Test
  void maildirStoreCreatesTheMaildirOfAPasswdUserWhoHasNoneAndDovecotServesIt() throws Exception {
    List<AccountId> candidates = Stream.concat(Stream.of("bob@example.com"), env.users().stream())
        .distinct().map(AccountId::of).filter(a -> !Files.exists(env.maildir(a))).toList();
    Assumptions.assumeFalse(candidates.isEmpty(), "every passwd user of this Dovecot already has a Maildir"
        + " (earlier runs made them); start Dovecot on a fresh dir to check a brand-new account again");
    AccountId fresh = candidates.get(0);
    Path created = env.maildir(fresh).getParent();
    while (!Files.isDirectory(created.getParent())) {
      created = created.getParent();
    }
    long logOffset = env.logOffset();
    List<FolderPath> folders = List.of(FolderPath.INBOX, FolderPath.of("Projekte/Übersicht"),
        FolderPath.of("Café & Bar"));
    List<Written> written = writeWithMaildirStore(fresh, folders);
    try (Stream<Path> all = Files.walk(created)) {
      for (Path p : all.toList()) {
        assertOwnedByMailUser(p);
      }
    }
    assertThat(store.accounts()).contains(fresh);
    assertThat(store.folders(fresh)).containsExactly(FolderPath.INBOX, FolderPath.of("Café & Bar"),
        FolderPath.of("Projekte/Übersicht"));
    assertDovecotServes(fresh, folders, written, Map.of(), logOffset, List.of("(" + fresh + ")"));
  }

  @Test
  @Timeout(value = 90, unit = TimeUnit.SECONDS)
  void scanBesideImapFlaggingDeliveringAndExpungingListsEachMessageOnceAndOpensIt(TestReporter report)
      throws Exception {
    FolderPath folder = FolderPath.of("Race " + run);
    String name = folder.toString();
    long logOffset = env.logOffset();
    Map<String, byte[]> before = new HashMap<>(); // Message-ID -> bytes as stored (LF)
    Map<Long, String> idByUid = new HashMap<>();
    try (ImapTestClient imap = ImapTestClient.login(env, ALICE.toString())) {
      imap.create(name);
      String[] flags = {"\\Seen", "", "\\Flagged $Label1", "\\Answered \\Seen NonJunk"};
      for (int i = 0; i < 150; i++) {
        String id = TestMail.id(run, "pre", i);
        byte[] b = mail(id, "pre-existing " + i, "body " + i + "\n", "\r\n");
        ImapTestClient.Appended a = imap.append(name, b, flags[i % flags.length],
            IMAP_DATE.format(OffsetDateTime.of(2020, 5, 1, 12, 0, 0, 0, ZoneOffset.UTC).plusMinutes(i)));
        idByUid.put(a.uid(), id);
        before.put(id, lf(b));
      }
    }
    for (int i = 0; i < 50; i++) { // into new/: Dovecot's first sync renames them to cur/ while we scan
      String id = TestMail.id(run, "new", i);
      byte[] b = mail(id, "written by MaildirStore " + i, "body\n", "\n");
      MessageRef ref = store.append(ALICE, folder, new ByteArrayInputStream(b), Flags.NONE,
          Instant.parse("2021-06-01T00:00:00Z").plusSeconds(i));
      assertOwnedByMailUser(store.folderDir(ALICE, folder).resolve(ref.location()));
      before.put(id, b);
    }
    Map<String, String> idByKey = new HashMap<>();
    FolderScan initial = store.scan(ALICE, folder);
    for (MessageRef m : initial.messages()) {
      idByKey.put(m.key().value(), messageId(read(store.open(ALICE, m))));
      m.uid().ifPresent(uid -> assertThat(idByKey.get(m.key().value())).as("UID %d", uid)
          .isEqualTo(idByUid.get(uid)));
    }
    assertThat(idByKey.values()).containsExactlyInAnyOrderElementsOf(before.keySet());

    Set<String> expunging = ConcurrentHashMap.newKeySet();
    Set<String> delivered = ConcurrentHashMap.newKeySet();
    AtomicBoolean stop = new AtomicBoolean();
    ExecutorService imapThread = Executors.newSingleThreadExecutor();
    int scans = 0;
    int opened = 0;
    int gone = 0;
    try {
      Future<Integer> traffic =
          imapThread.submit(() -> imapTraffic(name, idByUid, expunging, delivered, stop));
      while (!traffic.isDone()) { // bounded by the traffic: at most 400 operations or 8 s
        Set<String> deliveredBefore = Set.copyOf(delivered);
        FolderScan scan = store.scan(ALICE, folder);
        Set<String> expungedByNow = Set.copyOf(expunging);
        scans++;
        assertThat(scan.skipped()).as("scan %d skipped", scans).isEmpty();
        assertThat(scan.vanished()).as("scan %d vanished", scans).isLessThanOrEqualTo(expungedByNow.size());
        Set<String> keys = new HashSet<>();
        Set<String> ids = new HashSet<>();
        for (MessageRef m : scan.messages()) {
          assertThat(keys.add(m.key().value())).as("scan %d listed %s twice", scans, m.key()).isTrue();
          String id = idByKey.get(m.key().value());
          try {
            byte[] b = read(store.open(ALICE, m));
            opened++;
            id = messageId(b);
            if (before.containsKey(id)) {
              assertThat(sha(b)).as("bytes of %s in scan %d", id, scans).isEqualTo(sha(before.get(id)));
            }
          } catch (MessageGoneException e) {
            gone++;
            assertThat(expunging).as("%s (%s) gone in scan %d: %s", m.key(), id, scans, e.getMessage())
                .contains(id);
          }
          assertThat(ids.add(id)).as("scan %d listed message %s twice (second key %s)", scans, id, m.key())
              .isTrue();
        }
        Set<String> missing = new HashSet<>(before.keySet());
        missing.addAll(deliveredBefore);
        missing.removeAll(ids);
        missing.removeAll(expungedByNow);
        assertThat(missing).as("messages there before scan %d started, not expunged, but not listed", scans)
            .isEmpty();
      }
      stop.set(true);
      int ops = traffic.get(30, TimeUnit.SECONDS);
      report.publishEntry("concurrent", "imap ops=" + ops + " scans=" + scans + " opened=" + opened
          + " gone=" + gone + " delivered=" + delivered.size() + " expunged=" + expunging.size());
      assertThat(List.of(ops, delivered.size(), expunging.size())).as("IMAP ops, deliveries, expunges")
          .allMatch(n -> n > 0);
    } finally {
      stop.set(true);
      imapThread.shutdown();
      assertThat(imapThread.awaitTermination(30, TimeUnit.SECONDS)).as("IMAP thread stopped").isTrue();
    }
    assertThat(scans).as("scans that ran beside the IMAP traffic").isGreaterThan(1);

    List<ImapTestClient.Fetched> served;
    try (ImapTestClient imap = ImapTestClient.login(env, ALICE.toString())) {
      served = imap.fetchAll(name);
    }
    FolderScan after = store.scan(ALICE, folder);
    Map<Long, MessageRef> byUid = new HashMap<>();
    Set<String> ids = new HashSet<>();
    for (MessageRef m : after.messages()) {
      assertThat(ids.add(messageId(read(store.open(ALICE, m))))).as("listed twice: %s", m).isTrue();
      byUid.put(m.uid().orElseThrow(() -> new AssertionError("no UID after Dovecot synced: " + m)), m);
    }
    Set<String> expected = new HashSet<>(before.keySet());
    expected.removeAll(expunging);
    expected.addAll(delivered);
    assertThat(ids).as("second scan: before - expunged + delivered")
        .containsExactlyInAnyOrderElementsOf(expected);
    assertThat(served).hasSize(byUid.size());
    for (ImapTestClient.Fetched m : served) {
      assertThat(byUid).as("IMAP UID %d", m.uid()).containsKey(m.uid());
      assertThat(byUid.get(m.uid()).flags()).as("flags of UID %d", m.uid()).isEqualTo(m.flags());
    }
    assertNoDovecotComplaints(logOffset, ALICE,
        List.of(name, store.folderDir(ALICE, folder).getFileName().toString()));
  }

  /** IMAP STOREs, APPENDs, {@code doveadm save}s and EXPUNGEs in one folder, for at most 8 s. */
  private Integer imapTraffic(String folder, Map<Long, String> idByUid, Set<String> expunging,
      Set<String> delivered, AtomicBoolean stop) throws Exception {
    String[] toggled = {"\\Seen", "\\Flagged", "\\Answered", "$Label1", "NonJunk"};
    List<Long> uids = new ArrayList<>(idByUid.keySet());
    SplittableRandom rnd = new SplittableRandom(run.hashCode());
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(8);
    int n = 0;
    try (ImapTestClient imap = ImapTestClient.login(env, ALICE.toString())) {
      imap.select(folder);
      while (!stop.get() && n < 400 && System.nanoTime() < deadline) {
        n++;
        int r = rnd.nextInt(100);
        String sign = rnd.nextBoolean() ? "+" : "-";
        if (r < 50) {
          imap.command("UID STORE " + uids.get(rnd.nextInt(uids.size())) + " " + sign + "FLAGS.SILENT ("
              + toggled[rnd.nextInt(toggled.length)] + ")");
        } else if (r < 56) {
          imap.command("STORE 1:* " + sign + "FLAGS.SILENT (\\Seen)"); // renames every file
        } else if (r < 76) {
          String id = TestMail.id(run, "imap", n);
          imap.append(folder, mail(id, "appended during scan", "x\n", "\r\n"), "",
              IMAP_DATE.format(OffsetDateTime.now(ZoneOffset.UTC)));
          delivered.add(id);
        } else if (r < 86) {
          String id = TestMail.id(run, "lda", n);
          String err = env.doveadm(mail(id, "saved during scan", "y\n", "\n"),
              "save", "-u", ALICE.toString(), "-m", folder).stderr();
          if (COMPLAINT.matcher(err).find()) {
            throw new IllegalStateException("doveadm save into " + folder + " complained: " + err);
          }
          delivered.add(id);
        } else if (r < 90 && expunging.size() < 15) {
          long uid = uids.remove(rnd.nextInt(uids.size()));
          expunging.add(idByUid.get(uid));
          imap.command("UID STORE " + uid + " +FLAGS.SILENT (\\Deleted)");
          imap.command("UID EXPUNGE " + uid);
        } else {
          imap.command("NOOP"); // syncs: moves new/ files to cur/
        }
      }
    }
    return n;
  }

  /** Creates the folders with MaildirStore and appends {@link TestMail#specs} to each; checks owner and mode. */
  private List<Written> writeWithMaildirStore(AccountId account, List<FolderPath> folders)
      throws Exception {
    List<Written> out = new ArrayList<>();
    for (FolderPath f : folders) {
      store.createFolder(account, f);
      Path dir = store.folderDir(account, f);
      for (Spec s : TestMail.specs(run, account.user() + ".f" + folders.indexOf(f))) {
        MessageRef ref = store.append(account, f, new ByteArrayInputStream(s.bytes()), s.flags(),
            s.date().toInstant());
        assertThat(ref.size()).isEqualTo(s.bytes().length);
        assertThat(ref.location()).startsWith(s.flags().isEmpty() ? "new/" : "cur/");
        Path file = dir.resolve(ref.location());
        assertOwnedByMailUser(file);
        Set<PosixFilePermission> fileMode = EnumSet.noneOf(PosixFilePermission.class);
        fileMode.addAll(Files.getPosixFilePermissions(dir));
        fileMode.removeIf(p -> p.name().endsWith("EXECUTE"));
        assertThat(Files.getPosixFilePermissions(file)).as("mode of %s", file).isEqualTo(fileMode);
        assertThat(Files.getLastModifiedTime(file).toInstant()).isEqualTo(s.date().toInstant());
        out.add(new Written(f, s, ref));
      }
      for (String sub : List.of("", "cur", "new", "tmp", "dovecot-keywords", "maildirfolder")) {
        assertOwnedByMailUser(dir.resolve(sub)); // those that exist (no marker in INBOX)
      }
    }
    return out;
  }

  /** IMAP, doveadm and the log agree with what MaildirStore wrote. */
  private void assertDovecotServes(AccountId account, List<FolderPath> folders, List<Written> written,
      Map<FolderPath, Set<String>> alsoThere, long logOffset, List<String> moreTokens) throws Exception {
    Map<FolderPath, Map<String, ImapTestClient.Fetched>> served = new HashMap<>();
    Set<String> listed;
    try (ImapTestClient imap = ImapTestClient.login(env, account.toString())) {
      listed = imap.list();
      for (FolderPath f : folders) {
        served.put(f, imap.fetchAll(f.toString()).stream()
            .collect(Collectors.toMap(m -> messageId(m.body()), m -> m)));
      }
    }
    SoftAssertions softly = new SoftAssertions();
    softly.assertThat(listed).as("IMAP LIST of %s", account)
        .containsAll(folders.stream().map(FolderPath::toString).toList());
    DovecotEnv.Doveadm doveadmList = env.doveadm(new byte[0], "mailbox", "list", "-u", account.toString());
    softly.assertThat(doveadmList.stdout().lines().toList()).as("doveadm mailbox list -u %s", account)
        .containsAll(folders.stream().map(FolderPath::toString).toList());
    softly.assertThat(doveadmList.stderr()).as("doveadm mailbox list -u %s, stderr", account)
        .doesNotContainPattern(COMPLAINT);
    List<String> tokens = new ArrayList<>(moreTokens);
    for (FolderPath f : folders) {
      Set<String> expected = new HashSet<>(alsoThere.getOrDefault(f, Set.of()));
      written.stream().filter(w -> w.folder().equals(f)).forEach(w -> expected.add(w.spec().messageId()));
      softly.assertThat(served.get(f).keySet()).as("Message-IDs Dovecot serves in %s", f)
          .containsExactlyInAnyOrderElementsOf(expected);
      tokens.add(f.isInbox() ? env.maildir(account).toString() : f.toString());
      tokens.add(store.folderDir(account, f).getFileName().toString());
      Map<String, MessageRef> scanned = store.scan(account, f).messages().stream()
          .collect(Collectors.toMap(m -> m.key().value(), m -> m));
      for (Written w : written.stream().filter(w -> w.folder().equals(f)).toList()) {
        tokens.add(w.ref().key().value());
        String what = account + " " + f + " " + w.spec().messageId();
        ImapTestClient.Fetched m = served.get(f).get(w.spec().messageId());
        if (m == null) {
          softly.fail("Dovecot does not serve %s (written as %s)", what, w.ref().location());
          continue;
        }
        byte[] crlf = crlf(w.spec().bytes());
        softly.assertThat(m.flags()).as("IMAP flags of %s", what).isEqualTo(w.spec().flags());
        softly.assertThat(m.internalDate()).as("INTERNALDATE of %s", what)
            .isEqualTo(w.spec().date().toInstant());
        softly.assertThat(m.rfc822Size()).as("RFC822.SIZE of %s", what).isEqualTo(crlf.length);
        softly.assertThat(sha(m.body())).as("BODY[] = written with LF->CRLF, %s", what).isEqualTo(sha(crlf));
        MessageRef now = scanned.get(w.ref().key().value());
        softly.assertThat(now).as("MaildirStore still lists %s", what).isNotNull();
        if (now != null) {
          softly.assertThat(now.uid()).as("UID of %s after Dovecot synced", what)
              .isEqualTo(OptionalLong.of(m.uid()));
          softly.assertThat(now.flags()).as("flags of %s after Dovecot synced", what)
              .isEqualTo(w.spec().flags());
        }
      }
    }
    softly.assertAll();
    assertNoDovecotComplaints(logOffset, account, tokens);
  }

  /** No Warning/Error line added to Dovecot's log since {@code offset} mentions any token. */
  private void assertNoDovecotComplaints(long offset, AccountId account, List<String> tokens)
      throws Exception {
    List<String> lines = env.logAfterLogout(offset, account.toString(), Duration.ofSeconds(5));
    List<String> complaints = lines.stream().filter(l -> COMPLAINT.matcher(l).find())
        .filter(l -> tokens.stream().anyMatch(l::contains)).toList();
    assertThat(complaints).as("Dovecot log %s since this test, about %s", env.log(), tokens).isEmpty();
  }

  /** UID -> GUID of a folder as {@code doveadm fetch} reports them. */
  private static Map<Long, String> doveadmGuids(AccountId account, FolderPath folder) throws Exception {
    String out = env.doveadm(new byte[0], "fetch", "-u", account.toString(), "uid guid", "mailbox",
        folder.toString(), "all").stdout();
    Map<Long, String> guids = new HashMap<>();
    long uid = -1;
    for (String line : out.lines().toList()) {
      if (line.startsWith("uid: ")) {
        uid = Long.parseLong(line.substring(5).trim());
      } else if (line.startsWith("guid: ")) {
        guids.put(uid, line.substring(6).trim());
      }
    }
    return guids;
  }

  private void assertOwnedByMailUser(Path p) throws IOException {
    if (!Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    assertThat(List.of(Files.getAttribute(p, "unix:uid", LinkOption.NOFOLLOW_LINKS),
        Files.getAttribute(p, "unix:gid", LinkOption.NOFOLLOW_LINKS)))
        .as("owner uid, gid of %s", p).containsExactly(env.mailUid(), env.mailGid());
  }
}
