package io.mailops.backup.ftp;

import static io.mailops.backup.BackupTestStores.maildir;
import static io.mailops.backup.BackupTestStores.snapshot;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mailops.backup.Backup;
import io.mailops.backup.BackupProgress;
import io.mailops.backup.BackupResult;
import io.mailops.backup.BackupSets;
import io.mailops.backup.FolderEntry;
import io.mailops.backup.Prune;
import io.mailops.backup.PrunePolicy;
import io.mailops.backup.PruneResult;
import io.mailops.backup.Restore;
import io.mailops.backup.RestoreResult;
import io.mailops.backup.Scope;
import io.mailops.backup.SetId;
import io.mailops.backup.SetManifest;
import io.mailops.backup.VerifyReport;
import io.mailops.backup.Verify;
import io.mailops.storage.maildir.MaildirStore;
import io.mailops.storage.model.AccountId;
import io.mailops.storage.model.FolderPath;
import io.mailops.storage.model.MessageRef;
import io.mailops.storage.sample.SampleGenerator;
import io.mailops.storage.sample.SampleSettings;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Incrementals over FTP (in-process FtpServer) in which most folders did not change: such folders
 * get no files in the set (format 3 refers to the parent's folder manifest), unchanged control
 * files are not uploaded again, and list, restore, verify, prune and resume follow the references.
 */
class IncrementalUnchangedFoldersTest {

  static final Instant T0 = Instant.parse("2026-11-22T04:00:00Z");

  @TempDir Path tmp;
  MaildirStore store;
  FtpTestServer server;
  FtpTarget target;
  Path work;
  AccountId alice;
  AccountId bob;

  @BeforeEach
  void setUp() throws Exception {
    store = maildir(tmp.resolve("vmail"));
    SampleGenerator.generate(store, new SampleSettings(1, 2, 20, 11),
        SampleGenerator.Listener.NONE);
    alice = store.accounts().get(0);
    bob = store.accounts().get(1);
    for (AccountId a : store.accounts()) {
      for (FolderPath f : store.folders(a)) {
        Path dir = store.folderDir(a, f);
        Files.writeString(dir.resolve("dovecot-uidlist"), "3 V1 N1 G" + a + f + "\n");
        Files.writeString(dir.resolve("dovecot-keywords"), "0 $Label1\n");
      }
    }
    server = new FtpTestServer(tmp.resolve("srv"), false, -1);
    target = new FtpTarget(FtpTargetTest.fast(FtpSettings.parse(server.uri("backup", "/b"))),
        FtpTargetTest.PASSWORD);
    work = Files.createDirectories(tmp.resolve("work"));
  }

  @AfterEach
  void tearDown() {
    target.close();
    server.close();
  }

  BackupResult backup(SetId.Kind kind, int hoursLater, BackupProgress resume,
      Backup.Listener listener) throws IOException {
    Clock clock = Clock.fixed(T0.plusSeconds(3600L * hoursLater), ZoneOffset.UTC);
    return new Backup(store, target, clock, work).run(Scope.ALL, kind, resume, listener);
  }

  BackupResult backup(SetId.Kind kind, int hoursLater) throws IOException {
    return backup(kind, hoursLater, null, Backup.Listener.NONE);
  }

  /** Adds \Flagged to the first unflagged message in {@code cur/} of the folder. */
  void flagOne(AccountId account, FolderPath folder) throws IOException {
    MessageRef ref = store.scan(account, folder).messages().stream()
        .filter(m -> m.location().startsWith("cur/") && m.location().contains(":2,")
            && !m.location().substring(m.location().indexOf(":2,")).contains("F"))
        .findFirst().orElseThrow();
    Path file = store.folderDir(account, folder).resolve(ref.location());
    String name = file.getFileName().toString();
    int info = name.indexOf(":2,");
    char[] letters = (name.substring(info + 3) + "F").toCharArray();
    Arrays.sort(letters);
    Files.move(file, file.resolveSibling(name.substring(0, info + 3) + new String(letters)));
  }

  /** The files of set {@code set} on the server, relative to the set directory. */
  List<String> filesOf(SetId set) throws IOException {
    Path dir = server.home().resolve("b").resolve(set.toString());
    try (Stream<Path> s = Files.walk(dir)) {
      return s.filter(Files::isRegularFile).map(p -> dir.relativize(p).toString()).sorted()
          .toList();
    }
  }

  String dirOf(AccountId a) {
    return a.domain() + "/" + a.user();
  }

  /** The snapshot entries of one account, or of one folder of it ({@code folder} null: all). */
  static Map<String, String> only(Map<String, String> all, AccountId a, FolderPath folder) {
    Map<String, String> out = new TreeMap<>();
    String prefix = a + "/" + (folder == null ? "" : folder + " ");
    all.forEach((k, v) -> {
      if (k.startsWith(prefix)) {
        out.put(k, v);
      }
    });
    return out;
  }

  MaildirStore empty(String name) throws IOException {
    return maildir(Files.createDirectories(tmp.resolve(name)));
  }

  @Test
  void unchangedFoldersShouldGetNoFilesAndUnchangedControlFilesShouldNotBeUploadedAgain()
      throws IOException {
    BackupResult full = backup(SetId.Kind.FULL, 0);
    flagOne(alice, FolderPath.INBOX);
    int stor = server.count("STOR");
    int rnfr = server.count("RNFR");

    BackupResult inc = backup(SetId.Kind.INCREMENTAL, 1);

    String inbox = dirOf(alice) + "/INBOX/";
    assertThat(filesOf(inc.set())).containsExactly(inbox + BackupSets.MANIFEST,
        BackupSets.MANIFEST);
    assertThat(server.count("STOR") - stor).as("uploads").isEqualTo(2);
    assertThat(server.count("RNFR") - rnfr).as("renames: the set manifest only").isEqualTo(1);
    SetManifest m = new BackupSets(target).manifest(inc.set());
    // the INBOX's manifest is a delta (one flag change) against the full set's
    assertThat(m.format()).isEqualTo(SetManifest.FORMAT_DELTA);
    assertThat(m.folders()).hasSize(full.folders());
    assertThat(m.folders()).filteredOn(f -> f.manifestSet() == null)
        .extracting(FolderEntry::dir).containsExactly(dirOf(alice) + "/INBOX");
    assertThat(m.folders()).filteredOn(f -> f.manifestSet() != null)
        .allSatisfy(f -> assertThat(f.manifestSet()).isEqualTo(full.set().toString()));
    var inboxManifest = new BackupSets(target).folder(inc.set().toString(), m.folders().stream()
        .filter(f -> f.manifestSet() == null).findFirst().orElseThrow());
    assertThat(inboxManifest.controlFiles()).allSatisfy(c ->
        assertThat(c.set()).isEqualTo(full.set().toString()));

    // a second incremental with a changed control file: refers straight to where the files are
    Files.writeString(store.folderDir(bob, FolderPath.INBOX).resolve("dovecot-uidlist"),
        "3 V1 N2 Gchanged\n");
    BackupResult inc2 = backup(SetId.Kind.INCREMENTAL, 2);
    assertThat(filesOf(inc2.set())).containsExactly(
        dirOf(bob) + "/INBOX/dovecot-uidlist", dirOf(bob) + "/INBOX/" + BackupSets.MANIFEST,
        BackupSets.MANIFEST);
    SetManifest m2 = new BackupSets(target).manifest(inc2.set());
    assertThat(m2.folders()).filteredOn(f -> f.dir().equals(dirOf(alice) + "/INBOX"))
        .singleElement().extracting(FolderEntry::manifestSet).isEqualTo(inc.set().toString());
    assertThat(m2.folders()).filteredOn(f -> f.dir().startsWith(dirOf(alice) + "/.")
        || f.dir().startsWith(dirOf(bob) + "/.")).isNotEmpty()
        .allSatisfy(f -> assertThat(f.manifestSet()).isEqualTo(full.set().toString()));
    try (var files = Files.walk(server.home())) {
      assertThat(files.map(Path::toString)).noneMatch(p -> p.endsWith(".part"));
    }
  }

  @Test
  void restoringFromAPartlyUnchangedIncrementalShouldGiveTheSameMessagesFlagsAndControlFiles()
      throws IOException {
    backup(SetId.Kind.FULL, 0);
    flagOne(alice, FolderPath.INBOX);
    BackupResult inc = backup(SetId.Kind.INCREMENTAL, 1);
    String set = inc.set().toString();
    Map<String, String> source = snapshot(store);

    MaildirStore all = empty("all");
    new Restore(target, all, work).run(set, Scope.parse(alice.domain()));
    assertThat(snapshot(all)).isEqualTo(source);

    MaildirStore account = empty("account");
    new Restore(target, account, work).run(set, Scope.parse(bob.toString()));
    assertThat(snapshot(account)).isEqualTo(only(source, bob, null));
    Path restoredUidlist = account.folderDir(bob, FolderPath.INBOX).resolve("dovecot-uidlist");
    assertThat(restoredUidlist).hasSameBinaryContentAs(
        store.folderDir(bob, FolderPath.INBOX).resolve("dovecot-uidlist"));

    FolderPath other = store.folders(bob).stream().filter(f -> !f.isInbox())
        .filter(f -> {
          try {
            return !store.scan(bob, f).messages().isEmpty();
          } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
          }
        }).findFirst().orElseThrow();
    MaildirStore folder = empty("folder");
    new Restore(target, folder, work).run(set, Scope.parse(bob + "/" + other));
    assertThat(snapshot(folder)).isEqualTo(only(source, bob, other));

    List<MessageRef> refs = store.scan(bob, other).messages();
    MessageRef one = refs.get(refs.size() - 1); // not at offset 0 of its tar
    MaildirStore single = empty("single");
    int rest = server.count("REST");
    RestoreResult r = new Restore(target, single, work)
        .run(set, Scope.parse(bob + "/" + other).withMessage(one.key().value()));
    assertThat(r.restored()).isEqualTo(1);
    assertThat(server.count("REST") - rest).as("one ranged read of one tar entry").isEqualTo(1);
    assertThat(snapshot(single)).hasSize(1);
    assertThat(source).containsAllEntriesOf(snapshot(single));
  }

  @Test
  void verifyShouldFollowTheReferencesAndNameAMissingReferredManifest() throws IOException {
    BackupResult full = backup(SetId.Kind.FULL, 0);
    flagOne(alice, FolderPath.INBOX);
    BackupResult inc = backup(SetId.Kind.INCREMENTAL, 1);

    VerifyReport quick = new Verify(target).run(inc.set().toString(), false);
    VerifyReport deep = new Verify(target).run(inc.set().toString(), true);

    assertThat(quick.problems()).isEmpty();
    assertThat(deep.problems()).isEmpty();
    assertThat(deep.messages()).isEqualTo(inc.messages());
    // manifest and both control files of every folder, wherever they are, plus the set manifest
    // and the base of the one folder manifest stored as a delta
    assertThat(deep.files()).isEqualTo(1 + 3 * inc.folders() + 1);

    String referred = full.set() + "/" + dirOf(bob) + "/INBOX/";
    Files.delete(server.home().resolve("b/" + referred + BackupSets.MANIFEST));
    Files.writeString(server.home().resolve("b/" + referred + "dovecot-keywords"), "damaged\n");
    VerifyReport broken = new Verify(target).run(inc.set().toString(), true);
    assertThat(broken.problems()).anySatisfy(p -> assertThat(p)
        .contains(referred + BackupSets.MANIFEST));
    Files.delete(server.home().resolve("b/" + referred.replace("/" + bob.user() + "/",
        "/" + alice.user() + "/") + "dovecot-keywords"));
    assertThat(new Verify(target).run(inc.set().toString(), false).problems())
        .anySatisfy(p -> assertThat(p).contains(full.set() + "/" + dirOf(alice)
            + "/INBOX/dovecot-keywords is missing"));
  }

  @Test
  void pruneShouldKeepTheSetsWhoseFilesAKeptIncrementalRefersTo() throws IOException {
    BackupResult full = backup(SetId.Kind.FULL, 0);
    flagOne(alice, FolderPath.INBOX);
    BackupResult inc1 = backup(SetId.Kind.INCREMENTAL, 24);
    flagOne(bob, FolderPath.INBOX);
    BackupResult inc2 = backup(SetId.Kind.INCREMENTAL, 48);
    Clock later = Clock.fixed(T0.plusSeconds(3600L * 49), ZoneOffset.UTC);

    PruneResult r = new Prune(target, later).run(new PrunePolicy(1, 0, 0), false);

    assertThat(r.removed()).isEmpty();
    assertThat(r.kept()).containsExactlyInAnyOrder(full.set().toString(),
        inc1.set().toString(), inc2.set().toString());
    assertThat(new Verify(target).run(inc2.set().toString(), true).problems()).isEmpty();
    MaildirStore restored = empty("restored");
    new Restore(target, restored, work).run(inc2.set().toString(), Scope.ALL);
    assertThat(snapshot(restored)).isEqualTo(snapshot(store));
  }

  @Test
  void anIncrementalKilledBetweenFoldersAndResumedShouldBeCompleteWithoutDuplicates()
      throws Exception {
    target.close();
    server.close();
    server = new FtpTestServer(tmp.resolve("srv2"), false, 5);
    server.dropSuffix = "never";
    target = new FtpTarget(FtpTargetTest.fast(FtpSettings.parse(server.uri("backup", "/b"))),
        FtpTargetTest.PASSWORD);
    backup(SetId.Kind.FULL, 0);
    flagOne(alice, FolderPath.INBOX);
    flagOne(bob, FolderPath.INBOX);
    Files.writeString(store.folderDir(bob, FolderPath.INBOX).resolve("dovecot-uidlist"),
        "3 V1 N2 Gchanged\n");
    AtomicReference<BackupProgress> saved = new AtomicReference<>();
    Backup.Listener killed = p -> {
      saved.set(p);
      if (p.completed().stream().anyMatch(f -> f.dir().equals(dirOf(alice) + "/INBOX"))
          && p.completed().size() == 3) {
        throw new IOException("killed");
      }
    };
    // the data connection of bob's uidlist drops once: the retry replaces the partial file
    server.dropSuffix = dirOf(bob) + "/INBOX/dovecot-uidlist";
    assertThatThrownBy(() -> backup(SetId.Kind.INCREMENTAL, 1, null, killed))
        .hasMessage("killed");
    assertThat(new BackupSets(target).list()).hasSize(1);
    SetId set = SetId.parse(saved.get().set());
    // a partial file of a folder not yet done, as a crash in the middle of an upload leaves it
    Path partial = server.home().resolve("b/" + set + "/" + dirOf(bob) + "/INBOX/"
        + BackupSets.MANIFEST);
    Files.createDirectories(partial.getParent());
    Files.writeString(partial, "{\"set\" : \"trunc");

    BackupResult r = backup(SetId.Kind.INCREMENTAL, 1, saved.get(), Backup.Listener.NONE);

    assertThat(r.set()).isEqualTo(set);
    assertThat(server.drops.get()).isEqualTo(1);
    assertThat(new BackupSets(target).list()).hasSize(2);
    assertThat(filesOf(set)).containsExactly(
        dirOf(alice) + "/INBOX/" + BackupSets.MANIFEST,
        dirOf(bob) + "/INBOX/dovecot-uidlist", dirOf(bob) + "/INBOX/" + BackupSets.MANIFEST,
        BackupSets.MANIFEST);
    assertThat(new Verify(target).run(set.toString(), true).problems()).isEmpty();
    MaildirStore restored = empty("restored");
    new Restore(target, restored, work).run(set.toString(), Scope.ALL);
    assertThat(snapshot(restored)).isEqualTo(snapshot(store));
    RestoreResult again = new Restore(target, restored, work).run(set.toString(), Scope.ALL);
    assertThat(again.restored()).isZero();
    assertThat(snapshot(restored)).isEqualTo(snapshot(store));
    assertThat(Files.readString(restored.folderDir(bob, FolderPath.INBOX)
        .resolve("dovecot-uidlist"), StandardCharsets.UTF_8)).isEqualTo("3 V1 N2 Gchanged\n");
  }
}
