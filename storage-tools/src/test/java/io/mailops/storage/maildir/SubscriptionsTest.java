package io.mailops.storage.maildir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mailops.storage.MailStoreException;
import io.mailops.storage.model.AccountId;
import io.mailops.storage.model.FolderPath;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SubscriptionsTest {

  private static final AccountId ALICE = AccountId.of("alice@example.com");

  @TempDir Path root;
  private MaildirStore store;
  private Path maildir;

  @BeforeEach
  void setUp() throws IOException {
    store = new MaildirStore(root, MaildirLayout.standard(),
        new MaildirStore.Settings(Clock.systemUTC(), "vm", 4832));
    store.createFolder(ALICE, FolderPath.INBOX);
    maildir = store.maildir(ALICE);
  }

  @Test
  void aVersion2FileAsDovecot2WritesItShouldBeRead() throws IOException {
    // the bytes Dovecot 2.3.19 wrote for these subscriptions (doveadm mailbox subscribe)
    Files.writeString(maildir.resolve("subscriptions"), "V\t2\n\nArchive\nArchive\t2024\n"
        + "Caf&AOk- &- Bar\nProjekte\t&ANw-bersicht\n&ZeVnLIqe-\nINBOX\n");

    assertThat(store.subscriptions(ALICE)).hasValue(Set.of(FolderPath.of("Archive"),
        FolderPath.of("Archive/2024"), FolderPath.of("Café & Bar"),
        FolderPath.of("Projekte/Übersicht"), FolderPath.of("日本語"), FolderPath.INBOX));
  }

  @Test
  void aVersion1FileAndCouriersFileShouldBeRead() throws IOException {
    Files.writeString(maildir.resolve("courierimapsubscribed"), "INBOX\nINBOX.Sent\nINBOX.A.B\n");
    assertThat(store.subscriptions(ALICE)).hasValue(Set.of(FolderPath.INBOX,
        FolderPath.of("Sent"), FolderPath.of("A/B")));

    Files.writeString(maildir.resolve("subscriptions"), "Trash\nReports.Q1\n");
    assertThat(store.subscriptions(ALICE)).hasValue(Set.of(FolderPath.of("Trash"),
        FolderPath.of("Reports/Q1")));
  }

  @Test
  void noFileShouldMeanNothingSubscribedAndAMissingAccountShouldBeNamed() throws IOException {
    assertThat(store.subscriptions(ALICE)).hasValue(Set.of());
    assertThatThrownBy(() -> store.subscriptions(AccountId.of("bob@example.com")))
        .isInstanceOf(MailStoreException.class).hasMessageContaining("bob@example.com");
  }

  @Test
  void subscribingShouldWriteAVersion2FileAsDovecotDoes() throws IOException {
    FolderPath ubersicht = FolderPath.of("Projekte/Übersicht");
    store.createFolder(ALICE, ubersicht);
    store.createFolder(ALICE, FolderPath.of("Sent"));

    store.subscribe(ALICE, ubersicht);
    store.subscribe(ALICE, FolderPath.of("Sent"));
    store.subscribe(ALICE, ubersicht);

    assertThat(Files.readString(maildir.resolve("subscriptions"), StandardCharsets.UTF_8))
        .isEqualTo("V\t2\n\nProjekte\t&ANw-bersicht\nSent\n");
    assertThat(store.subscriptions(ALICE)).hasValue(Set.of(ubersicht, FolderPath.of("Sent")));
    try (var files = Files.list(maildir)) {
      assertThat(files.map(p -> p.getFileName().toString()))
          .noneMatch(n -> n.startsWith("subscriptions.")); // no lock or temporary file left
    }
  }

  @Test
  void subscribingShouldKeepTheLinesAndTheVersionOfAnExistingFile() throws IOException {
    store.createFolder(ALICE, FolderPath.of("Drafts"));
    Files.writeString(maildir.resolve("subscriptions"), "Trash\nReports.Q1\n");

    store.subscribe(ALICE, FolderPath.of("Drafts"));

    assertThat(Files.readString(maildir.resolve("subscriptions")))
        .isEqualTo("Trash\nReports.Q1\nDrafts\n");
  }

  @Test
  void aFolderThatDoesNotExistShouldNotBeSubscribed() {
    assertThatThrownBy(() -> store.subscribe(ALICE, FolderPath.of("Nowhere")))
        .isInstanceOf(MailStoreException.class).hasMessageContaining("Nowhere");
    assertThat(maildir.resolve("subscriptions")).doesNotExist();
  }

  @Test
  void tabsAndControlCharactersShouldBeEscapedAsDovecotEscapesThem() {
    String name = "a\tb\u0001c\rd\ne";
    assertThat(Subscriptions.tabEscape(name)).isEqualTo("a\u0001tb\u00011c\u0001rd\u0001ne");
    assertThat(Subscriptions.tabUnescape(Subscriptions.tabEscape(name))).isEqualTo(name);
  }
}
