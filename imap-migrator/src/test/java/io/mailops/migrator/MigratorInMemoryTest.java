package io.mailops.migrator;

import io.mailops.storage.SpooledMessage;
import static io.mailops.migrator.TestMail.MESSAGES;
import static io.mailops.migrator.TestMail.snapshot;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mailops.storage.memory.InMemoryMailStore;
import io.mailops.storage.model.AccountId;
import io.mailops.storage.model.Flags;
import io.mailops.storage.model.FolderPath;
import io.mailops.storage.model.MessageRef;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Engine behaviour that needs no IMAP server. */
class MigratorInMemoryTest {

  private static final AccountId SRC = AccountId.of("alice@old.example");
  private static final AccountId DST = AccountId.of("alice@new.example");

  private InMemoryMailStore source;
  private InMemoryMailStore target;

  @BeforeEach
  void setUp() throws IOException {
    source = InMemoryMailStore.of(SRC);
    target = InMemoryMailStore.of(DST);
    TestMail.populate(source, SRC, "mem");
  }

  private Migrator migrator(MigrationState state, Migrator.Options options) {
    return new Migrator(source, SRC, target, DST, FolderNamer.IDENTITY, state, options);
  }

  private AccountReport run(MigrationState state) throws IOException {
    return migrator(state, Migrator.Options.defaults()).run(Migrator.Listener.NONE);
  }

  @Test
  void aMessageLargerThanTheInMemoryLimitShouldBeCopiedExactly() throws IOException {
    byte[] huge = new byte[SpooledMessage.IN_MEMORY + 1_000_000];
    Arrays.fill(huge, (byte) 'a');
    byte[] head = "Subject: huge\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
    System.arraycopy(head, 0, huge, 0, head.length);
    TestMail.append(source, SRC, FolderPath.of("Big"), huge, Flags.NONE, TestMail.DATE);

    AccountReport report = run(MigrationState.inMemory());

    assertThat(report.copied()).isEqualTo(MESSAGES + 1);
    MessageRef copied = target.scan(DST, FolderPath.of("Big")).messages().get(0);
    try (InputStream in = target.open(DST, copied)) {
      assertThat(in.readAllBytes()).isEqualTo(huge);
    }
  }

  @Test
  void aMessageExpungedOnTheSourceDuringTheRunShouldBeSkipped() throws IOException {
    Migrator.Listener expungeFirst = new Migrator.Listener() {
      @Override
      public void folderStarted(FolderPath from, FolderPath to, int messages) {
        if (from.isInbox()) {
          try {
            source.expunge(SRC, source.scan(SRC, from).messages().get(0));
          } catch (IOException e) {
            throw new IllegalStateException(e);
          }
        }
      }
    };

    AccountReport report = migrator(MigrationState.inMemory(), Migrator.Options.defaults())
        .run(expungeFirst);

    assertThat(report.vanished()).isEqualTo(1);
    assertThat(report.failed()).isZero();
    assertThat(report.partial()).isFalse();
    assertThat(report.copied()).isEqualTo(MESSAGES - 1);
    assertThat(report.folders().get(0).skipped()).isEqualTo(1);
  }

  @Test
  void aRunStoppedBetweenFoldersShouldResume() throws IOException {
    MigrationState state = MigrationState.inMemory();
    Migrator.Listener stopAfterInbox = new Migrator.Listener() {
      @Override
      public void folderDone(FolderReport report) {
        throw new IllegalStateException("killed after " + report.sourceFolder());
      }
    };
    assertThatThrownBy(() -> migrator(state, Migrator.Options.defaults()).run(stopAfterInbox))
        .hasMessage("killed after INBOX");

    AccountReport resumed = run(state);

    assertThat(resumed.alreadyDone()).isEqualTo(4);
    assertThat(resumed.copied()).isEqualTo(MESSAGES - 4);
    assertThat(snapshot(target, DST, f -> true, true))
        .isEqualTo(snapshot(source, SRC, f -> true, false));
  }

  @Test
  void identicalSourceMessagesShouldEachBeCopiedAndEachMatchOneTargetMessage() throws IOException {
    byte[] twin = TestMail.message("twin", "twin", "same");
    FolderPath twins = FolderPath.of("Twins");
    TestMail.append(source, SRC, twins, twin, Flags.NONE, TestMail.DATE);
    TestMail.append(source, SRC, twins, twin, Flags.NONE, TestMail.DATE);
    TestMail.append(source, SRC, twins, twin, Flags.NONE, TestMail.DATE);
    TestMail.append(target, DST, twins, twin, Flags.NONE, TestMail.DATE);

    AccountReport report = run(MigrationState.inMemory());

    FolderReport f = report.folders().stream().filter(r -> r.sourceFolder().equals(twins))
        .findFirst().orElseThrow();
    assertThat(f.duplicates()).isEqualTo(1);
    assertThat(f.copied()).isEqualTo(2);
    assertThat(target.scan(DST, twins).messages()).hasSize(3);
  }

  @Test
  void contentModeShouldCopyAMessageWithTheSameHeadersButAnotherBody() throws IOException {
    byte[] mine = TestMail.message("same-id", "s", "body one");
    byte[] theirs = TestMail.message("same-id", "s", "body two");
    TestMail.append(source, SRC, FolderPath.of("C"), mine, Flags.NONE, TestMail.DATE);
    TestMail.append(target, DST, FolderPath.of("C"), theirs, Flags.NONE, TestMail.DATE);

    Migrator.Options content = new Migrator.Options(false, false, Fingerprint.Mode.CONTENT, false);
    AccountReport report = migrator(MigrationState.inMemory(), content).run(Migrator.Listener.NONE);

    assertThat(report.duplicates()).isZero();
    assertThat(target.scan(DST, FolderPath.of("C")).messages()).hasSize(2);
    assertThat(run(MigrationState.inMemory()).duplicates()).isEqualTo(MESSAGES + 1);
  }

  @org.junit.jupiter.params.ParameterizedTest
  @org.junit.jupiter.params.provider.ValueSource(strings = {"eml", "mbox"})
  void fileStoresShouldTakeEveryMessageAndARerunShouldFindThemAll(String scheme,
      @org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws IOException {
    String uri = scheme + ":" + dir + "?account=" + DST;
    try (io.mailops.storage.MailStore files = io.mailops.storage.MailStores.open(uri,
        io.mailops.storage.PasswordSource.NONE)) {
      AccountReport first = new Migrator(source, SRC, files, DST, FolderNamer.IDENTITY,
          MigrationState.inMemory(), Migrator.Options.defaults()).run(Migrator.Listener.NONE);
      AccountReport second = new Migrator(source, SRC, files, DST, FolderNamer.IDENTITY,
          MigrationState.inMemory(), Migrator.Options.defaults()).run(Migrator.Listener.NONE);

      assertThat(first.copied()).isEqualTo(MESSAGES);
      assertThat(first.partial()).as(String.join("\n", first.failures())).isFalse();
      assertThat(second.duplicates()).isEqualTo(MESSAGES);
      assertThat(second.copied()).isZero();
    }
  }

  @Test
  void aTargetFolderThatCannotBeIndexedShouldGetNothingRatherThanDuplicates() throws IOException {
    TestMail.append(target, DST, FolderPath.INBOX,
        TestMail.message("mem-i1", "Hallo mem", "Grüße"), Flags.NONE, TestMail.DATE);
    FaultyStore faulty = new FaultyStore(target);
    faulty.unreadable = true;

    AccountReport report = new Migrator(source, SRC, faulty, DST, FolderNamer.IDENTITY,
        MigrationState.inMemory(), Migrator.Options.defaults()).run(Migrator.Listener.NONE);

    FolderReport inbox = report.folders().get(0);
    assertThat(inbox.copied()).isZero();
    assertThat(inbox.failed()).isEqualTo(4);
    assertThat(inbox.failures()).first().asString().contains("disk error");
    assertThat(inbox.failures()).last().asString().contains("not copied",
        "target folder INBOX of " + DST, "run again");
    assertThat(target.scan(DST, FolderPath.INBOX).messages()).hasSize(1);
    assertThat(report.copied()).isEqualTo(MESSAGES - 4);
    assertThat(report.partial()).isTrue();
  }
}
