package io.mailops.migrator;

import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import io.mailops.migrator.wire.WireIo;
import io.mailops.migrator.wire.WireLook;
import io.mailops.storage.FolderScan;
import io.mailops.storage.MailStore;
import io.mailops.storage.model.AccountId;
import io.mailops.storage.model.Flag;
import io.mailops.storage.model.Flags;
import io.mailops.storage.model.FolderPath;
import io.mailops.storage.model.MessageRef;
import jakarta.mail.Session;
import jakarta.mail.Store;
import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@link NothingNew} on GreenMail, after a real migration and verification over the wire: it
 * gives the reports the migrator and the verification give when nothing changed, and declines
 * at every change a run would have to see. GreenMail has no CONDSTORE, so (as in
 * {@code MigratorTest}) the statuses seen by the verification and by the look carry a
 * HIGHESTMODSEQ of 1 — "no flag changed" — and everything else as the server answers it.
 */
class NothingNewTest {

  @RegisterExtension
  static final GreenMailExtension GREENMAIL = GreenMailAccounts.server();

  private GreenMailAccounts accounts;
  private AccountId src;
  private AccountId dst;
  private MailStore source;
  private MailStore target;
  private MigrationAccount account;
  private final MigrationState state = MigrationState.inMemory();
  private final Migrator.Options options = Migrator.Options.defaults();

  @BeforeEach
  void setUp() throws IOException {
    accounts = new GreenMailAccounts(GREENMAIL, "nn");
    src = accounts.src();
    dst = accounts.dst();
    source = accounts.store(src);
    target = accounts.store(dst);
    account = accounts.account(accounts.uri(src), accounts.uri(dst));
    TestMail.populate(source, src, "nn" + accounts.n());
    AccountReport first = migrate();
    assertThat(first.copied()).isEqualTo(TestMail.MESSAGES);
    assertThat(verify().ok()).isTrue();
  }

  @AfterEach
  void tearDown() throws Exception {
    accounts.close();
  }

  /** Statuses as a CONDSTORE server with no flag change since would give them. */
  private static Map<FolderPath, FolderStatus> modseq(Map<FolderPath, FolderStatus> status) {
    Map<FolderPath, FolderStatus> out = new HashMap<>();
    status.forEach((f, s) -> out.put(f, new FolderStatus(s.uidValidity(), s.uidNext(),
        s.messages(), s.highestModSeq() < 0 ? 1 : s.highestModSeq())));
    return out;
  }

  /** The wire reader with {@link #modseq} statuses. */
  private static MessageReader condstore(MessageReader r) {
    return new MessageReader() {
      @Override
      public FolderScan scan(AccountId a, FolderPath f) throws IOException {
        return r.scan(a, f);
      }

      @Override
      public void read(AccountId a, FolderPath f, List<MessageRef> refs, Sink sink)
          throws IOException {
        r.read(a, f, refs, sink);
      }

      @Override
      public Map<String, List<MessageRef>> prints(AccountId a, FolderPath f,
          List<MessageRef> refs, Fingerprint.Mode mode, List<String> problems) throws IOException {
        return r.prints(a, f, refs, mode, problems);
      }

      @Override
      public Map<FolderPath, FolderStatus> status(AccountId a, List<FolderPath> folders)
          throws IOException {
        return modseq(r.status(a, folders));
      }
    };
  }

  private AccountReport migrate() throws IOException {
    try (WireIo wire = WireIo.open(account, source, target)) {
      Migrator.Io io = new Migrator.Io(condstore(wire.io().sourceReader()),
          condstore(wire.io().targetReader()), wire.io().targetWriter());
      return new Migrator(source, src, target, dst, FolderNamer.IDENTITY, state, options, io)
          .run(Migrator.Listener.NONE);
    }
  }

  private VerifyReport verify() throws IOException {
    try (WireIo wire = WireIo.open(account, source, target)) {
      Migrator.Io io = new Migrator.Io(condstore(wire.io().sourceReader()),
          condstore(wire.io().targetReader()), wire.io().targetWriter());
      return new MigrationVerify(source, src, target, dst, FolderNamer.IDENTITY, options, io,
          state).run();
    }
  }

  private static NothingNew.Side look(MigrationAccount.Endpoint e) throws IOException {
    NothingNew.Side s = WireLook.of(e);
    return new NothingNew.Side(s.folders(), modseq(s.status()));
  }

  private Optional<NothingNew.Reports> check(Migrator.Options o) throws IOException {
    return NothingNew.of(src, dst, FolderNamer.IDENTITY, o, state.verified(src),
        look(account.source()), look(account.target()));
  }

  private Optional<NothingNew.Reports> check() throws IOException {
    return check(options);
  }

  @Test
  void unchangedAccountShouldGiveTheReportsOfTheMigrationAndVerificationThatFollow()
      throws IOException {
    Optional<NothingNew.Reports> fast = check();

    AccountReport again = migrate();
    VerifyReport verified = verify();
    assertThat(again.copied()).isZero();
    assertThat(fast).isPresent();
    assertThat(fast.get().migration()).isEqualTo(again);
    assertThat(fast.get().verify()).isEqualTo(verified);
    assertThat(fast.get().verify().lines()).allMatch(l -> l.endsWith("counts only)"));
  }

  @Test
  void messageAddedOnTheSourceShouldBeCopiedByTheRunNotSkipped() throws IOException {
    TestMail.append(source, src, TestMail.SENT, TestMail.message("late", "late", "new"),
        Flags.of(Flag.SEEN), TestMail.DATE);

    assertThat(check()).isEmpty();
    assertThat(migrate().copied()).isEqualTo(1);
  }

  @Test
  void folderAddedOnTheSourceShouldBeCopiedByTheRunNotSkipped() throws IOException {
    TestMail.append(source, src, FolderPath.of("Neu"), TestMail.message("neu", "neu", "x"),
        Flags.NONE, TestMail.DATE);

    assertThat(check()).isEmpty();
    assertThat(migrate().copied()).isEqualTo(1);
  }

  @Test
  void emptyFolderAddedOnTheSourceShouldLeaveTheRunToCreateIt() throws IOException {
    source.createFolder(src, FolderPath.of("Leer"));

    assertThat(check()).isEmpty();
  }

  @Test
  void folderWithANewUidValidityShouldBeComparedAgain() throws Exception {
    // a folder deleted and recreated with as many messages: only UIDVALIDITY tells (GreenMail
    // cannot delete a folder other sessions had selected, so the server's answer is changed here)
    NothingNew.Side now = look(account.source());
    Map<FolderPath, FolderStatus> status = new HashMap<>(now.status());
    FolderStatus sent = status.get(TestMail.SENT);
    status.put(TestMail.SENT, new FolderStatus(sent.uidValidity() + 1, sent.uidNext(),
        sent.messages(), sent.highestModSeq()));

    assertThat(NothingNew.of(src, dst, FolderNamer.IDENTITY, options, state.verified(src), now,
        look(account.target()))).isPresent();
    assertThat(NothingNew.of(src, dst, FolderNamer.IDENTITY, options, state.verified(src),
        new NothingNew.Side(now.folders(), status), look(account.target()))).isEmpty();
  }

  @Test
  void changeOnTheTargetShouldBeLeftToTheVerification() throws IOException {
    TestMail.append(target, dst, FolderPath.INBOX, TestMail.message("own", "own", "x"),
        Flags.NONE, TestMail.DATE);

    assertThat(check()).isEmpty();
  }

  @Test
  void folderGoneFromTheSourceShouldBeLeftToTheRun() throws Exception {
    Properties p = new Properties();
    Store s = Session.getInstance(p).getStore("imap");
    s.connect("127.0.0.1", GREENMAIL.getImap().getPort(), src.toString(),
        GreenMailAccounts.SECRET);
    try {
      s.getFolder(TestMail.JUNK.toString()).delete(true);
    } finally {
      s.close();
    }

    assertThat(check()).isEmpty();
  }

  @Test
  void otherRulesDryRunPreservedUidsOrSubscribedOnlyShouldBeLeftToTheRun() throws IOException {
    assertThat(check(new Migrator.Options(false, true, Fingerprint.Mode.HEADERS, false)))
        .isEmpty();
    assertThat(check(new Migrator.Options(false, false, Fingerprint.Mode.CONTENT, false)))
        .isEmpty();
    assertThat(check(new Migrator.Options(true, false, Fingerprint.Mode.HEADERS, false)))
        .isEmpty();
    assertThat(check(options.withPreserveUids(true))).isEmpty();
    assertThat(check(new Migrator.Options(false, false, Fingerprint.Mode.HEADERS, true)))
        .isEmpty();
    assertThat(check()).isPresent();
  }

  @Test
  void serverWithoutCondstoreShouldAlwaysBeLeftToTheRun() throws IOException {
    assertThat(NothingNew.of(src, dst, FolderNamer.IDENTITY, options, state.verified(src),
        WireLook.of(account.source()), WireLook.of(account.target()))).isEmpty();
  }

  @Test
  void nothingVerifiedBeforeShouldBeLeftToTheRun() throws IOException {
    assertThat(NothingNew.of(src, dst, FolderNamer.IDENTITY, options, Map.of(),
        look(account.source()), look(account.target()))).isEmpty();
  }
}
