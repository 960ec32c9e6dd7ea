package io.mailops.backup;

import static io.mailops.backup.BackupTestStores.maildir;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.luben.zstd.ZstdInputStream;
import io.mailops.backup.local.LocalDirectoryTarget;
import io.mailops.storage.maildir.MaildirStore;
import io.mailops.storage.model.AccountId;
import io.mailops.storage.model.FolderPath;
import io.mailops.storage.sample.SampleGenerator;
import io.mailops.storage.sample.SampleSettings;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BackupFormatTest {

  static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-22T04:00:00Z"), ZoneOffset.UTC);

  @TempDir Path tmp;
  MaildirStore store;
  LocalDirectoryTarget target;
  Path work;

  @BeforeEach
  void sampleStore() throws IOException {
    store = maildir(tmp.resolve("vmail"));
    SampleGenerator.generate(store, new SampleSettings(1, 2, 15, 3), SampleGenerator.Listener.NONE);
    target = new LocalDirectoryTarget(tmp.resolve("backups"));
    work = Files.createDirectories(tmp.resolve("work"));
  }

  @Test
  void theFramedTarShouldDecompressAsAWholeToAnOrdinaryTarWithMessageNamesAndDates()
      throws IOException {
    SetId set = new Backup(store, target, CLOCK, work)
        .run(Scope.parse("example.com"), SetId.Kind.FULL, null, Backup.Listener.NONE).set();
    AccountId a = store.accounts().get(0);
    FolderEntry inbox = new BackupSets(target).manifest(set).folders().get(0);
    List<String> names = new ArrayList<>();
    List<FileTime> times = new ArrayList<>();
    try (InputStream in = Files.newInputStream(
            target.root().resolve(set + "/" + inbox.dir() + "/" + BackupSets.TAR));
        TarArchiveInputStream tar = new TarArchiveInputStream(new ZstdInputStream(in))) {
      for (TarArchiveEntry e = tar.getNextEntry(); e != null; e = tar.getNextEntry()) {
        names.add(e.getName());
        times.add(e.getLastModifiedTime());
      }
    }

    var scan = store.scan(a, FolderPath.INBOX).messages();
    assertThat(names).containsExactlyElementsOf(scan.stream().map(m -> m.key().value()).toList());
    assertThat(times.get(0).toInstant().getEpochSecond())
        .isEqualTo(scan.get(0).internalDate().getEpochSecond());
    assertThat(set.toString()).isEqualTo("20261122T040000Z-full-example.com");
    assertThat(inbox.dir()).isEqualTo(a.domain() + "/" + a.user() + "/INBOX");
  }

  @Test
  void aRunResumedFromItsProgressShouldNotWriteTheCompletedFoldersAgain() throws IOException {
    AtomicReference<BackupProgress> saved = new AtomicReference<>();
    Backup.Listener killedAfterTwoFolders = p -> {
      saved.set(p);
      if (p.completed().size() == 2) {
        throw new IOException("killed");
      }
    };
    assertThatThrownBy(() -> new Backup(store, target, CLOCK, work)
        .run(Scope.ALL, SetId.Kind.FULL, null, killedAfterTwoFolders)).hasMessage("killed");
    assertThat(new BackupSets(target).list()).isEmpty();
    FolderEntry first = saved.get().completed().get(0);
    Path firstTar = target.root().resolve(saved.get().set() + "/" + first.dir() + "/" + BackupSets.TAR);
    FileTime before = FileTime.from(Instant.parse("2020-01-01T00:00:00Z"));
    Files.setLastModifiedTime(firstTar, before);

    BackupResult r = new Backup(store, target, CLOCK, work).run(Scope.ALL, SetId.Kind.FULL, saved.get(), Backup.Listener.NONE);

    assertThat(r.set().toString()).isEqualTo(saved.get().set());
    assertThat(r.messages()).isEqualTo(30);
    assertThat(Files.getLastModifiedTime(firstTar)).isEqualTo(before);
    assertThat(new Verify(target).run("latest", true).problems()).isEmpty();
  }

  @Test
  void scopesShouldParseAndRefuseBadInputNamingIt() {
    assertThat(Scope.parse("alice@Example.COM/Projekte/Übersicht").toString())
        .isEqualTo("alice@example.com/Projekte/Übersicht");
    assertThat(SetId.of(CLOCK.instant(), SetId.Kind.INCREMENTAL,
        Scope.parse("alice@example.com/Projekte/Übersicht")).toString())
        .isEqualTo("20261122T040000Z-incremental-alice@example.com%2FProjekte%2F%C3%9Cbersicht");
    assertThatThrownBy(() -> Scope.parse("example.com/INBOX"))
        .hasMessageContaining("'example.com/INBOX'");
    assertThatThrownBy(() -> SetId.parse("../x")).hasMessageContaining("'../x'");
  }
}
