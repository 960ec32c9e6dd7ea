package io.mailops.backup;

import static io.mailops.backup.BackupTestStores.maildir;

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
import org.junit.jupiter.api.io.TempDir;

/**
 * The set-up the backup round-trip tests share: a generated Maildir store under {@code tmp/vmail},
 * a local target under {@code tmp/backups}, a work directory, and backups whose clock stands some
 * hours after {@link #T0}.
 */
abstract class SampleStoreFixture {

  static final Instant T0 = Instant.parse("2026-11-22T04:00:00Z");

  @TempDir Path tmp;
  MaildirStore store;
  LocalDirectoryTarget target;
  Path work;

  /** Generates {@code settings} into the store and makes the target and work directory. */
  void sampleStore(SampleSettings settings) throws IOException {
    store = maildir(tmp.resolve("vmail"));
    SampleGenerator.generate(store, settings, SampleGenerator.Listener.NONE);
    target = new LocalDirectoryTarget(tmp.resolve("backups"));
    work = Files.createDirectories(tmp.resolve("work"));
  }

  /** A backup of the store to the target at {@code hoursLater} hours after {@link #T0}. */
  Backup backupAt(int hoursLater) {
    return new Backup(store, target, Clock.fixed(T0.plusSeconds(3600L * hoursLater), ZoneOffset.UTC), work);
  }

  /** A new empty Maildir root {@code tmp/NAME}. */
  MaildirStore emptyStore(String name) throws IOException {
    return maildir(Files.createDirectories(tmp.resolve(name)));
  }
}
