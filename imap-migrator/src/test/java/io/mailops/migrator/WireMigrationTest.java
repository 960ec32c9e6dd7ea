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

/** The migration with its message traffic on the wire layer ({@link WireIo}), on GreenMail. */
class WireMigrationTest {

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
  private MailStore target;

  @BeforeEach
  void setUp() throws IOException {
    accounts = new GreenMailAccounts(GREENMAIL, "w");
    int n = accounts.n();
    src = accounts.src();
    dst = accounts.dst();
    source = accounts.store(src);
    target = accounts.store(dst);
    TestMail.populate(source, src, "w" + n);
  }

  @AfterEach
  void tearDown() throws Exception {
    accounts.close();
  }

  private String uri(AccountId account) {
    return accounts.uri(account);
  }

  private MigrationAccount account(String targetUri) {
    return accounts.account(uri(src), targetUri);
  }

  private AccountReport run(MailStore to, String toUri, MigrationState state) throws IOException {
    try (WireIo wire = WireIo.open(account(toUri), source, to)) {
      return new Migrator(source, src, to, dst, FolderNamer.IDENTITY, state,
          Migrator.Options.defaults(), wire.io()).run(Migrator.Listener.NONE);
    }
  }

  private VerifyReport verify(MailStore to, String toUri) throws IOException {
    try (WireIo wire = WireIo.open(account(toUri), source, to)) {
      return new MigrationVerify(source, src, to, dst, FolderNamer.IDENTITY,
          Migrator.Options.defaults(), wire.io()).run();
    }
  }

  @Test
  void imapToImapOnTheWireShouldCopyEveryFolderWithBytesFlagsKeywordsAndDates()
      throws IOException {
    AccountReport report = run(target, uri(dst), MigrationState.inMemory());

    assertThat(report.copied()).isEqualTo(MESSAGES);
    assertThat(report.partial()).isFalse();
    assertThat(snapshot(target, dst, ALL, true)).isEqualTo(snapshot(source, src, ALL, false));
    VerifyReport v = verify(target, uri(dst));
    assertThat(v.ok()).as(String.join("\n", v.lines())).isTrue();
  }

  @Test
  void theVerificationTrustingTheCopiesShouldStillFindEveryChangeOnTheTarget()
      throws Exception {
    try (WireIo wire = WireIo.open(account(uri(dst)), source, target)) {
      Migrator m = new Migrator(source, src, target, dst, FolderNamer.IDENTITY,
          MigrationState.inMemory(), Migrator.Options.defaults(), wire.io());
      m.run(Migrator.Listener.NONE);
      // GreenMail answers every APPEND with [APPENDUID v uid]; its RFC822.SIZE is not the
      // message's size, so no copy is paired here and all are compared by fingerprint
      // (TrustedCopiesVerifyTest pairs them)
      assertThat(m.copies().size()).isEqualTo(MESSAGES);
      VerifyReport first = new MigrationVerify(source, src, target, dst, FolderNamer.IDENTITY,
          Migrator.Options.defaults(), wire.io()).trusting(m.copies()).run();
      assertThat(first.ok()).as(String.join("\n", first.lines())).isTrue();

      // on the target: INBOX's first copy loses \Seen, Sent's first copy is expunged, and
      // Junk's copy is replaced by another message of the same size
      Store s = Session.getInstance(new Properties()).getStore("imap");
      s.connect("127.0.0.1", GREENMAIL.getImap().getPort(), dst.toString(), SECRET);
      try (s) {
        Folder inbox = s.getFolder("INBOX");
        inbox.open(Folder.READ_WRITE);
        inbox.getMessage(1).setFlag(Flags.Flag.SEEN, false);
        inbox.close(false);
        Folder sent = s.getFolder("Sent");
        sent.open(Folder.READ_WRITE);
        sent.getMessage(1).setFlag(Flags.Flag.DELETED, true);
        sent.close(true);
        Folder junk = s.getFolder("Junk");
        junk.open(Folder.READ_WRITE);
        junk.getMessage(1).setFlag(Flags.Flag.DELETED, true);
        junk.close(true);
        String tag = "w" + src.toString().replaceAll("\\D", "");
        TestMail.append(target, dst, TestMail.JUNK, TestMail.message(tag + "-j2", "spam", "buy"),
            io.mailops.storage.model.Flags.NONE, TestMail.DATE);
      }
      VerifyReport v = new MigrationVerify(source, src, target, dst, FolderNamer.IDENTITY,
          Migrator.Options.defaults(), wire.io()).trusting(m.copies()).run();

      String all = String.join("\n", v.lines());
      assertThat(v.ok()).as(all).isFalse();
      assertThat(v.lines()).filteredOn(l -> l.startsWith("  flags differ: ")
          && l.contains(" folder INBOX ")).as(all).hasSize(1);
      assertThat(v.lines()).filteredOn(l -> l.startsWith("  missing on target: ")
          && l.contains(" folder Sent ")).as(all).hasSize(1);
      assertThat(v.lines()).filteredOn(l -> l.startsWith("  missing on target: ")
          && l.contains(" folder Junk ")).as(all).hasSize(1);
      assertThat(v.lines()).filteredOn(l -> l.startsWith("  extra on target")
          && l.contains(" folder Junk ")).as(all).hasSize(1);
    }
  }

  @Test
  void aRerunOnTheWireShouldCopyNothing() throws IOException {
    MigrationState state = MigrationState.inMemory();
    run(target, uri(dst), state);
    Map<FolderPath, List<String>> after = snapshot(target, dst, ALL, true);

    AccountReport again = run(target, uri(dst), state);

    assertThat(again.copied()).isZero();
    assertThat(again.alreadyDone()).isEqualTo(MESSAGES);
    assertThat(snapshot(target, dst, ALL, true)).isEqualTo(after);
  }

  @Test
  void aRunWithoutStateShouldFindEveryMessageOnTheTargetAsADuplicate() throws IOException {
    run(target, uri(dst), MigrationState.inMemory());
    Map<FolderPath, List<String>> after = snapshot(target, dst, ALL, true);

    AccountReport again = run(target, uri(dst), MigrationState.inMemory());

    assertThat(again.copied()).isZero();
    assertThat(again.duplicates()).isEqualTo(MESSAGES);
    assertThat(snapshot(target, dst, ALL, true)).isEqualTo(after);
  }

  @Test
  void imapOnTheWireToMaildirShouldCopyAndVerify() throws IOException {
    String maildirUri = "maildir:" + tmp.resolve("vmail");
    MailStore maildir = MailStores.open(maildirUri, PasswordSource.NONE);
    accounts.add(maildir);

    AccountReport report = run(maildir, maildirUri, MigrationState.inMemory());

    assertThat(report.copied()).isEqualTo(MESSAGES);
    assertThat(snapshot(maildir, dst, ALL, true)).isEqualTo(snapshot(source, src, ALL, false));
    VerifyReport v = verify(maildir, maildirUri);
    assertThat(v.ok()).as(String.join("\n", v.lines())).isTrue();
  }

  @Test
  void theCopyShouldKeepTheOrderOfEachSourceFolder() throws Exception {
    TestMail.checkOrderKept(GREENMAIL, src, dst, SECRET, () -> run(target, uri(dst), MigrationState.inMemory()));
  }
}
