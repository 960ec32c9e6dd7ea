package io.mailops.migrator;

import static io.mailops.migrator.TestMail.snapshot;
import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import io.mailops.migrator.wire.WireIo;
import io.mailops.storage.MailStore;
import io.mailops.storage.PasswordSource;
import io.mailops.storage.model.AccountId;
import io.mailops.storage.model.FolderPath;
import io.mailops.storage.model.MessageRef;
import jakarta.mail.Flags;
import jakarta.mail.Folder;
import jakarta.mail.Session;
import jakarta.mail.Store;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code --delete-source-after-verify}: after the verification of a folder, exactly the source
 * messages found on the target are expunged from the source.
 */
class DeleteSourceTest {

  private static final String SECRET = GreenMailAccounts.SECRET;
  private static final PasswordSource PASSWORD = GreenMailAccounts.PASSWORD;

  @RegisterExtension
  static final GreenMailExtension GREENMAIL = GreenMailAccounts.server();

  private GreenMailAccounts accounts;
  private AccountId src;
  private AccountId dst;
  private MailStore source;
  private MailStore target;

  @BeforeEach
  void setUp() throws IOException {
    accounts = new GreenMailAccounts(GREENMAIL, "d");
    int n = accounts.n();
    src = accounts.src();
    dst = accounts.dst();
    source = accounts.store(src);
    target = accounts.store(dst);
    TestMail.populate(source, src, "d" + n);
  }

  @AfterEach
  void tearDown() throws Exception {
    accounts.close();
  }

  private String uri(AccountId account) {
    return accounts.uri(account);
  }

  private MigrationAccount account() {
    return accounts.account(uri(src), uri(dst));
  }

  private int messages(MailStore store, AccountId a) throws IOException {
    int n = 0;
    for (FolderPath f : store.folders(a)) {
      n += store.scan(a, f).messages().size();
    }
    return n;
  }

  /** Expunges on the target the Sent message with subject "sent 2", as if the copy were lost. */
  private void loseOneCopy() throws Exception {
    Store s = Session.getInstance(new Properties()).getStore("imap");
    s.connect("127.0.0.1", GREENMAIL.getImap().getPort(), dst.toString(), SECRET);
    try (s) {
      Folder sent = s.getFolder("Sent");
      sent.open(Folder.READ_WRITE);
      for (jakarta.mail.Message m : sent.getMessages()) {
        if (m.getSubject().equals("sent 2")) {
          m.setFlag(Flags.Flag.DELETED, true);
        }
      }
      sent.close(true);
    }
  }

  @Test
  void onlyMessagesVerifiedOnTheTargetShouldBeExpungedFromTheSource() throws Exception {
    try (WireIo wire = WireIo.open(account(), source, target)) {
      new Migrator(source, src, target, dst, FolderNamer.IDENTITY, MigrationState.inMemory(),
          Migrator.Options.defaults(), wire.io()).run(Migrator.Listener.NONE);
    }
    Map<FolderPath, List<String>> copied = snapshot(target, dst, f -> true, true);
    loseOneCopy();

    MigrationVerify verify;
    VerifyReport v;
    try (WireIo wire = WireIo.open(account(), source, target)) {
      verify = new MigrationVerify(source, src, target, dst, FolderNamer.IDENTITY,
          Migrator.Options.defaults(), wire.io())
          .deletingVerifiedFromSource(wire.sourceExpunger().orElseThrow());
      v = verify.run();
    }

    assertThat(v.ok()).isFalse(); // the lost copy is reported missing
    assertThat(verify.deletedFromSource()).isEqualTo(TestMail.MESSAGES - 1);
    assertThat(messages(source, src)).isEqualTo(1);
    List<MessageRef> left = source.scan(src, TestMail.SENT).messages();
    assertThat(left).hasSize(1);
    try (InputStream in = source.open(src, left.get(0))) {
      assertThat(new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8))
          .contains("Subject: sent 2");
    }
    // the folders stay; the target is untouched
    assertThat(source.folders(src)).contains(TestMail.UBERSICHT, TestMail.JUNK);
    Map<FolderPath, List<String>> now = snapshot(target, dst, f -> true, true);
    assertThat(now.get(FolderPath.INBOX)).isEqualTo(copied.get(FolderPath.INBOX));
    assertThat(now.get(TestMail.SENT)).hasSize(1);
  }

  @Test
  void aVerificationWithoutTheOptionShouldLeaveTheSourceAsItIs() throws Exception {
    Map<FolderPath, List<String>> before = snapshot(source, src, f -> true, true);
    try (WireIo wire = WireIo.open(account(), source, target)) {
      new Migrator(source, src, target, dst, FolderNamer.IDENTITY, MigrationState.inMemory(),
          Migrator.Options.defaults(), wire.io()).run(Migrator.Listener.NONE);
      VerifyReport v = new MigrationVerify(source, src, target, dst, FolderNamer.IDENTITY,
          Migrator.Options.defaults(), wire.io()).run();
      assertThat(v.ok()).isTrue();
    }
    assertThat(snapshot(source, src, f -> true, true)).isEqualTo(before);
  }
}
