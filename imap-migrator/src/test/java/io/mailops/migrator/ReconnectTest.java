package io.mailops.migrator;

import static io.mailops.migrator.TestMail.snapshot;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import io.mailops.migrator.wire.WireIo;
import io.mailops.storage.MailStore;
import io.mailops.storage.PasswordSource;
import io.mailops.storage.model.AccountId;
import io.mailops.storage.model.Flag;
import io.mailops.storage.model.Flags;
import io.mailops.storage.model.FolderPath;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A source connection that dies in the middle of a folder (a proxy cuts it after some bytes of
 * message bodies): the migration reopens it, resumes the folder and copies every message once.
 */
class ReconnectTest {

  private static final String SECRET = GreenMailAccounts.SECRET;
  private static final PasswordSource PASSWORD = GreenMailAccounts.PASSWORD;
  static final int INBOX = 40;

  @RegisterExtension
  static final GreenMailExtension GREENMAIL = GreenMailAccounts.server();

  private GreenMailAccounts accounts;
  private AccountId src;
  private AccountId dst;
  private MailStore source;
  private MailStore target;

  @BeforeEach
  void setUp() throws IOException {
    accounts = new GreenMailAccounts(GREENMAIL, "r");
    int n = accounts.n();
    src = accounts.src();
    dst = accounts.dst();
    source = accounts.store(src);
    target = accounts.store(dst);
    String body = "x".repeat(4000);
    for (int i = 0; i < INBOX; i++) {
      TestMail.append(source, src, FolderPath.INBOX, TestMail.message("r" + n + "-" + i,
          "message " + i, body), i % 2 == 0 ? Flags.of(Flag.SEEN) : Flags.NONE,
          TestMail.DATE.plusSeconds(i));
    }
    TestMail.append(source, src, TestMail.SENT, TestMail.message("r" + n + "-s", "sent", body),
        Flags.of(Flag.SEEN), TestMail.DATE);
  }

  @AfterEach
  void tearDown() throws Exception {
    accounts.close();
  }

  private String uri(AccountId account, int port) {
    return accounts.uri(account, port);
  }

  /** Source traffic through {@code proxy}; {@code attempts} reconnects (-1: none). */
  private AccountReport run(DroppingProxy proxy, MigrationState state, int attempts)
      throws IOException {
    MigrationAccount a = accounts.account(uri(src, proxy.port()), accounts.uri(dst));
    try (WireIo wire = WireIo.open(a, source, target)) {
      Migrator m = new Migrator(source, src, target, dst, FolderNamer.IDENTITY, state,
          Migrator.Options.defaults(), wire.io());
      if (attempts >= 0) {
        m.reconnecting(wire::reopen, attempts, Duration.ofMillis(20));
      }
      return m.run(Migrator.Listener.NONE);
    }
  }

  @Test
  void aConnectionCutInTheMiddleOfAFolderShouldBeReopenedAndTheFolderResumedWithoutDuplicates()
      throws Exception {
    Map<FolderPath, List<String>> want = snapshot(source, src, f -> true, false);
    try (DroppingProxy proxy = new DroppingProxy(GREENMAIL.getImap().getPort(), 1, 90_000)) {
      AccountReport r = run(proxy, MigrationState.inMemory(), 3);

      assertThat(proxy.drops()).isEqualTo(1);
      assertThat(proxy.connections()).isEqualTo(2);
      assertThat(r.copied()).isEqualTo(INBOX + 1);
      assertThat(r.partial()).isFalse();
    }
    assertThat(target.scan(dst, FolderPath.INBOX).messages()).hasSize(INBOX);
    assertThat(snapshot(target, dst, f -> true, true)).isEqualTo(want);
  }

  @Test
  void aTargetConnectionCutInAFolderTheRunMadeShouldBeResumedWithoutDuplicates()
      throws Exception {
    // the run makes "Projekte" at the start (WireWriter.createFolders); the target's link is cut
    // after ~5,000 bytes from the server, in the answers to the appends into it (INBOX's take
    // ~3,800), so those in flight are lost and the resumed copy finds them there by fingerprint
    FolderPath projects = FolderPath.of("Projekte");
    String body = "y".repeat(2000);
    for (int i = 0; i < INBOX; i++) {
      TestMail.append(source, src, projects, TestMail.message("p" + accounts.n() + "-" + i,
          "project " + i, body), Flags.NONE, TestMail.DATE.plusSeconds(i));
    }
    Map<FolderPath, List<String>> want = snapshot(source, src, f -> true, false);
    try (DroppingProxy proxy = new DroppingProxy(GREENMAIL.getImap().getPort(), 1, 5_000)) {
      MigrationAccount a = accounts.account(accounts.uri(src), uri(dst, proxy.port()));
      AccountReport r;
      try (WireIo wire = WireIo.open(a, source, target)) {
        r = new Migrator(source, src, target, dst, FolderNamer.IDENTITY,
            MigrationState.inMemory(), Migrator.Options.defaults(), wire.io())
            .reconnecting(wire::reopen, 3, Duration.ofMillis(20)).run(Migrator.Listener.NONE);
      }

      assertThat(proxy.drops()).isEqualTo(1);
      assertThat(r.partial()).isFalse();
    }
    assertThat(target.scan(dst, projects).messages()).hasSize(INBOX);
    assertThat(snapshot(target, dst, f -> true, true)).isEqualTo(want);
  }

  @Test
  void withoutReconnectingTheRunShouldFailNamingTheServerAndARerunShouldCompleteIt()
      throws Exception {
    Map<FolderPath, List<String>> want = snapshot(source, src, f -> true, false);
    MigrationState state = MigrationState.inMemory();
    try (DroppingProxy proxy = new DroppingProxy(GREENMAIL.getImap().getPort(), 1, 90_000)) {
      assertThatThrownBy(() -> run(proxy, state, -1))
          .isInstanceOf(ConnectionLostException.class)
          .hasMessageContaining("127.0.0.1:" + proxy.port());
      assertThat(target.scan(dst, FolderPath.INBOX).messages().size()).isLessThan(INBOX);

      AccountReport again = run(proxy, state, -1);
      // appends whose answer was lost with the run are found on the target by fingerprint
      assertThat(again.copied() + again.duplicates() + again.alreadyDone()).isEqualTo(INBOX + 1);
    }
    assertThat(snapshot(target, dst, f -> true, true)).isEqualTo(want);
  }

  @Test
  void withBytesPerSecondTheSourceShouldBeReadNoFasterThanThat() throws Exception {
    MigrationAccount a = accounts.account(accounts.uri(src), accounts.uri(dst));
    long bytes = source.scan(src, FolderPath.INBOX).totalSize()
        + source.scan(src, TestMail.SENT).totalSize();
    assertThat(bytes).isGreaterThan(160_000);
    long t0 = System.nanoTime();
    AccountReport r;
    try (WireIo wire = WireIo.open(a, source, target, new WireIo.Limits(
        io.mailops.migrator.wire.HostLimits.NONE, 50_000))) {
      r = new Migrator(source, src, target, dst, FolderNamer.IDENTITY, MigrationState.inMemory(),
          Migrator.Options.defaults(), wire.io()).run(Migrator.Listener.NONE);
    }
    double seconds = (System.nanoTime() - t0) / 1e9;

    assertThat(r.copied()).isEqualTo(INBOX + 1);
    // one second of burst, then 50 kB/s
    assertThat(seconds).isGreaterThan((bytes - 50_000) / 50_000.0);
  }
}
