package io.mailops.backup.ftp;

import io.mailops.backup.BackupTestStores;
import static io.mailops.backup.BackupTestStores.maildir;
import static io.mailops.backup.BackupTestStores.snapshot;
import static org.assertj.core.api.Assertions.assertThat;

import io.mailops.backup.Backup;
import io.mailops.backup.Restore;
import io.mailops.backup.RestoreResult;
import io.mailops.backup.Scope;
import io.mailops.backup.SetId;
import io.mailops.storage.maildir.MaildirStore;
import io.mailops.storage.model.AccountId;
import io.mailops.storage.model.FolderPath;
import io.mailops.storage.model.MessageRef;
import io.mailops.storage.sample.SampleGenerator;
import io.mailops.storage.sample.SampleSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Backup and Restore through an FtpTarget on an in-process FtpServer (plain FTP). */
class FtpBackupRoundTripTest {

  @TempDir Path tmp;

  @Test
  void fullBackupToFtpRestoredIntoAnEmptyRootShouldGiveIdenticalMessagesAndVerifyDeep()
      throws Exception {
    MaildirStore store = maildir(tmp.resolve("vmail"));
    SampleGenerator.generate(store, new SampleSettings(1, 2, 6, 42),
        SampleGenerator.Listener.NONE);
    try (FtpTestServer server = new FtpTestServer(tmp.resolve("srv"), false, -1);
        FtpTarget target = new FtpTarget(
            FtpTargetTest.fast(FtpSettings.parse(server.uri("backup", "/backups"))),
            FtpTargetTest.PASSWORD)) {
      BackupTestStores.assertFullRoundTrip(store, target, tmp);
      try (var files = Files.walk(server.home())) {
        assertThat(files.map(Path::toString)).noneMatch(p -> p.endsWith(".part"));
      }
    }
  }

  @Test
  void singleMessageRestoreOverFtpShouldRestoreExactlyThatMessage() throws Exception {
    MaildirStore store = maildir(tmp.resolve("vmail"));
    SampleGenerator.generate(store, new SampleSettings(1, 1, 8, 7),
        SampleGenerator.Listener.NONE);
    Path work = Files.createDirectories(tmp.resolve("work"));
    AccountId account = store.accounts().get(0);
    MessageRef ref = store.scan(account, FolderPath.INBOX).messages().get(3);
    try (FtpTestServer server = new FtpTestServer(tmp.resolve("srv"), false, -1);
        FtpTarget target = new FtpTarget(
            FtpTargetTest.fast(FtpSettings.parse(server.uri("backup", "/backups"))),
            FtpTargetTest.PASSWORD)) {
      Clock clock = Clock.fixed(Instant.parse("2026-11-22T04:00:00Z"), ZoneOffset.UTC);
      new Backup(store, target, clock, work)
          .run(Scope.ALL, SetId.Kind.FULL, null, Backup.Listener.NONE);
      MaildirStore restored = maildir(Files.createDirectories(tmp.resolve("restored")));

      RestoreResult r = new Restore(target, restored, work)
          .run("latest", Scope.parse(account + "/INBOX").withMessage(ref.key().value()));

      assertThat(r.restored()).isEqualTo(1);
      assertThat(server.count("REST")).as("ranged RETR").isPositive();
      assertThat(snapshot(restored)).hasSize(1);
      assertThat(snapshot(store)).containsAllEntriesOf(snapshot(restored));
    }
  }
}
