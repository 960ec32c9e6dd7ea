package io.mailops.migrator;

import static io.mailops.migrator.TestMail.snapshot;
import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import io.mailops.migrator.wire.WireIo;
import io.mailops.storage.MailStore;
import io.mailops.storage.MailStores;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code --delete-source-after-verify}: after the verification of a folder, exactly the source
 * messages found on the target are expunged from the source.
 */
class DeleteSourceTest {

  private static final AtomicInteger USERS = new AtomicInteger();
  private static final String SECRET = "s3cret";
  private static final PasswordSource PASSWORD = (user, host) -> SECRET.toCharArray();

  @RegisterExtension
  static final GreenMailExtension GREENMAIL =
      new GreenMailExtension(ServerSetupTest.IMAP.dynamicPort()).withPerMethodLifecycle(false);

  private final List<AutoCloseable> open = new ArrayList<>();
  private AccountId src;
  private AccountId dst;
  private MailStore source;
  private MailStore target;

  @BeforeEach
  void setUp() throws IOException {
    int n = USERS.incrementAndGet();
    src = AccountId.of("dsrc" + n + "@example.com");
    dst = AccountId.of("ddst" + n + "@example.com");
    source = MailStores.open(uri(src), PASSWORD);
    target = MailStores.open(uri(dst), PASSWORD);
    open.add(source);
    open.add(target);
    TestMail.populate(source, src, "d" + n);
  }

  @AfterEach
  void tearDown() throws Exception {
    for (AutoCloseable c : open) {
      c.close();
    }
  }

  private String uri(AccountId account) {
    GREENMAIL.setUser(account.toString(), account.toString(), SECRET);
    return "imap://" + account.toString().replace("@", "%40") + "@127.0.0.1:"
        + GREENMAIL.getImap().getPort() + "?starttls=false";
  }

  private MigrationAccount account() {
    return new MigrationAccount(0,
        new MigrationAccount.Endpoint(uri(src), src, PASSWORD, MigrationAccount.Auth.LOGIN),
        new MigrationAccount.Endpoint(uri(dst), dst, PASSWORD, MigrationAccount.Auth.LOGIN));
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
