package io.mailops.backup;

import static io.mailops.backup.BackupTestStores.FAST_KDF;
import static io.mailops.backup.BackupTestStores.snapshot;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.luben.zstd.ZstdInputStream;
import io.mailops.backup.local.LocalDirectoryTarget;
import io.mailops.storage.maildir.MaildirStore;
import io.mailops.storage.model.AccountId;
import io.mailops.storage.model.Flags;
import io.mailops.storage.model.FolderPath;
import io.mailops.storage.model.MessageRef;
import io.mailops.storage.sample.SampleSettings;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class EncryptedBackupTest extends SampleStoreFixture {

  static final char[] PASSWORD = "s3cret backup pass".toCharArray();
  static final String BODY_LINE = "The vault combination is 31-41-59, do not share it.";

  AccountId alice;

  @BeforeEach
  void sampleStore() throws IOException {
    sampleStore(new SampleSettings(1, 2, 15, 11));
    alice = store.accounts().get(0);
    store.append(alice, FolderPath.INBOX, message("<vault-1@example.com>", BODY_LINE), Flags.NONE,
        T0.minusSeconds(600));
  }

  static ByteArrayInputStream message(String messageId, String body) {
    return new ByteArrayInputStream(("Message-ID: " + messageId + "\r\nSubject: test\r\n\r\n"
        + body + "\r\n").getBytes(StandardCharsets.US_ASCII));
  }

  Backup backup(int hoursLater, char[] password) {
    return backupAt(hoursLater).password(password).kdf(FAST_KDF);
  }

  BackupResult run(Backup b, SetId.Kind kind) throws IOException {
    return b.run(Scope.ALL, kind, null, Backup.Listener.NONE);
  }

  /** Whether any file under {@code dir}, as stored or zstd-decompressed, contains {@code text}. */
  static boolean anyFileContains(Path dir, String text) throws IOException {
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path p : files.filter(Files::isRegularFile).toList()) {
        byte[] raw = Files.readAllBytes(p);
        String hay = new String(raw, StandardCharsets.ISO_8859_1);
        try (InputStream z = new ZstdInputStream(new ByteArrayInputStream(raw))) {
          hay += new String(z.readAllBytes(), StandardCharsets.ISO_8859_1);
        } catch (IOException notZstd) {
          // encrypted or JSON: the raw bytes are all there is
        }
        if (hay.contains(text)) {
          return true;
        }
      }
    }
    return false;
  }

  @Test
  void anEncryptedFullSetShouldRoundTripAndRecordItsEncryption() throws IOException {
    BackupResult full = BackupTestStores.assertFullRoundTrip(store, target, tmp, PASSWORD);

    SetManifest m = new BackupSets(target).manifest(full.set());
    assertThat(m.format()).isEqualTo(SetManifest.FORMAT_ENCRYPTED);
    assertThat(m.encryption()).isNotNull();
    assertThat(m.encryption().cipher()).isEqualTo("AES-256-GCM");
    assertThat(m.encryption().memoryKiB()).isEqualTo(FAST_KDF.memoryKiB());
    assertThat(m.folders()).isNotEmpty();
  }

  @Test
  void aRunStartedWithAnEmptyCheckpointShouldBeEncryptedLikeANewOne() throws IOException {
    // mailops backup run names the set and checkpoints it before the first folder
    SetId id = SetId.of(T0, SetId.Kind.FULL, Scope.ALL);
    BackupResult r = backup(0, PASSWORD).run(Scope.ALL, SetId.Kind.FULL,
        new BackupProgress(id.toString(), List.of()), Backup.Listener.NONE);

    assertThat(new BackupSets(target).manifest(r.set()).encrypted()).isTrue();
    MaildirStore restored = emptyStore("restored");
    new Restore(target, restored, work).password(PASSWORD).run("latest", Scope.ALL);
    assertThat(BackupTestStores.snapshot(restored)).isEqualTo(BackupTestStores.snapshot(store));
  }

  @Test
  void noFileOfAnEncryptedSetShouldHoldAMessageLineOrManifestFieldInPlaintext() throws IOException {
    LocalDirectoryTarget plain = new LocalDirectoryTarget(tmp.resolve("plain"));
    new Backup(store, plain, Clock.fixed(T0, ZoneOffset.UTC), work)
        .run(Scope.ALL, SetId.Kind.FULL, null, Backup.Listener.NONE);
    SetId set = run(backup(0, PASSWORD), SetId.Kind.FULL).set();
    Path setDir = target.root().resolve(set.toString());

    assertThat(anyFileContains(plain.root(), "vault combination")).isTrue();
    assertThat(anyFileContains(setDir, "vault combination")).isFalse();
    assertThat(anyFileContains(setDir, "vault-1@example.com")).isFalse();
    assertThat(anyFileContains(setDir, "internalDate")).isFalse();
    String manifest = Files.readString(setDir.resolve(BackupSets.MANIFEST));
    assertThat(manifest).contains("\"format\":2").contains("\"encryption\"")
        .contains("\"folders\"").doesNotContain("\"encrypted\"");
  }

  @Test
  void anEncryptedIncrementalShouldStoreNothingForUnchangedFoldersAndControlFiles()
      throws IOException {
    for (FolderPath f : store.folders(alice)) {
      Files.writeString(store.folderDir(alice, f).resolve("dovecot-uidlist"), "3 V1 N1 " + f);
    }
    SetId full = run(backup(0, PASSWORD), SetId.Kind.FULL).set();
    store.append(alice, FolderPath.INBOX, message("<new-3@example.com>", "third"), Flags.NONE,
        T0.plusSeconds(60));

    BackupResult inc = run(backup(1, PASSWORD), SetId.Kind.INCREMENTAL);

    Path incDir = target.root().resolve(inc.set().toString());
    String inbox = alice.domain() + "/" + alice.user() + "/INBOX/";
    try (var files = Files.walk(incDir)) {
      assertThat(files.filter(Files::isRegularFile).map(p -> incDir.relativize(p).toString()))
          .containsExactlyInAnyOrder(BackupSets.MANIFEST, BackupSets.ENCRYPTION,
              inbox + BackupSets.MANIFEST, inbox + BackupSets.TAR);
    }
    SetManifest m = new BackupSets(target).manifest(inc.set());
    // the INBOX's manifest is an (encrypted) delta against the full set's
    assertThat(m.format()).isEqualTo(SetManifest.FORMAT_DELTA);
    assertThat(m.folders()).filteredOn(f -> f.deltaBase() != null).singleElement()
        .satisfies(f -> assertThat(f.deltaBase().set()).isEqualTo(full.toString()));
    assertThat(m.encrypted()).isTrue();
    assertThat(m.folders()).filteredOn(f -> !f.dir().equals(inbox.substring(0, inbox.length() - 1)))
        .isNotEmpty().allSatisfy(f -> assertThat(f.manifestSet()).isEqualTo(full.toString()));
    MaildirStore restored = emptyStore("restored");
    new Restore(target, restored, work).password(PASSWORD).run("latest", Scope.ALL);
    assertThat(snapshot(restored)).isEqualTo(snapshot(store));
    assertThat(restored.folderDir(alice, FolderPath.INBOX).resolve("dovecot-uidlist"))
        .hasSameBinaryContentAs(store.folderDir(alice, FolderPath.INBOX).resolve("dovecot-uidlist"));
    assertThat(new Verify(target).password(PASSWORD).run("latest", true).problems()).isEmpty();
  }

  @Test
  void anEncryptedIncrementalShouldReuseTheParentKeyAndRestoreTheWholeChain() throws IOException {
    SetId full = run(backup(0, PASSWORD), SetId.Kind.FULL).set();
    store.append(alice, FolderPath.INBOX, message("<new-2@example.com>", "second"), Flags.NONE,
        T0.plusSeconds(60));

    BackupResult inc = run(backup(1, PASSWORD), SetId.Kind.INCREMENTAL);

    BackupSets sets = new BackupSets(target);
    assertThat(inc.written()).isEqualTo(1);
    assertThat(sets.manifest(inc.set()).encryption()).isEqualTo(sets.manifest(full).encryption());
    MaildirStore restored = emptyStore("restored");
    RestoreResult r = new Restore(target, restored, work).password(PASSWORD)
        .run("latest", Scope.ALL);
    assertThat(r.restored()).isEqualTo(inc.messages());
    assertThat(snapshot(restored)).isEqualTo(snapshot(store));
    assertThat(new Verify(target).password(PASSWORD).run("latest", true).problems()).isEmpty();
  }

  @Test
  void anIncrementalMustUseTheSameEncryptionAsItsParent() throws IOException {
    run(backup(0, PASSWORD), SetId.Kind.FULL);

    assertThatThrownBy(() -> run(backup(1, null), SetId.Kind.INCREMENTAL))
        .isInstanceOf(BackupException.class)
        .hasMessage("set 20261122T040000Z-full-all is encrypted; give the same --encryption-password-file"
            + " or take a --full backup");
    assertThatThrownBy(() -> run(backup(1, "other".toCharArray()), SetId.Kind.INCREMENTAL))
        .isInstanceOf(BackupException.class)
        .hasMessageStartingWith("wrong password for backup set 20261122T040000Z-full-all");
  }

  @Test
  void aPasswordOnAPlainParentShouldBeRefused() throws IOException {
    run(backup(0, null), SetId.Kind.FULL);

    assertThatThrownBy(() -> run(backup(1, PASSWORD), SetId.Kind.INCREMENTAL))
        .isInstanceOf(BackupException.class)
        .hasMessage("set 20261122T040000Z-full-all is not encrypted; give the same"
            + " --encryption-password-file or take a --full backup");
  }

  @Test
  void restoreWithoutOrWithAWrongPasswordShouldSaySo() throws IOException {
    SetId set = run(backup(0, PASSWORD), SetId.Kind.FULL).set();
    MaildirStore restored = emptyStore("restored");

    assertThatThrownBy(() -> new Restore(target, restored, work).run("latest", Scope.ALL))
        .isInstanceOf(BackupException.class)
        .hasMessage("backup set " + set + " is encrypted; give its password with --encryption-password-file"
            + " or MAILOPS_BACKUP_PASSWORD");
    assertThatThrownBy(() -> new Restore(target, restored, work).password("nope".toCharArray())
        .run("latest", Scope.ALL))
        .isInstanceOf(BackupException.class)
        .hasMessageStartingWith("wrong password for backup set " + set);
    assertThat(restored.accounts()).isEmpty();
    assertThatThrownBy(() -> new BackupSets(target).folder(set.toString(),
        new BackupSets(target).manifest(set).folders().get(0)))
        .hasMessageContaining("is encrypted");
  }

  @Test
  void verifyWithoutThePasswordShouldCheckTheStoredFilesAndSayWhatItCannotCheck()
      throws IOException {
    SetId set = run(backup(0, PASSWORD), SetId.Kind.FULL).set();

    VerifyReport quick = new Verify(target).run("latest", false);
    VerifyReport deep = new Verify(target).run("latest", true);

    assertThat(quick.problems()).isEmpty();
    assertThat(quick.files()).isGreaterThan(1);
    assertThat(deep.problems()).singleElement().asString().contains("is encrypted")
        .contains("give the password");

    FolderEntry inbox = new BackupSets(target).manifest(set).folders().get(0);
    Path tar = target.root().resolve(set + "/" + inbox.dir() + "/" + BackupSets.TAR);
    byte[] bytes = Files.readAllBytes(tar);
    bytes[bytes.length / 2] ^= 1;
    Files.write(tar, bytes);
    assertThat(new Verify(target).run("latest", true).problems())
        .anySatisfy(p -> assertThat(p).contains(BackupSets.TAR).contains("SHA-256"));
    assertThat(new Verify(target).password(PASSWORD).run("latest", true).problems())
        .anySatisfy(p -> assertThat(p).contains("damaged"));
  }

  @Test
  void restoringOneMessageOfAnEncryptedSetShouldReadOnlyItsByteRange() throws IOException {
    SetId set = run(backup(0, PASSWORD), SetId.Kind.FULL).set();
    MessageRef ref = store.scan(alice, FolderPath.INBOX).messages().get(3);
    BackupSets sets = new BackupSets(target).password(PASSWORD);
    FolderEntry inbox = sets.manifest(set).folders().stream()
        .filter(f -> f.account().equals(alice.toString()) && f.folder().equals("INBOX"))
        .findFirst().orElseThrow();
    MessageEntry e = sets.folder(set.toString(), inbox).messages().get(ref.key().value());
    BackupTestStores.CountingTarget counting = new BackupTestStores.CountingTarget(target);
    MaildirStore restored = emptyStore("restored");

    RestoreResult r = new Restore(counting, restored, work).password(PASSWORD)
        .run("latest", Scope.parse(alice + "/INBOX").withMessage(ref.key().value()));

    assertThat(r.restored()).isEqualTo(1);
    assertThat(counting.tarBytesRead.get()).isPositive().isLessThanOrEqualTo(e.location().length());
    assertThat(Files.size(target.root().resolve(e.location().file())))
        .isGreaterThan(2 * e.location().length());
    assertThat(snapshot(restored).values()).singleElement();
  }

  @Test
  void anInterruptedEncryptedRunShouldResumeWithTheSameKey() throws IOException {
    AtomicReference<BackupProgress> saved = new AtomicReference<>();
    Backup.Listener killedAfterOneFolder = p -> {
      saved.set(p);
      throw new IOException("killed");
    };
    assertThatThrownBy(() -> backup(0, PASSWORD).run(Scope.ALL, SetId.Kind.FULL, null,
        killedAfterOneFolder)).hasMessage("killed");
    assertThat(target.size(saved.get().set() + "/" + BackupSets.ENCRYPTION)).isPresent();

    assertThatThrownBy(() -> backup(0, null).run(Scope.ALL, SetId.Kind.FULL, saved.get(),
        Backup.Listener.NONE)).hasMessageContaining("is encrypted; give the same --encryption-password-file");
    BackupResult r = backup(0, PASSWORD).run(Scope.ALL, SetId.Kind.FULL, saved.get(),
        Backup.Listener.NONE);

    assertThat(r.set().toString()).isEqualTo(saved.get().set());
    assertThat(new Verify(target).password(PASSWORD).run("latest", true).problems()).isEmpty();
    MaildirStore restored = emptyStore("restored");
    new Restore(target, restored, work).password(PASSWORD).run("latest", Scope.ALL);
    assertThat(snapshot(restored)).isEqualTo(snapshot(store));
  }

  @Test
  void plainSetsShouldKeepFormat1WithoutAnEncryptionProperty() throws IOException {
    SetId set = run(backup(0, null), SetId.Kind.FULL).set();

    String json = Files.readString(target.root().resolve(set + "/" + BackupSets.MANIFEST));
    assertThat(json).contains("\"format\":1").doesNotContain("encrypt");
    assertThat(target.list(set.toString())).doesNotContain(BackupSets.ENCRYPTION);
    assertThat(new BackupSets(target).manifest(set).encrypted()).isFalse();
    assertThat(List.of(new Verify(target).password(PASSWORD).run("latest", true).problems()))
        .containsExactly(List.of());
  }
}
