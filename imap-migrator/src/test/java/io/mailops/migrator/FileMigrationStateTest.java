package io.mailops.migrator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mailops.storage.MailStoreException;
import io.mailops.storage.model.AccountId;
import io.mailops.storage.model.FolderPath;
import io.mailops.storage.model.MessageKey;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileMigrationStateTest {

  private static final AccountId ALICE = AccountId.of("alice@example.com");
  private static final AccountId BOB = AccountId.of("bob@example.com");
  private static final FolderPath UBERSICHT = FolderPath.of("Projekte/Übersicht");

  @TempDir
  Path dir;

  @Test
  void recordsShouldSurviveAReopenPerAccountAndFolder() throws IOException {
    try (FileMigrationState s = new FileMigrationState(dir)) {
      s.markDone(ALICE, FolderPath.INBOX, MessageKey.of("7:1"));
      s.markDone(ALICE, UBERSICHT, MessageKey.of("9:3"));
      s.markDone(ALICE, UBERSICHT, MessageKey.of("9:3"));
      s.markDone(BOB, FolderPath.INBOX, MessageKey.of("7:2"));
    }

    try (FileMigrationState s = new FileMigrationState(dir, true)) {
      assertThat(s.done(ALICE, FolderPath.INBOX)).containsExactly(MessageKey.of("7:1"));
      assertThat(s.done(ALICE, UBERSICHT)).containsExactly(MessageKey.of("9:3"));
      assertThat(s.done(BOB, FolderPath.INBOX)).containsExactly(MessageKey.of("7:2"));
      assertThat(s.done(BOB, UBERSICHT)).isEmpty();
      assertThat(Files.readAllLines(s.file(ALICE), StandardCharsets.UTF_8))
          .filteredOn(l -> l.equals("Projekte/Übersicht\t9:3")).hasSize(1);
    }
  }

  @Test
  void aTornLastLineShouldBeIgnoredAndTheNextRecordStartOnItsOwnLine() throws IOException {
    try (FileMigrationState s = new FileMigrationState(dir)) {
      s.markDone(ALICE, FolderPath.INBOX, MessageKey.of("7:1"));
      Files.writeString(s.file(ALICE), "INBOX\t7:", StandardCharsets.UTF_8,
          StandardOpenOption.APPEND);
    }

    try (FileMigrationState s = new FileMigrationState(dir)) {
      assertThat(s.done(ALICE, FolderPath.INBOX)).containsExactly(MessageKey.of("7:1"));
      s.markDone(ALICE, FolderPath.INBOX, MessageKey.of("7:2"));
    }
    try (FileMigrationState s = new FileMigrationState(dir)) {
      assertThat(s.done(ALICE, FolderPath.INBOX))
          .containsExactlyInAnyOrder(MessageKey.of("7:1"), MessageKey.of("7:2"));
    }
  }

  @Test
  void aSecondStateOnTheSameAccountShouldBeRefused() throws IOException {
    try (FileMigrationState s = new FileMigrationState(dir);
        FileMigrationState t = new FileMigrationState(dir)) {
      s.done(ALICE, FolderPath.INBOX);

      assertThatThrownBy(() -> t.done(ALICE, FolderPath.INBOX))
          .isInstanceOf(MailStoreException.class).hasMessageContaining("alice@example.com")
          .hasMessageContaining("in use by another migration");
      assertThat(t.done(BOB, FolderPath.INBOX)).isEmpty();
    }
  }

  @Test
  void inMemoryStateShouldRecordKeys() throws IOException {
    MigrationState s = MigrationState.inMemory();
    s.markDone(ALICE, FolderPath.INBOX, MessageKey.of("1"));

    assertThat(s.done(ALICE, FolderPath.INBOX)).containsExactly(MessageKey.of("1"));
    assertThat(s.done(BOB, FolderPath.INBOX)).isEmpty();
  }

  @Test
  void verifiedFoldersShouldSurviveAReopenAndADamagedFileCountAsEmpty() throws IOException {
    VerifiedFolder v = new VerifiedFolder(UBERSICHT, "HEADERS,-deleted",
        new FolderStatus(5, 10, 9, 33), new FolderStatus(6, 11, 9, 70));
    try (FileMigrationState s = new FileMigrationState(dir)) {
      assertThat(s.verified(ALICE)).isEmpty();
      s.verified(ALICE, java.util.Map.of(UBERSICHT, v, FolderPath.INBOX,
          new VerifiedFolder(FolderPath.INBOX, "HEADERS,-deleted", new FolderStatus(1, 2, 1, 3),
              new FolderStatus(1, 2, 1, 4))));
    }
    try (FileMigrationState s = new FileMigrationState(dir)) {
      assertThat(s.verified(ALICE)).hasSize(2).containsEntry(UBERSICHT, v);
      assertThat(s.verified(BOB)).isEmpty();
      Path file = dir.resolve("alice%40example.com.verified");
      Files.writeString(file, "Projekte\tProjekte\tHEADERS,-deleted\t1/2/x/4\t1/2/3/4\n",
          StandardOpenOption.APPEND);
      assertThat(s.verified(ALICE)).isEmpty();
    }
  }

  @Test
  void aFolderCountsAsUnchangedOnlyWithTheSameTargetStatusesAndModseqs() {
    FolderStatus a = new FolderStatus(5, 10, 9, 33);
    FolderStatus b = new FolderStatus(6, 11, 9, 70);
    String r = VerifiedFolder.rules(Migrator.Options.defaults());
    VerifiedFolder v = new VerifiedFolder(UBERSICHT, r, a, b);
    assertThat(v.unchanged(UBERSICHT, r, a, b)).isTrue();
    assertThat(v.unchanged(FolderPath.INBOX, r, a, b)).isFalse();
    assertThat(v.unchanged(UBERSICHT, VerifiedFolder.rules(new Migrator.Options(false, true,
        Fingerprint.Mode.HEADERS, false)), a, b)).isFalse();
    assertThat(v.unchanged(UBERSICHT, r, a, new FolderStatus(6, 11, 9, 71))).isFalse();
    assertThat(v.unchanged(UBERSICHT, r, new FolderStatus(5, 11, 9, 34), b)).isFalse();
    FolderStatus noModseq = new FolderStatus(5, 10, 9, -1);
    assertThat(new VerifiedFolder(UBERSICHT, r, noModseq, b).unchanged(UBERSICHT, r, noModseq, b))
        .isFalse();
  }
}
