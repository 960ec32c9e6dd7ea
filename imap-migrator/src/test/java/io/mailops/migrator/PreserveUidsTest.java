package io.mailops.migrator;

import static io.mailops.migrator.TestMail.SENT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import io.mailops.migrator.wire.WireIo;
import io.mailops.storage.MailStore;
import io.mailops.storage.MailStoreException;
import io.mailops.storage.MailStores;
import io.mailops.storage.PasswordSource;
import io.mailops.storage.maildir.MaildirStore;
import io.mailops.storage.model.AccountId;
import io.mailops.storage.model.Flag;
import io.mailops.storage.model.Flags;
import io.mailops.storage.model.FolderPath;
import io.mailops.storage.model.MessageRef;
import jakarta.mail.Folder;
import jakarta.mail.Message;
import jakarta.mail.Session;
import jakarta.mail.Store;
import jakarta.mail.UIDFolder;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --preserve-uids}: GreenMail source with gaps in its UIDs (messages expunged), Maildir
 * target whose {@code dovecot-uidlist} must give every copy its source UID.
 */
class PreserveUidsTest {

  private static final AtomicInteger USERS = new AtomicInteger();
  private static final String SECRET = "s3cret";
  private static final PasswordSource PASSWORD = (user, host) -> SECRET.toCharArray();

  @RegisterExtension
  static final GreenMailExtension GREENMAIL =
      new GreenMailExtension(ServerSetupTest.IMAP.dynamicPort()).withPerMethodLifecycle(false);

  @TempDir
  Path tmp;

  private AccountId src;
  private AccountId dst;
  private MailStore source;
  private MaildirStore maildir;
  private String maildirUri;

  @BeforeEach
  void setUp() throws Exception {
    int n = USERS.incrementAndGet();
    src = AccountId.of("psrc" + n + "@example.com");
    dst = AccountId.of("pdst" + n + "@example.com");
    source = MailStores.open(uri(src), PASSWORD);
    maildirUri = "maildir:" + tmp.resolve("vmail");
    maildir = (MaildirStore) MailStores.open(maildirUri, PasswordSource.NONE);
    for (int i = 1; i <= 8; i++) {
      TestMail.append(source, src, FolderPath.INBOX, TestMail.message("p" + n + "-" + i,
          "message " + i, "body " + i), i % 2 == 0 ? Flags.of(Flag.SEEN) : Flags.NONE,
          TestMail.DATE.plusSeconds(i));
    }
    TestMail.append(source, src, SENT, TestMail.message("p" + n + "-s", "sent", "x"),
        Flags.of(Flag.SEEN), TestMail.DATE);
    TestMail.append(source, src, SENT, TestMail.message("p" + n + "-t", "sent 2", "y"),
        Flags.of(Flag.SEEN), TestMail.DATE);
    // gaps: UIDs 2, 5 and the last (8) of INBOX and the last of Sent expunged
    expunge("INBOX", 2, 5, 8);
    expunge("Sent", 2);
  }

  @AfterEach
  void tearDown() throws Exception {
    source.close();
    maildir.close();
  }

  private String uri(AccountId account) {
    GREENMAIL.setUser(account.toString(), account.toString(), SECRET);
    return "imap://" + account.toString().replace("@", "%40") + "@127.0.0.1:"
        + GREENMAIL.getImap().getPort() + "?starttls=false";
  }

  private Store session() throws Exception {
    Store s = Session.getInstance(new Properties()).getStore("imap");
    s.connect("127.0.0.1", GREENMAIL.getImap().getPort(), src.toString(), SECRET);
    return s;
  }

  private void expunge(String folder, long... uids) throws Exception {
    try (Store s = session()) {
      Folder f = s.getFolder(folder);
      f.open(Folder.READ_WRITE);
      for (long uid : uids) {
        ((UIDFolder) f).getMessageByUID(uid).setFlag(jakarta.mail.Flags.Flag.DELETED, true);
      }
      f.close(true);
    }
  }

  /** UIDVALIDITY and UIDNEXT of a source folder, as the source reports them. */
  private long[] sourceStatus(String folder) throws Exception {
    try (Store s = session()) {
      Folder f = s.getFolder(folder);
      f.open(Folder.READ_ONLY);
      long[] out = {((UIDFolder) f).getUIDValidity(), ((UIDFolder) f).getUIDNext()};
      f.close(false);
      return out;
    }
  }

  private MigrationAccount account() {
    return new MigrationAccount(0,
        new MigrationAccount.Endpoint(uri(src), src, PASSWORD, MigrationAccount.Auth.LOGIN),
        new MigrationAccount.Endpoint(maildirUri, dst, PasswordSource.NONE,
            MigrationAccount.Auth.LOGIN));
  }

  private AccountReport run(MigrationState state) throws IOException {
    try (WireIo wire = WireIo.open(account(), source, maildir)) {
      return new Migrator(source, src, maildir, dst, FolderNamer.IDENTITY, state,
          Migrator.Options.defaults().withPreserveUids(true), wire.io())
          .run(Migrator.Listener.NONE);
    }
  }

  /** UID → SHA-256 of the bytes, on the source by its UIDs. */
  private Map<Long, String> sourceByUid(FolderPath folder) throws IOException {
    Map<Long, String> out = new TreeMap<>();
    for (MessageRef ref : source.scan(src, folder).messages()) {
      try (InputStream in = source.open(src, ref)) {
        out.put(ref.uid().getAsLong(), TestMail.sha256(in.readAllBytes()));
      }
    }
    return out;
  }

  /** UID → SHA-256 of the bytes, on the target by the UIDs of its dovecot-uidlist. */
  private Map<Long, String> targetByUid(FolderPath folder) throws IOException {
    Map<String, Long> uids = maildir.uidsByBase(dst, folder);
    Map<Long, String> out = new TreeMap<>();
    for (MessageRef ref : maildir.scan(dst, folder).messages()) {
      try (InputStream in = maildir.open(dst, ref)) {
        out.put(uids.get(ref.key().value()), TestMail.sha256(in.readAllBytes()));
      }
    }
    return out;
  }

  private String header(FolderPath folder) throws IOException {
    return Files.readAllLines(maildir.folderDir(dst, folder).resolve("dovecot-uidlist")).get(0);
  }

  @Test
  void everyCopyShouldKeepItsSourceUidAndTheFolderItsUidValidityAndUidNext() throws Exception {
    AccountReport report = run(MigrationState.inMemory());

    assertThat(report.copied()).isEqualTo(6);
    assertThat(sourceByUid(FolderPath.INBOX)).containsOnlyKeys(1L, 3L, 4L, 6L, 7L);
    assertThat(targetByUid(FolderPath.INBOX)).isEqualTo(sourceByUid(FolderPath.INBOX));
    assertThat(targetByUid(SENT)).isEqualTo(sourceByUid(SENT));
    long[] inbox = sourceStatus("INBOX");
    assertThat(inbox[1]).isEqualTo(9);
    assertThat(header(FolderPath.INBOX)).matches("3 V" + inbox[0] + " N9 G[0-9a-f]{32}");
    long[] sent = sourceStatus("Sent");
    assertThat(header(SENT)).matches("3 V" + sent[0] + " N" + sent[1] + " G[0-9a-f]{32}");
  }

  @Test
  void aRerunAfterNewMailShouldAddItUnderItsUidAndCopyNothingTwice() throws Exception {
    run(MigrationState.inMemory());
    TestMail.append(source, src, FolderPath.INBOX, TestMail.message("late", "late", "z"),
        Flags.NONE, TestMail.DATE);

    AccountReport again = run(MigrationState.inMemory());

    assertThat(again.copied()).isEqualTo(1);
    assertThat(again.duplicates()).isEqualTo(6);
    assertThat(targetByUid(FolderPath.INBOX)).isEqualTo(sourceByUid(FolderPath.INBOX))
        .containsKey(9L);
    assertThat(header(FolderPath.INBOX)).startsWith("3 V" + sourceStatus("INBOX")[0] + " N10 ");
  }

  @Test
  void aTargetFolderWithMailAlreadyShouldBeRefusedWithOneLineNamingIt() throws Exception {
    maildir.createFolder(dst, FolderPath.INBOX);
    maildir.append(dst, FolderPath.INBOX, new java.io.ByteArrayInputStream(
        TestMail.message("other", "other", "o")), Flags.NONE, TestMail.DATE);

    assertThatThrownBy(() -> run(MigrationState.inMemory()))
        .isInstanceOf(MailStoreException.class)
        .hasMessageContaining("folder 'INBOX' of account " + dst + " is not empty")
        .hasMessageNotContaining("\n");
    assertThat(maildir.scan(dst, FolderPath.INBOX).messages()).hasSize(1);
  }

  @Test
  void anImapTargetShouldBeRefused() throws Exception {
    MailStore imapTarget = MailStores.open(uri(dst), PASSWORD);
    try (imapTarget) {
      assertThatThrownBy(() -> new Migrator(source, src, imapTarget, dst, FolderNamer.IDENTITY,
          MigrationState.inMemory(), Migrator.Options.defaults().withPreserveUids(true))
          .run(Migrator.Listener.NONE))
          .isInstanceOf(MailStoreException.class)
          .hasMessageContaining("--preserve-uids keeps UIDs only in a Maildir target");
    }
  }
}
