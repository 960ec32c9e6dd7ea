package io.mailops.backup;

import static io.mailops.backup.BackupTestStores.maildir;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mailops.backup.local.LocalDirectoryTarget;
import io.mailops.storage.maildir.MaildirStore;
import io.mailops.storage.sample.SampleGenerator;
import io.mailops.storage.sample.SampleSettings;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DamagedSetTest {

  @TempDir Path tmp;
  MaildirStore store;
  LocalDirectoryTarget target;
  Path work;
  SetId set;
  FolderEntry inbox;

  @BeforeEach
  void backedUpSampleStore() throws IOException {
    store = maildir(tmp.resolve("vmail"));
    SampleGenerator.generate(store, new SampleSettings(1, 1, 20, 7), SampleGenerator.Listener.NONE);
    target = new LocalDirectoryTarget(tmp.resolve("backups"));
    work = Files.createDirectories(tmp.resolve("work"));
    set = new Backup(store, target, Clock.fixed(Instant.parse("2026-11-22T04:00:00Z"), ZoneOffset.UTC),
        work).run(Scope.ALL, SetId.Kind.FULL, null, Backup.Listener.NONE).set();
    inbox = new BackupSets(target).manifest(set).folders().get(0);
  }

  Path file(String name) {
    return target.root().resolve(set + "/" + inbox.dir() + "/" + name);
  }

  @Test
  void anUntouchedSetShouldPassTheDeepVerify() throws IOException {
    VerifyReport r = new Verify(target).run("latest", true);

    assertThat(r.problems()).isEmpty();
    assertThat(r.messages()).isEqualTo(20);
  }

  @ParameterizedTest
  @ValueSource(strings = {"../x", "/etc/x"})
  void aTarEntryWithAnUnsafeNameShouldBeRefusedOnRestore(String unsafe) throws IOException {
    FolderManifest fm = new BackupSets(target).folder(set.toString(), inbox);
    Map.Entry<String, MessageEntry> first = fm.messages().entrySet().stream()
        .filter(e -> e.getValue().location().offset() == 0).findFirst().orElseThrow();
    Path crafted = tmp.resolve("crafted.tar.zst");
    byte[] body = "evil\r\n".getBytes(StandardCharsets.US_ASCII);
    try (TarFrames t = TarFrames.create(crafted)) {
      t.add(unsafe, new ByteArrayInputStream(body), body.length, Instant.EPOCH);
    }
    byte[] tar = Files.readAllBytes(file(BackupSets.TAR));
    byte[] evil = Files.readAllBytes(crafted);
    assertThat(evil.length).isLessThan((int) first.getValue().location().length());
    System.arraycopy(evil, 0, tar, 0, evil.length);
    Files.write(file(BackupSets.TAR), tar);
    MaildirStore restored = maildir(Files.createDirectories(tmp.resolve("restored")));

    assertThatThrownBy(() -> new Restore(target, restored, work).run("latest",
        Scope.parse(inbox.account() + "/INBOX").withMessage(first.getKey())))
        .isInstanceOf(BackupException.class)
        .hasMessageContaining("unsafe name '" + unsafe + "'")
        .hasMessageContaining(BackupSets.TAR);
    assertThat(tmp.resolve("restored").resolve("x")).doesNotExist();
    assertThat(new Verify(target).run("latest", true).problems())
        .anyMatch(p -> p.contains("unsafe name"));
  }

  @Test
  void aCorruptedTarShouldFailTheDeepVerifyNamingTheFile() throws IOException {
    byte[] tar = Files.readAllBytes(file(BackupSets.TAR));
    tar[tar.length / 2] ^= 0x55;
    Files.write(file(BackupSets.TAR), tar);

    VerifyReport quick = new Verify(target).run(set.toString(), false);
    VerifyReport deep = new Verify(target).run(set.toString(), true);

    assertThat(quick.ok()).isTrue();
    assertThat(deep.ok()).isFalse();
    assertThat(deep.problems()).anyMatch(p -> p.startsWith(set + "/" + inbox.dir() + "/" + BackupSets.TAR)
        && p.contains("does not match its SHA-256"));
  }

  @Test
  void aTruncatedTarShouldFailTheQuickVerifyNamingTheFile() throws IOException {
    byte[] tar = Files.readAllBytes(file(BackupSets.TAR));
    Files.write(file(BackupSets.TAR), java.util.Arrays.copyOf(tar, tar.length - 100));

    VerifyReport quick = new Verify(target).run(set.toString(), false);

    assertThat(quick.problems()).anyMatch(p -> p.contains(set + "/" + inbox.dir() + "/" + BackupSets.TAR)
        && p.contains("bytes, the manifest says"));
  }

  @Test
  void aCorruptedFolderManifestShouldFailVerifyAndRestoreNamingTheFile() throws IOException {
    String json = Files.readString(file(BackupSets.MANIFEST));
    Files.writeString(file(BackupSets.MANIFEST), json.replaceFirst("\\\\\\\\Seen", "\\\\\\\\Draft"));
    assertThat(Files.readString(file(BackupSets.MANIFEST))).isNotEqualTo(json);
    String name = set + "/" + inbox.dir() + "/" + BackupSets.MANIFEST;

    VerifyReport r = new Verify(target).run(set.toString(), false);

    assertThat(r.problems()).singleElement().asString().startsWith("manifest " + name)
        .contains("does not match");
    // a restore on another host (no manifest cache of the backup's: another work directory);
    // with the backup's cache it would take the cached copy, which has the set manifest's
    // SHA-256 (ADR 0037, FolderDeltaTest)
    MaildirStore restored = maildir(Files.createDirectories(tmp.resolve("restored")));
    Path otherWork = Files.createDirectories(tmp.resolve("otherWork"));
    assertThatThrownBy(() -> new Restore(target, restored, otherWork).run("latest", Scope.ALL))
        .isInstanceOf(BackupException.class).hasMessageContaining(name);
  }

  @Test
  void anUnreadableSetManifestShouldFailNamingTheFile() throws IOException {
    Files.writeString(target.root().resolve(set + "/" + BackupSets.MANIFEST), "{ not json");

    assertThatThrownBy(() -> new Verify(target).run(set.toString(), false))
        .isInstanceOf(BackupException.class)
        .hasMessageContaining(set + "/" + BackupSets.MANIFEST).hasMessageContaining("damaged");
  }
}
