package io.mailops.backup;

import static io.mailops.backup.BackupTestStores.snapshot;
import static org.assertj.core.api.Assertions.assertThat;

import io.mailops.storage.maildir.MaildirStore;
import io.mailops.storage.model.AccountId;
import io.mailops.storage.model.Flag;
import io.mailops.storage.model.Flags;
import io.mailops.storage.model.FolderPath;
import io.mailops.storage.model.MessageRef;
import io.mailops.storage.sample.SampleSettings;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class BackupRoundTripTest extends SampleStoreFixture {

  @BeforeEach
  void sampleStore() throws IOException {
    sampleStore(new SampleSettings(1, 2, 30, 42));
  }

  BackupResult backup(SetId.Kind kind, int hoursLater) throws IOException {
    return backupAt(hoursLater).run(Scope.ALL, kind, null, Backup.Listener.NONE);
  }

  FolderManifest folderManifest(SetId set, AccountId account, FolderPath folder) throws IOException {
    BackupSets sets = new BackupSets(target);
    for (FolderEntry f : sets.manifest(set).folders()) {
      if (f.account().equals(account.toString()) && f.folder().equals(folder.toString())) {
        return sets.folder(set.toString(), f);
      }
    }
    throw new AssertionError("no folder " + account + "/" + folder + " in " + set);
  }

  @Test
  void fullBackupRestoredIntoAnEmptyRootShouldGiveIdenticalBytesFlagsKeywordsDatesAndFolders()
      throws IOException {
    BackupResult full = backup(SetId.Kind.FULL, 0);
    MaildirStore restored = emptyStore("restored");

    RestoreResult r = new Restore(target, restored, work).run("latest", Scope.ALL);

    assertThat(full.skipped()).isEmpty();
    assertThat(full.messages()).isEqualTo(60);
    assertThat(r.restored()).isEqualTo(full.messages());
    assertThat(r.controlFiles()).isPositive();
    assertThat(restored.accounts()).isEqualTo(store.accounts());
    for (AccountId a : store.accounts()) {
      assertThat(restored.folders(a)).isEqualTo(store.folders(a));
    }
    assertThat(snapshot(restored)).isEqualTo(snapshot(store));
    assertThat(full.set().toString()).isEqualTo("20261122T040000Z-full-all");
  }

  @Test
  void flagChangeOnlyShouldWriteNoTarBytesAndRestoringTheChainShouldGiveTheNewFlags()
      throws IOException {
    backup(SetId.Kind.FULL, 0);
    AccountId account = store.accounts().get(0);
    MessageRef ref = store.scan(account, FolderPath.INBOX).messages().stream()
        .filter(m -> m.location().startsWith("cur/") && !m.flags().has(Flag.FLAGGED))
        .findFirst().orElseThrow();
    Path file = store.folderDir(account, FolderPath.INBOX).resolve(ref.location());
    String name = file.getFileName().toString();
    int info = name.indexOf(":2,");
    char[] letters = (name.substring(info + 3) + "F").toCharArray();
    Arrays.sort(letters);
    Files.move(file, file.resolveSibling(name.substring(0, info + 3) + new String(letters)));

    BackupResult inc = backup(SetId.Kind.INCREMENTAL, 1);

    assertThat(inc.written()).isZero();
    assertThat(inc.bytesWritten()).isZero();
    assertThat(inc.unchanged()).isEqualTo(60);
    assertThat(Files.walk(target.root().resolve(inc.set().toString()))
        .filter(p -> p.toString().endsWith(BackupSets.TAR))).isEmpty();
    MessageEntry e = folderManifest(inc.set(), account, FolderPath.INBOX).messages()
        .get(ref.key().value());
    assertThat(e.flags()).contains("\\Flagged");
    assertThat(e.location().set()).isNotEqualTo(inc.set().toString());

    MaildirStore restored = emptyStore("restored");
    new Restore(target, restored, work).run(inc.set().toString(), Scope.ALL);
    assertThat(snapshot(restored)).isEqualTo(snapshot(store));
  }

  @Test
  void newMessageShouldBeTheOnlyEntryInTheIncrementalTar() throws IOException {
    backup(SetId.Kind.FULL, 0);
    AccountId account = store.accounts().get(1);
    MessageRef added = store.append(account, FolderPath.INBOX, new ByteArrayInputStream(
        "Message-ID: <new-1@example.com>\r\nSubject: new\r\n\r\nhello\r\n"
            .getBytes(StandardCharsets.US_ASCII)), Flags.of(Flag.SEEN), T0.plusSeconds(60));

    BackupResult inc = backup(SetId.Kind.INCREMENTAL, 1);

    assertThat(inc.written()).isEqualTo(1);
    assertThat(inc.parent()).isEqualTo("20261122T040000Z-full-all");
    Map<String, MessageEntry> m = folderManifest(inc.set(), account, FolderPath.INBOX).messages();
    assertThat(m.values().stream().filter(e -> e.location().set().equals(inc.set().toString())))
        .singleElement().satisfies(e -> {
          assertThat(e.location().entry()).isEqualTo(added.key().value());
          assertThat(e.messageId()).isEqualTo("<new-1@example.com>");
        });
    MaildirStore restored = emptyStore("restored");
    new Restore(target, restored, work).run("latest", Scope.parse(account + "/INBOX"));
    assertThat(snapshot(restored).keySet()).allMatch(k -> k.startsWith(account + "/INBOX "));
    assertThat(snapshot(restored)).hasSize(store.scan(account, FolderPath.INBOX).messages().size());
  }

  @Test
  void restoringOneMessageShouldReadOnlyItsByteRange() throws IOException {
    backup(SetId.Kind.FULL, 0);
    AccountId account = store.accounts().get(0);
    // the smallest message, so that the tar is many times its frame whatever the sample holds
    MessageRef ref = store.scan(account, FolderPath.INBOX).messages().stream()
        .min(java.util.Comparator.comparingLong(MessageRef::size)).orElseThrow();
    SetId set = new BackupSets(target).resolve("latest");
    MessageEntry e = folderManifest(set, account, FolderPath.INBOX).messages().get(ref.key().value());
    BackupTestStores.CountingTarget counting = new BackupTestStores.CountingTarget(target);
    MaildirStore restored = emptyStore("restored");

    RestoreResult r = new Restore(counting, restored, work)
        .run("latest", Scope.parse(account + "/INBOX").withMessage(ref.key().value()));

    assertThat(r.restored()).isEqualTo(1);
    assertThat(counting.tarBytesRead.get()).isPositive().isLessThanOrEqualTo(e.location().length());
    assertThat(Files.size(target.root().resolve(e.location().file())))
        .isGreaterThan(10 * e.location().length());
    assertThat(snapshot(restored).values()).singleElement();
  }

  @Test
  void restoringOneMessageByMessageIdShouldFindIt() throws IOException {
    AccountId account = store.accounts().get(0);
    store.append(account, FolderPath.INBOX, new ByteArrayInputStream(
        "Subject: x\r\nMessage-ID:\r\n <folded-7@example.com>\r\n\r\nbody\r\n"
            .getBytes(StandardCharsets.US_ASCII)), Flags.NONE, T0);
    backup(SetId.Kind.FULL, 0);
    MaildirStore restored = emptyStore("restored");

    RestoreResult r = new Restore(target, restored, work)
        .run("latest", Scope.parse(account + "/INBOX").withMessage("<folded-7@example.com>"));

    assertThat(r.restored()).isEqualTo(1);
  }

  @Test
  void restoringTwiceShouldCreateNoDuplicates() throws IOException {
    backup(SetId.Kind.FULL, 0);
    MaildirStore restored = emptyStore("restored");
    Restore restore = new Restore(target, restored, work);

    RestoreResult first = restore.run("latest", Scope.ALL);
    RestoreResult second = restore.run("latest", Scope.ALL);

    assertThat(second.restored()).isZero();
    assertThat(second.duplicates()).isEqualTo(first.restored());
    assertThat(second.controlFiles()).isZero();
    assertThat(snapshot(restored)).isEqualTo(snapshot(store));
  }

  @Test
  void messageVanishingDuringTheBackupShouldBeARecordedSkip() throws IOException {
    AccountId account = store.accounts().get(0);
    String gone = store.scan(account, FolderPath.INBOX).messages().get(0).key().value();
    Clock clock = Clock.fixed(T0, ZoneOffset.UTC);

    BackupResult r = new Backup(BackupTestStores.vanishing(store, gone), target, clock, work)
        .run(Scope.ALL, SetId.Kind.FULL, null, Backup.Listener.NONE);

    assertThat(r.partial()).isTrue();
    assertThat(r.skipped()).singleElement().asString().contains(gone).contains("vanished");
    assertThat(r.messages()).isEqualTo(59);
    assertThat(new Verify(target).run("latest", true).problems()).isEmpty();
  }

  @Test
  void anIncrementalWithoutAnEarlierSetShouldFailNamingTheScope() {
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> backup(SetId.Kind.INCREMENTAL, 0))
        .isInstanceOf(BackupException.class).hasMessageContaining("scope all")
        .hasMessageContaining("full backup first");
  }
}
