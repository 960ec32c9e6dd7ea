package io.mailops.storage.maildir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mailops.storage.MailStoreException;
import io.mailops.storage.model.AccountId;
import io.mailops.storage.model.Flag;
import io.mailops.storage.model.Flags;
import io.mailops.storage.model.FolderPath;
import io.mailops.storage.model.MessageRef;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link MaildirStore#claimUids} and {@link MaildirStore#appendWithUid}: dovecot-uidlist as Dovecot writes it. */
class MaildirPreserveUidsTest {

  static final Instant DATE = Instant.parse("2026-11-01T12:34:56Z");
  static final AccountId ALICE = AccountId.of("alice@example.com");
  static final FolderPath SENT = FolderPath.of("Sent");

  @TempDir
  Path root;

  MaildirStore store;

  @BeforeEach
  void setUp() throws Exception {
    store = new MaildirStore(root, MaildirLayout.standard(),
        new MaildirStore.Settings(Clock.fixed(DATE, ZoneOffset.UTC), "vm", 4832));
    store.createFolder(ALICE, FolderPath.INBOX);
    store.createFolder(ALICE, SENT);
  }

  private static ByteArrayInputStream msg(String s) {
    return new ByteArrayInputStream(("Subject: " + s + "\r\n\r\nbody\r\n").getBytes(StandardCharsets.US_ASCII));
  }

  private List<String> uidlist(FolderPath f) throws Exception {
    return Files.readAllLines(store.folderDir(ALICE, f).resolve("dovecot-uidlist"));
  }

  @Test
  void aClaimedFolderShouldListEachMessageUnderItsUidWithDovecotsVersion3Header() throws Exception {
    store.claimUids(ALICE, SENT, 1700000001L, 12);
    MessageRef a = store.appendWithUid(ALICE, SENT, 3, msg("a"), Flags.NONE, DATE);
    MessageRef b = store.appendWithUid(ALICE, SENT, 7, msg("b"),
        Flags.of(Flag.SEEN), DATE);

    List<String> lines = uidlist(SENT);
    assertThat(lines.get(0)).matches("3 V1700000001 N12 G[0-9a-f]{32}");
    assertThat(lines.subList(1, lines.size())).containsExactly(
        "3 :" + a.key().value(), "7 :" + b.key().value() + ":2,S");
    assertThat(store.uidsByBase(ALICE, SENT))
        .isEqualTo(Map.of(a.key().value(), 3L, b.key().value(), 7L));
    assertThat(store.uidValidity(ALICE, SENT)).hasValue(1700000001L);
    assertThat(store.scan(ALICE, SENT).messages()).hasSize(2);
  }

  @Test
  void aLowerUidAfterAHigherOneShouldKeepTheListAscendingAndRaiseNextUid() throws Exception {
    store.claimUids(ALICE, FolderPath.INBOX, 42, 5);
    MessageRef b = store.appendWithUid(ALICE, FolderPath.INBOX, 4, msg("b"), Flags.NONE, DATE);
    MessageRef a = store.appendWithUid(ALICE, FolderPath.INBOX, 2, msg("a"), Flags.NONE, DATE);
    MessageRef c = store.appendWithUid(ALICE, FolderPath.INBOX, 9, msg("c"), Flags.NONE, DATE);

    List<String> lines = uidlist(FolderPath.INBOX);
    assertThat(lines.get(0)).startsWith("3 V42 N10 G");
    assertThat(lines.subList(1, lines.size())).containsExactly("2 :" + a.key().value(),
        "4 :" + b.key().value(), "9 :" + c.key().value());
  }

  @Test
  void aFolderWithMessagesShouldBeRefusedNamingTheFolder() throws Exception {
    store.append(ALICE, SENT, msg("x"), Flags.NONE, DATE);

    assertThatThrownBy(() -> store.claimUids(ALICE, SENT, 42, 5))
        .isInstanceOf(MailStoreException.class)
        .hasMessageContaining("folder 'Sent' of account alice@example.com is not empty")
        .hasMessageContaining("without --preserve-uids");
  }

  @Test
  void aFolderWithUidsFromDovecotShouldBeRefusedEvenIfEmptyNow() throws Exception {
    Files.writeString(store.folderDir(ALICE, SENT).resolve("dovecot-uidlist"),
        "3 V1795310945 N5 G7c97be0c5f45026bdb12000083ecc375\n");

    assertThatThrownBy(() -> store.claimUids(ALICE, SENT, 42, 5))
        .hasMessageContaining("UIDVALIDITY 1795310945, next UID 5");
  }

  @Test
  void aFolderDovecotMadeInTheSameSecondAsTheSourceShouldBeRefusedNotTakenForOurs()
      throws Exception {
    // Dovecot's UIDVALIDITY is the second it made the folder, so it can equal the source's
    MessageRef theirs = store.append(ALICE, SENT, msg("theirs"), Flags.NONE, DATE);
    Files.writeString(store.folderDir(ALICE, SENT).resolve("dovecot-uidlist"),
        "3 V42 N2 G7c97be0c5f45026bdb12000083ecc375\n1 :" + theirs.key().value() + "\n");

    assertThatThrownBy(() -> store.claimUids(ALICE, SENT, 42, 5))
        .isInstanceOf(MailStoreException.class)
        .hasMessageContaining("folder 'Sent' of account alice@example.com is not empty")
        .hasMessageContaining("UIDVALIDITY 42, next UID 2");
    assertThat(uidlist(SENT)).containsExactly("3 V42 N2 G7c97be0c5f45026bdb12000083ecc375",
        "1 :" + theirs.key().value());
  }

  @Test
  void anEmptyFolderDovecotMadeInTheSameSecondShouldBeClaimedWithAGuidOfOurs() throws Exception {
    Files.writeString(store.folderDir(ALICE, SENT).resolve("dovecot-uidlist"),
        "3 V42 N1 G7c97be0c5f45026bdb12000083ecc375\n");

    store.claimUids(ALICE, SENT, 42, 5);

    String header = uidlist(SENT).get(0);
    assertThat(header).startsWith("3 V42 N5 G").doesNotContain("7c97be0c5f45026bdb12000083ecc375");
    assertThat(UidListWriter.isOurs(header.substring(header.indexOf('G') + 1), 42)).isTrue();
    assertThat(UidListWriter.isOurs(header.substring(header.indexOf('G') + 1), 43)).isFalse();
  }

  @Test
  void claimingAgainWithTheSameUidValidityShouldKeepTheUidsAndRaiseNextUid() throws Exception {
    store.claimUids(ALICE, SENT, 42, 5);
    MessageRef a = store.appendWithUid(ALICE, SENT, 3, msg("a"), Flags.NONE, DATE);

    store.claimUids(ALICE, SENT, 42, 8);

    List<String> lines = uidlist(SENT);
    assertThat(lines.get(0)).startsWith("3 V42 N8 G");
    assertThat(lines.subList(1, lines.size())).containsExactly("3 :" + a.key().value());
  }

  @Test
  void aUidWhoseFileExistsShouldBeRefusedAndOneWhoseFileIsGoneReplaced() throws Exception {
    store.claimUids(ALICE, SENT, 42, 5);
    MessageRef a = store.appendWithUid(ALICE, SENT, 3, msg("a"), Flags.NONE, DATE);

    assertThatThrownBy(() -> store.appendWithUid(ALICE, SENT, 3, msg("a"), Flags.NONE, DATE))
        .hasMessageContaining("already has a message with UID 3");

    Files.delete(store.folderDir(ALICE, SENT).resolve(a.location()));
    MessageRef again = store.appendWithUid(ALICE, SENT, 3, msg("a"), Flags.NONE, DATE);
    List<String> lines = uidlist(SENT);
    assertThat(lines.subList(1, lines.size())).containsExactly("3 :" + again.key().value());
  }

  @Test
  void appendingToAFolderNotClaimedShouldFail() {
    assertThatThrownBy(() -> store.appendWithUid(ALICE, SENT, 3, msg("a"), Flags.NONE, DATE))
        .isInstanceOf(MailStoreException.class).hasMessageContaining("claim");
  }

  @Test
  void setFlagsShouldRenameTheFileWithTheNewInfoAndKeepItsUid() throws Exception {
    store.claimUids(ALICE, SENT, 42, 5);
    MessageRef a = store.appendWithUid(ALICE, SENT, 3, msg("a"), Flags.NONE, DATE);

    assertThat(store.setFlags(ALICE, a, Flags.of(java.util.Set.of(Flag.SEEN, Flag.FLAGGED),
        java.util.Set.of("$Label1")))).isTrue();

    MessageRef now = store.scan(ALICE, SENT).messages().get(0);
    assertThat(now.key()).isEqualTo(a.key());
    assertThat(now.flags().system()).containsExactlyInAnyOrder(Flag.SEEN, Flag.FLAGGED);
    assertThat(now.flags().keywords()).containsExactly("$Label1");
    assertThat(now.location()).isEqualTo("cur/" + a.key().value() + ":2,FSa");
    assertThat(store.uidsByBase(ALICE, SENT)).containsEntry(a.key().value(), 3L);

    store.setFlags(ALICE, now, Flags.NONE);
    assertThat(store.scan(ALICE, SENT).messages().get(0).flags()).isEqualTo(Flags.NONE);
    Files.delete(store.folderDir(ALICE, SENT).resolve("cur/" + a.key().value() + ":2,"));
    assertThat(store.setFlags(ALICE, now, Flags.NONE)).isFalse();
  }
}
