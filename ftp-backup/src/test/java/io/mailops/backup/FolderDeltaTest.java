package io.mailops.backup;

import static io.mailops.backup.BackupTestStores.maildir;
import static io.mailops.backup.BackupTestStores.snapshot;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mailops.backup.local.LocalDirectoryTarget;
import io.mailops.storage.maildir.MaildirStore;
import io.mailops.storage.model.AccountId;
import io.mailops.storage.model.Flag;
import io.mailops.storage.model.FolderPath;
import io.mailops.storage.model.MessageRef;
import io.mailops.storage.sample.SampleSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Format 4: a changed folder's manifest in an incremental is a delta against the last complete
 * one (never against another delta), re-based when the delta grows past a quarter of the folder;
 * restore, verify and the next incremental read base + delta; and sets written by the code before
 * (format 1 and 3, indented JSON, checked in under {@code old-sets/}) still restore and verify.
 */
class FolderDeltaTest extends SampleStoreFixture {

  AccountId alice;

  @BeforeEach
  void sampleStore() throws IOException {
    sampleStore(new SampleSettings(1, 1, 40, 7));
    alice = store.accounts().get(0);
  }

  BackupResult backup(SetId.Kind kind, int hoursLater) throws IOException {
    return backupAt(hoursLater).run(Scope.ALL, kind, null, Backup.Listener.NONE);
  }

  /** Flags {@code n} unflagged messages of the INBOX in {@code cur/} (a rename, as Dovecot does). */
  void flag(int n) throws IOException {
    List<MessageRef> refs = store.scan(alice, FolderPath.INBOX).messages().stream()
        .filter(m -> m.location().startsWith("cur/") && !m.flags().has(Flag.FLAGGED))
        .limit(n).toList();
    assertThat(refs).hasSize(n);
    for (MessageRef ref : refs) {
      Path file = store.folderDir(alice, FolderPath.INBOX).resolve(ref.location());
      String name = file.getFileName().toString();
      int info = name.indexOf(":2,");
      char[] letters = (name.substring(info + 3) + "F").toCharArray();
      Arrays.sort(letters);
      Files.move(file, file.resolveSibling(name.substring(0, info + 3) + new String(letters)));
    }
  }

  FolderEntry inbox(SetId set) throws IOException {
    return new BackupSets(target).manifest(set).folders().stream()
        .filter(f -> f.folder().equals("INBOX")).findFirst().orElseThrow();
  }

  int inboxSize() throws IOException {
    return store.scan(alice, FolderPath.INBOX).messages().size();
  }

  void assertRestoresAndVerifies(SetId set, String name) throws IOException {
    MaildirStore restored = maildir(Files.createDirectories(tmp.resolve(name)));
    new Restore(target, restored, work).run(set.toString(), Scope.ALL);
    assertThat(snapshot(restored)).isEqualTo(snapshot(store));
    VerifyReport deep = new Verify(target).run(set.toString(), true);
    assertThat(deep.problems()).isEmpty();
  }

  @Test
  void changedFoldersShouldStoreOnlyTheChangedEntriesAgainstTheLastCompleteManifest()
      throws IOException {
    SetId full = backup(SetId.Kind.FULL, 0).set();
    FolderEntry fullInbox = inbox(full);
    assertThat(inboxSize()).isGreaterThanOrEqualTo(8);
    flag(1);

    SetId inc1 = backup(SetId.Kind.INCREMENTAL, 1).set();
    FolderEntry e1 = inbox(inc1);
    assertThat(new BackupSets(target).manifest(inc1).format()).isEqualTo(SetManifest.FORMAT_DELTA);
    assertThat(e1.deltaBase()).isEqualTo(new FolderEntry.DeltaBase(full.toString(),
        fullInbox.manifestSize(), fullInbox.manifestSha256()));
    FolderDelta d1 = ManifestCodec.read(Files.readAllBytes(
        target.root().resolve(e1.manifestName(inc1.toString()))), FolderDelta.class, "delta");
    assertThat(d1.changed()).hasSize(1);
    assertThat(d1.changed().values().iterator().next().flags()).contains("\\Flagged");
    assertThat(d1.removed()).isEmpty();
    assertThat(e1.manifestSize()).isLessThan(fullInbox.manifestSize() / 4);
    assertRestoresAndVerifies(inc1, "restored1");

    // a second change: the delta stays against the full set's manifest (chain of one), holding
    // both changes, and a removed message is listed as removed
    flag(1);
    List<MessageRef> unflagged = store.scan(alice, FolderPath.INBOX).messages().stream()
        .filter(m -> !m.flags().has(Flag.FLAGGED)).toList();
    MessageRef gone = unflagged.get(unflagged.size() - 1);
    Files.delete(store.folderDir(alice, FolderPath.INBOX).resolve(gone.location()));
    SetId inc2 = backup(SetId.Kind.INCREMENTAL, 2).set();
    FolderEntry e2 = inbox(inc2);
    assertThat(e2.deltaBase()).isEqualTo(e1.deltaBase());
    FolderManifest merged = new BackupSets(target).folder(inc2.toString(), e2);
    assertThat(merged.set()).isEqualTo(inc2.toString());
    assertThat(merged.messages()).hasSize(inboxSize()).doesNotContainKey(gone.key().value());
    assertThat(merged.messages().values().stream().filter(m -> m.flags().contains("\\Flagged"))
        .count()).isGreaterThanOrEqualTo(2);
    assertRestoresAndVerifies(inc2, "restored2");

    // nothing changed: the folder refers to inc2's delta, and its base stays the same
    SetId inc3 = backup(SetId.Kind.INCREMENTAL, 3).set();
    FolderEntry e3 = inbox(inc3);
    assertThat(e3.manifestSet()).isEqualTo(inc2.toString());
    assertThat(e3.deltaBase()).isEqualTo(e2.deltaBase());
    assertThat(target.root().resolve(inc3 + "/" + e3.dir())).doesNotExist();
    assertRestoresAndVerifies(inc3, "restored3");

    // a one-message restore from a delta folder
    MessageRef one = store.scan(alice, FolderPath.INBOX).messages().get(1);
    MaildirStore single = maildir(Files.createDirectories(tmp.resolve("single")));
    RestoreResult r = new Restore(target, single, work).run(inc3.toString(),
        Scope.parse(alice + "/INBOX").withMessage(one.key().value()));
    assertThat(r.restored()).isEqualTo(1);
    assertThat(snapshot(store)).containsAllEntriesOf(snapshot(single));
  }

  @Test
  void aDeltaAboveAQuarterOfTheFolderShouldBeStoredAsACompleteManifestAndBecomeTheNewBase()
      throws IOException {
    backup(SetId.Kind.FULL, 0);
    int n = inboxSize();
    flag(n / 4 + 1);

    SetId inc1 = backup(SetId.Kind.INCREMENTAL, 1).set();
    FolderEntry e1 = inbox(inc1);
    assertThat(e1.deltaBase()).isNull();
    FolderManifest complete = ManifestCodec.read(Files.readAllBytes(
        target.root().resolve(e1.manifestName(inc1.toString()))), FolderManifest.class, "m");
    assertThat(complete.messages()).hasSize(n);

    flag(1);
    SetId inc2 = backup(SetId.Kind.INCREMENTAL, 2).set();
    assertThat(inbox(inc2).deltaBase()).isEqualTo(new FolderEntry.DeltaBase(inc1.toString(),
        e1.manifestSize(), e1.manifestSha256()));
    assertRestoresAndVerifies(inc2, "restored");
  }

  @Test
  void aDamagedDeltaBaseShouldFailVerifyNamingTheBaseFile() throws IOException {
    SetId full = backup(SetId.Kind.FULL, 0).set();
    flag(1);
    SetId inc = backup(SetId.Kind.INCREMENTAL, 1).set();
    String base = inbox(inc).deltaBaseName();
    assertThat(base).startsWith(full + "/");
    Files.writeString(target.root().resolve(base), "{}");

    VerifyReport quick = new Verify(target).run(inc.toString(), false);

    assertThat(quick.problems()).anySatisfy(p -> assertThat(p).contains(base));
  }

  /** The cached copy of the full set's INBOX folder manifest. */
  Path cachedInbox(SetId full) throws IOException {
    return work.resolve(Backup.MANIFEST_CACHE).resolve(full.toString())
        .resolve(inbox(full).dir()).resolve(BackupSets.MANIFEST);
  }

  /** Incrementals at {@code hoursLater}, counting what they read from the target. */
  BackupResult countingIncremental(int hoursLater, List<String> opened) throws IOException {
    BackupTarget counting = new ForwardingBackupTarget(target) {
      @Override
      public java.io.InputStream open(String name, long offset, long length) throws IOException {
        opened.add(name);
        return super.open(name, offset, length);
      }
    };
    return new Backup(store, counting, java.time.Clock.fixed(
        T0.plusSeconds(3600L * hoursLater), java.time.ZoneOffset.UTC), work)
        .run(Scope.ALL, SetId.Kind.INCREMENTAL, null, Backup.Listener.NONE);
  }

  @Test
  void aCachedManifestShouldBeUsedByItsTrailerAndOneFromAnOlderMailopsByItsHash()
      throws IOException {
    SetId full = backup(SetId.Kind.FULL, 0).set();
    Path cached = cachedInbox(full);
    long stored = inbox(full).manifestSize();
    assertThat(Files.size(cached)).isEqualTo(stored + Backup.TRAILER);
    List<String> opened = new java.util.ArrayList<>();
    flag(1);

    SetId inc = countingIncremental(1, opened).set();

    assertThat(opened).noneMatch(n -> n.startsWith(full + "/")
        && !n.equals(full + "/" + BackupSets.MANIFEST)); // its set manifest is read, no folder's
    assertRestoresAndVerifies(inc, "restored");

    // a cache written before the trailer: the stored bytes alone, checked by their SHA-256
    Path incCached = cachedInbox(full);
    byte[] file = Files.readAllBytes(incCached);
    Files.write(incCached, Arrays.copyOf(file, (int) stored));
    opened.clear();
    flag(1);

    SetId inc2 = countingIncremental(2, opened).set();

    assertThat(opened).noneMatch(n -> n.startsWith(full + "/")
        && !n.equals(full + "/" + BackupSets.MANIFEST)); // its set manifest is read, no folder's
    assertRestoresAndVerifies(inc2, "restored2");
  }

  @Test
  void aDamagedCachedManifestShouldBeReadFromTheTargetInstead() throws IOException {
    SetId full = backup(SetId.Kind.FULL, 0).set();
    Path cached = cachedInbox(full);
    byte[] file = Files.readAllBytes(cached);
    String text = new String(file, java.nio.charset.StandardCharsets.UTF_8);
    // the same length, one message's SHA-256 changed: only the CRC32C can tell
    int at = text.indexOf("\"sha256\":\"") + 10;
    file[at] = (byte) (file[at] == 'a' ? 'b' : 'a');
    Files.write(cached, file);
    List<String> opened = new java.util.ArrayList<>();
    flag(1);

    SetId inc = countingIncremental(1, opened).set();

    assertThat(opened).contains(full + "/" + inbox(full).dir() + "/" + BackupSets.MANIFEST);
    assertRestoresAndVerifies(inc, "restored");
    // cached again from the target's copy
    String name = full + "/" + inbox(full).dir() + "/" + BackupSets.MANIFEST;
    assertThat(Arrays.copyOf(Files.readAllBytes(cachedInbox(full)),
        (int) inbox(full).manifestSize())).isEqualTo(Files.readAllBytes(target.root().resolve(name)));
  }

  @Test
  void theNextIncrementalShouldWorkWithoutTheLocalManifestCache() throws IOException {
    backup(SetId.Kind.FULL, 0);
    flag(1);
    backup(SetId.Kind.INCREMENTAL, 1);
    try (Stream<Path> s = Files.walk(work.resolve(Backup.MANIFEST_CACHE))) {
      for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
    flag(1);

    SetId inc2 = backup(SetId.Kind.INCREMENTAL, 2).set();

    assertThat(inbox(inc2).deltaBase()).isNotNull();
    assertRestoresAndVerifies(inc2, "restored");
  }

  /**
   * A full and an incremental set written by mailops before format 4 (indented JSON, format 1 and
   * 3: one new message and one flag change in the INBOX, unchanged folders referred to).
   */
  @Test
  void setsWrittenBeforeFormat4ShouldStillRestoreAndVerify() throws Exception {
    Path old = Path.of(getClass().getResource("/old-sets/format3").toURI());
    LocalDirectoryTarget oldTarget = new LocalDirectoryTarget(old);
    SetId inc = SetId.parse("20261122T131800Z-incremental-all");
    SetManifest m = new BackupSets(oldTarget).manifest(inc);
    assertThat(m.format()).isEqualTo(SetManifest.FORMAT_REFS);
    assertThat(m.folders()).allSatisfy(f -> assertThat(f.deltaBase()).isNull());

    for (String set : List.of("20261122T131722Z-full-all", inc.toString())) {
      VerifyReport deep = new Verify(oldTarget).run(set, true);
      assertThat(deep.problems()).as(set).isEmpty();
    }
    MaildirStore restored = maildir(Files.createDirectories(tmp.resolve("restored")));
    RestoreResult r = new Restore(oldTarget, restored, work).run("latest", Scope.ALL);
    assertThat(r.restored()).isEqualTo(13);
    Map<String, String> snap = snapshot(restored);
    assertThat(snap).hasSize(13);
    assertThat(snap.values()).filteredOn(v -> v.contains("FLAGGED")).hasSize(1);
    MaildirStore fromFull = maildir(Files.createDirectories(tmp.resolve("full")));
    assertThat(new Restore(oldTarget, fromFull, work).run("20261122T131722Z-full-all", Scope.ALL)
        .restored()).isEqualTo(12);
    MaildirStore single = maildir(Files.createDirectories(tmp.resolve("single")));
    assertThat(new Restore(oldTarget, single, work).run("latest",
        Scope.parse("alice@example.com/Trash")
            .withMessage("<20250216080611.7edb826ca5e99338.2@example.com>")).restored())
        .isEqualTo(1);
  }

  /**
   * A restore reads the folder manifests (delta and base) a backup from this host left in its
   * manifest cache when they have the size and SHA-256 the set manifest names, and the target's
   * otherwise: a damaged cached copy is not taken (ADR 0037).
   */
  @Test
  void aRestoreShouldReadTheBackupsManifestCacheOnlyWhenItMatchesTheSetManifest()
      throws IOException {
    backup(SetId.Kind.FULL, 0);
    flag(1);
    SetId inc = backup(SetId.Kind.INCREMENTAL, 1).set();
    FolderEntry e = inbox(inc);
    assertThat(e.deltaBase()).isNotNull();
    Path delta = target.root().resolve(e.manifestName(inc.toString()));
    Path base = target.root().resolve(e.deltaBaseName());
    Path cachedBase = work.resolve(Backup.MANIFEST_CACHE).resolve(e.deltaBaseName());
    assertThat(cachedBase).exists();
    byte[] goodDelta = Files.readAllBytes(delta);
    byte[] goodBase = Files.readAllBytes(base);
    Scope inbox = Scope.parse(alice + "/INBOX");

    // the target's copies damaged: the cached ones are read
    Files.write(delta, new byte[goodDelta.length]);
    Files.write(base, new byte[goodBase.length]);
    MaildirStore fromCache = maildir(Files.createDirectories(tmp.resolve("fromCache")));
    assertThat(new Restore(target, fromCache, work).run(inc.toString(), inbox).restored())
        .isEqualTo(inboxSize());
    // without the cache (another work directory) the damage shows
    Path otherWork = Files.createDirectories(tmp.resolve("otherWork"));
    MaildirStore noCache = maildir(Files.createDirectories(tmp.resolve("noCache")));
    assertThatThrownBy(() -> new Restore(target, noCache, otherWork).run(inc.toString(), inbox))
        .isInstanceOf(BackupException.class).hasMessageContaining("does not match its size and SHA-256");

    // a damaged cached copy (same size, its trailer kept) is not taken: the target's is read
    Files.write(delta, goodDelta);
    Files.write(base, goodBase);
    byte[] cached = Files.readAllBytes(cachedBase);
    cached[10] ^= 1;
    Files.write(cachedBase, cached);
    MaildirStore fromTarget = maildir(Files.createDirectories(tmp.resolve("fromTarget")));
    assertThat(new Restore(target, fromTarget, work).run(inc.toString(), inbox).restored())
        .isEqualTo(inboxSize());
    Files.write(base, new byte[goodBase.length]);
    MaildirStore bothDamaged = maildir(Files.createDirectories(tmp.resolve("bothDamaged")));
    assertThatThrownBy(() -> new Restore(target, bothDamaged, work).run(inc.toString(), inbox))
        .isInstanceOf(BackupException.class).hasMessageContaining(e.deltaBaseName());
  }
}
