package io.mailops.migrator;

import static io.mailops.migrator.TestMail.MESSAGES;
import static io.mailops.migrator.TestMail.snapshot;
import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import io.mailops.migrator.wire.WireIo;
import io.mailops.storage.MailStore;
import io.mailops.storage.MailStores;
import io.mailops.storage.PasswordSource;
import io.mailops.storage.model.AccountId;
import io.mailops.storage.model.FolderPath;
import jakarta.mail.Flags;
import jakarta.mail.Folder;
import jakarta.mail.Message;
import jakarta.mail.Session;
import jakarta.mail.Store;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** {@code --sync-flags}: flag changes on the source reach earlier copies, only when asked. */
class SyncFlagsTest {

  private static final String SECRET = GreenMailAccounts.SECRET;
  private static final PasswordSource PASSWORD = GreenMailAccounts.PASSWORD;
  private static final Predicate<FolderPath> ALL = f -> true;

  @RegisterExtension
  static final GreenMailExtension GREENMAIL = GreenMailAccounts.server();

  @TempDir
  Path tmp;

  private GreenMailAccounts accounts;
  private AccountId src;
  private AccountId dst;
  private MailStore source;

  @BeforeEach
  void setUp() throws IOException {
    accounts = new GreenMailAccounts(GREENMAIL, "f");
    int n = accounts.n();
    src = accounts.src();
    dst = accounts.dst();
    source = accounts.store(src);
    TestMail.populate(source, src, "f" + n);
  }

  @AfterEach
  void tearDown() throws Exception {
    accounts.close();
  }

  private String uri(AccountId account) {
    return accounts.uri(account);
  }

  private AccountReport run(MailStore to, String toUri, MigrationState state, boolean sync)
      throws IOException {
    MigrationAccount a = accounts.account(uri(src), toUri);
    try (WireIo wire = WireIo.open(a, source, to)) {
      return new Migrator(source, src, to, dst, FolderNamer.IDENTITY, state,
          Migrator.Options.defaults().withSyncFlags(sync), wire.io()).run(Migrator.Listener.NONE);
    }
  }

  /** On the source: INBOX's first message loses \Seen and gains \Flagged and $Label9; Sent's first gets \Answered. */
  private void changeSourceFlags() throws Exception {
    Store s = Session.getInstance(new Properties()).getStore("imap");
    s.connect("127.0.0.1", GREENMAIL.getImap().getPort(), src.toString(), SECRET);
    try (s) {
      Folder inbox = s.getFolder("INBOX");
      inbox.open(Folder.READ_WRITE);
      Message m = inbox.getMessage(1);
      m.setFlag(Flags.Flag.SEEN, false);
      m.setFlag(Flags.Flag.FLAGGED, true);
      m.setFlags(new Flags("$Label9"), true);
      inbox.close(false);
      Folder sent = s.getFolder("Sent");
      sent.open(Folder.READ_WRITE);
      sent.getMessage(1).setFlag(Flags.Flag.ANSWERED, true);
      sent.close(false);
    }
  }

  private MailStore imapTarget() throws IOException {
    return accounts.store(dst);
  }

  @Test
  void flagsChangedOnTheSourceShouldReachTheImapTargetWithSyncFlags() throws Exception {
    MailStore target = imapTarget();
    MigrationState state = MigrationState.inMemory();
    run(target, uri(dst), state, false);
    changeSourceFlags();
    Map<FolderPath, List<String>> want = snapshot(source, src, ALL, false);
    assertThat(snapshot(target, dst, ALL, true)).isNotEqualTo(want);

    AccountReport again = run(target, uri(dst), state, true);

    assertThat(again.copied()).isZero();
    assertThat(again.flagsUpdated()).isEqualTo(2);
    assertThat(again.partial()).isFalse();
    assertThat(snapshot(target, dst, ALL, true)).isEqualTo(want);
    assertThat(String.join("\n", snapshot(target, dst, f -> f.isInbox(), true).get(FolderPath.INBOX)))
        .contains("$Label9");
    assertThat(run(target, uri(dst), state, true).flagsUpdated()).isZero();
  }

  @Test
  void withoutSyncFlagsTheTargetShouldKeepTheFlagsOfTheFirstCopy() throws Exception {
    MailStore target = imapTarget();
    MigrationState state = MigrationState.inMemory();
    run(target, uri(dst), state, false);
    Map<FolderPath, List<String>> copied = snapshot(target, dst, ALL, true);
    changeSourceFlags();

    AccountReport again = run(target, uri(dst), state, false);

    assertThat(again.copied()).isZero();
    assertThat(again.alreadyDone()).isEqualTo(MESSAGES);
    assertThat(again.flagsUpdated()).isZero();
    assertThat(snapshot(target, dst, ALL, true)).isEqualTo(copied);
  }

  @Test
  void flagsChangedOnTheSourceShouldRenameTheMaildirFilesWithSyncFlags() throws Exception {
    String maildirUri = "maildir:" + tmp.resolve("vmail");
    MailStore maildir = MailStores.open(maildirUri, PasswordSource.NONE);
    accounts.add(maildir);
    MigrationState state = MigrationState.inMemory();
    run(maildir, maildirUri, state, false);
    changeSourceFlags();

    AccountReport again = run(maildir, maildirUri, state, true);

    assertThat(again.flagsUpdated()).isEqualTo(2);
    assertThat(snapshot(maildir, dst, ALL, true)).isEqualTo(snapshot(source, src, ALL, false));
  }
}
