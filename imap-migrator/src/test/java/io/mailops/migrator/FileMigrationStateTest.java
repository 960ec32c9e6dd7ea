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
}
