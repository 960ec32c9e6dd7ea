package io.mailops.backup;

import static io.mailops.backup.BackupTestStores.maildir;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mailops.backup.local.LocalDirectoryTarget;
import io.mailops.storage.maildir.MaildirStore;
import io.mailops.storage.sample.SampleGenerator;
import io.mailops.storage.sample.SampleSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link Backup#stopWhen}: a backup asked to stop finishes the folders under way, writes no set
 * manifest, and has told its listener of exactly the folders that are whole on the target; a run
 * resumed from that progress completes the set with every folder once and a clean deep verify.
 */
class BackupStopTest {

  static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-22T04:00:00Z"), ZoneOffset.UTC);

  @TempDir Path tmp;

  @Test
  void stoppedBackupHoldsWholeFoldersOnlyAndTheResumedRunCompletesTheSetOnce() throws IOException {
    MaildirStore store = maildir(tmp.resolve("vmail"));
    SampleGenerator.generate(store, new SampleSettings(2, 4, 12, 7), SampleGenerator.Listener.NONE);
    LocalDirectoryTarget target = new LocalDirectoryTarget(tmp.resolve("backups"));
    Path work = Files.createDirectories(tmp.resolve("work"));
    AtomicReference<BackupProgress> last = new AtomicReference<>();
    List<Integer> told = new ArrayList<>();

    Backup stopping = new Backup(store, target, CLOCK, work).threads(1)
        .stopWhen(() -> last.get() != null && last.get().completed().size() >= 2);
    assertThatThrownBy(() -> stopping.run(Scope.ALL, SetId.Kind.FULL, null, p -> {
      last.set(p);
      told.add(p.completed().size());
    })).isInstanceOf(Backup.Stopped.class).hasMessageContaining("the next run continues it");

    BackupProgress progress = last.get();
    String set = progress.set();
    Path setDir = tmp.resolve("backups").resolve(set);
    assertThat(setDir.resolve(BackupSets.MANIFEST)).as("no set manifest for a stopped run").doesNotExist();
    List<String> onTarget = folderManifests(setDir);
    assertThat(onTarget).as("folders on the target are those the checkpoint lists")
        .containsExactlyInAnyOrderElementsOf(progress.completed().stream().map(FolderEntry::dir).toList());
    int total = 0;
    for (var a : store.accounts()) {
      total += store.folders(a).size();
    }
    assertThat(progress.completed()).hasSizeBetween(2, total - 1);

    BackupResult done = new Backup(store, target, CLOCK, work).threads(1)
        .run(Scope.ALL, SetId.Kind.FULL, progress, Backup.Listener.NONE);

    assertThat(done.set().toString()).isEqualTo(set);
    SetManifest m = new BackupSets(target).manifest(done.set());
    assertThat(m.folders()).hasSize(total);
    assertThat(m.folders().stream().map(FolderEntry::dir).distinct()).hasSize(total);
    assertThat(m.folders().stream().mapToInt(FolderEntry::messages).sum()).isEqualTo(2 * 4 * 12);
    try (Stream<Path> sets = Files.list(tmp.resolve("backups"))) {
      assertThat(sets.map(p -> p.getFileName().toString())).containsExactly(set);
    }
    VerifyReport v = new Verify(target).run(set, true);
    assertThat(v.ok()).as(v.toString()).isTrue();
  }

  /** The folder directories of a set that hold a folder manifest, relative to the set. */
  static List<String> folderManifests(Path setDir) throws IOException {
    try (Stream<Path> s = Files.walk(setDir)) {
      return s.filter(p -> p.getFileName().toString().equals(BackupSets.MANIFEST))
          .map(p -> setDir.relativize(p.getParent()).toString().replace('\\', '/')).toList();
    }
  }
}
