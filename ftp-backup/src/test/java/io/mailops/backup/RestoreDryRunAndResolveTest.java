package io.mailops.backup;

import static io.mailops.backup.BackupTestStores.maildir;
import static io.mailops.backup.BackupTestStores.snapshot;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mailops.backup.local.LocalDirectoryTarget;
import io.mailops.storage.maildir.MaildirStore;
import io.mailops.storage.model.AccountId;
import io.mailops.storage.model.FolderPath;
import io.mailops.storage.sample.SampleGenerator;
import io.mailops.storage.sample.SampleSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RestoreDryRunAndResolveTest {

  static final Instant T0 = Instant.parse("2026-11-22T04:00:00Z");

  @TempDir Path tmp;
  MaildirStore store;
  LocalDirectoryTarget target;
  Path work;

  @BeforeEach
  void sampleStore() throws IOException {
    store = maildir(tmp.resolve("vmail"));
    SampleGenerator.generate(store, new SampleSettings(1, 2, 12, 5), SampleGenerator.Listener.NONE);
    target = new LocalDirectoryTarget(tmp.resolve("backups"));
    work = Files.createDirectories(tmp.resolve("work"));
  }

  SetId backup(SetId.Kind kind, long secondsLater) throws IOException {
    Clock clock = Clock.fixed(T0.plusSeconds(secondsLater), ZoneOffset.UTC);
    return new Backup(store, target, clock, work).run(Scope.ALL, kind, null, Backup.Listener.NONE)
        .set();
  }

  static long files(Path root) throws IOException {
    if (!Files.exists(root)) {
      return 0;
    }
    try (Stream<Path> s = Files.walk(root)) {
      return s.filter(Files::isRegularFile).count();
    }
  }

  @Test
  void aDryRunShouldCountWhatARunRestoresWithoutChangingTheTargetStore() throws IOException {
    backup(SetId.Kind.FULL, 0);
    Path root = tmp.resolve("restored");
    MaildirStore restored = maildir(Files.createDirectories(root));

    RestoreResult dry = new Restore(target, restored, work).dryRun(true).run("latest", Scope.ALL);

    assertThat(files(root)).isZero();
    assertThat(restored.accounts()).isEmpty();
    RestoreResult real = new Restore(target, restored, work).run("latest", Scope.ALL);
    assertThat(dry).isEqualTo(real);
    assertThat(dry.restored()).isEqualTo(24);
    assertThat(dry.controlFiles()).isPositive();

    long before = files(root);
    RestoreResult again = new Restore(target, restored, work).dryRun(true).run("latest", Scope.ALL);
    assertThat(files(root)).isEqualTo(before);
    assertThat(again.restored()).isZero();
    assertThat(again.duplicates()).isEqualTo(24);
    assertThat(again.controlFiles()).isZero();
    assertThat(snapshot(restored)).isEqualTo(snapshot(store));
  }

  @Test
  void aDryRunOfOneFolderIntoAPartlyFilledStoreShouldCountDuplicates() throws IOException {
    backup(SetId.Kind.FULL, 0);
    AccountId a = store.accounts().get(0);
    MaildirStore restored = maildir(Files.createDirectories(tmp.resolve("restored")));
    Scope inbox = Scope.parse(a + "/INBOX");
    String one = store.scan(a, FolderPath.INBOX).messages().get(0).key().value();
    new Restore(target, restored, work).run("latest", inbox.withMessage(one));

    RestoreResult dry = new Restore(target, restored, work).dryRun(true).run("latest", inbox);

    int total = store.scan(a, FolderPath.INBOX).messages().size();
    assertThat(dry.duplicates()).isEqualTo(1);
    assertThat(dry.restored()).isEqualTo(total - 1);
    assertThat(dry.controlFiles()).isZero();
    assertThat(restored.scan(a, FolderPath.INBOX).messages()).hasSize(1);
  }

  @Test
  void resolveShouldAcceptADateOrAnInstant() throws IOException {
    SetId full = backup(SetId.Kind.FULL, 0);                        // 2026-11-22T04:00Z
    SetId inc1 = backup(SetId.Kind.INCREMENTAL, 3600);              // 2026-11-22T05:00Z
    SetId inc2 = backup(SetId.Kind.INCREMENTAL, 20 * 3600);         // 2026-11-23T00:00Z
    BackupSets sets = new BackupSets(target);

    assertThat(sets.resolve("2026-11-22")).isEqualTo(inc1);
    assertThat(sets.resolve("2026-11-23")).isEqualTo(inc2);
    assertThat(sets.resolve("2030-01-01")).isEqualTo(inc2);
    assertThat(sets.resolve("2026-11-22T04:59:59Z")).isEqualTo(full);
    assertThat(sets.resolve("2026-11-22T05:00:00Z")).isEqualTo(inc1);
    assertThat(sets.resolve(full.toString())).isEqualTo(full);
    assertThatThrownBy(() -> sets.resolve("2026-11-21")).isInstanceOf(BackupException.class)
        .hasMessageContaining("2026-11-21").hasMessageContaining("'backup list'");
    assertThatThrownBy(() -> sets.resolve("2026-11-22T03:00:00Z"))
        .isInstanceOf(BackupException.class).hasMessageContaining("2026-11-22T03:00:00Z");
    assertThatThrownBy(() -> sets.resolve("yesterday")).isInstanceOf(BackupException.class)
        .hasMessageContaining("'yesterday'");

    // a newer set that is still being written (no set manifest) is passed over, newest first
    String unfinished = "20261124T000000Z-incremental-all";
    Path part = Files.writeString(tmp.resolve("part"), "x");
    target.write(unfinished + "/example.com/alice/INBOX/messages.tar.zst", part);
    assertThat(sets.resolve("latest")).isEqualTo(inc2);
    assertThat(sets.resolve("2030-01-01")).isEqualTo(inc2);
    assertThat(sets.list()).containsExactly(full, inc1, inc2);
    assertThatThrownBy(() -> sets.resolve(unfinished)).isInstanceOf(BackupException.class)
        .hasMessageContaining("incomplete");

    MaildirStore restored = maildir(Files.createDirectories(tmp.resolve("restored")));
    assertThat(new Restore(target, restored, work).run("2026-11-22", Scope.ALL).restored())
        .isEqualTo(24);
  }
}
