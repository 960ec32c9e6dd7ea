package io.mailops.storage.imap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetup;
import com.icegreen.greenmail.util.ServerSetupTest;
import io.mailops.storage.MailStore;
import io.mailops.storage.MailStoreContract;
import io.mailops.storage.MailStoreException;
import io.mailops.storage.MailStores;
import io.mailops.storage.MessageGoneException;
import io.mailops.storage.PasswordSource;
import io.mailops.storage.model.AccountId;
import io.mailops.storage.model.Flag;
import io.mailops.storage.model.Flags;
import io.mailops.storage.model.FolderPath;
import io.mailops.storage.model.MessageKey;
import io.mailops.storage.model.MessageRef;
import jakarta.mail.Folder;
import jakarta.mail.Session;
import jakarta.mail.Store;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class ImapStoreTest implements MailStoreContract {

  private static final AtomicInteger USERS = new AtomicInteger();
  private static final String SECRET = "s3cret";
  private static final PasswordSource PASSWORD = (user, host) -> SECRET.toCharArray();

  @RegisterExtension
  static final GreenMailExtension GREENMAIL = new GreenMailExtension(new ServerSetup[] {
      ServerSetupTest.IMAP.dynamicPort(), ServerSetupTest.IMAPS.dynamicPort()})
      .withPerMethodLifecycle(false);

  /** A fresh login per test on the one server of the class, so no test sees another's mail. */
  private String login;
  private AccountId alice;
  private ImapStore store;

  @BeforeEach
  void setUp() throws IOException {
    login = "alice" + USERS.incrementAndGet() + "@example.com";
    alice = AccountId.of(login);
    GREENMAIL.setUser(login, login, SECRET);
    store = new ImapStore(location(""), PASSWORD);
  }

  @AfterEach
  void tearDown() throws IOException {
    store.close();
  }

  private ImapLocation location(String query) throws MailStoreException {
    return ImapLocation.parse(URI.create("imap://" + login.replace("@", "%40") + "@127.0.0.1:"
        + GREENMAIL.getImap().getPort() + (query.isEmpty() ? "" : "?" + query)));
  }

  @Override
  public MailStore store() {
    return store;
  }

  @Override
  public AccountId account() {
    return alice;
  }

  /** GreenMail 2.1.5 reports RFC822.SIZE as the body's length in characters. */
  @Override
  public boolean scansReportExactSizes() {
    return false;
  }

  private MessageRef append(byte[] message, Flags flags) throws IOException {
    return store.append(alice, FolderPath.INBOX, new ByteArrayInputStream(message), flags, DATE);
  }

  private byte[] read(MessageRef ref) throws IOException {
    try (InputStream in = store.open(alice, ref)) {
      return in.readAllBytes();
    }
  }

  @Test
  void openShouldReturnTheServersBytesWithoutSettingSeen() throws IOException {
    byte[] message = MailStoreContract.sampleMessage("peek");
    MessageRef ref = append(message, Flags.of(Flag.FLAGGED));

    assertThat(read(ref)).isEqualTo(message);
    assertThat(read(ref)).isEqualTo(message);

    MessageRef again = store.scan(alice, FolderPath.INBOX).messages().get(0);
    assertThat(again.flags().has(Flag.SEEN)).isFalse();
    assertThat(again.flags().has(Flag.FLAGGED)).isTrue();
  }

  @Test
  void scanShouldGiveUidValidityUidKeysAndTheUid() throws IOException {
    MessageRef ref = append(MailStoreContract.sampleMessage("uid"), Flags.NONE);

    MessageRef scanned = store.scan(alice, FolderPath.INBOX).messages().get(0);

    assertThat(scanned.key().value()).matches("\\d+:\\d+").isEqualTo(ref.key().value());
    assertThat(scanned.uid()).isEqualTo(ref.uid()).isPresent();
    assertThat(scanned.key().value()).endsWith(":" + scanned.uid().getAsLong());
  }

  @Test
  void aMessageWithBareLineFeedsShouldComeBackWithCrlfAsImapRequires() throws IOException {
    MessageRef ref = append("Subject: lf\n\nbody\n".getBytes(StandardCharsets.US_ASCII), Flags.NONE);

    assertThat(new String(read(ref), StandardCharsets.US_ASCII)).isEqualTo("Subject: lf\r\n\r\nbody\r\n");
  }

  @Test
  void openShouldThrowMessageGoneWhenUidValidityChanged() throws IOException {
    MessageRef ref = append(MailStoreContract.sampleMessage("validity"), Flags.NONE);
    long validity = Long.parseLong(ref.key().value().split(":")[0]);
    MessageKey stale = MessageKey.of((validity + 1) + ":" + ref.uid().getAsLong());
    MessageRef old = new MessageRef(FolderPath.INBOX, stale, ref.size(), Flags.NONE, DATE,
        ref.uid(), Optional.empty(), stale.value());

    assertThatThrownBy(() -> store.open(alice, old)).isInstanceOf(MessageGoneException.class)
        .hasMessageContaining("INBOX").hasMessageContaining("UIDVALIDITY");
  }

  @Test
  void openShouldThrowMessageGoneWhenTheMessageWasExpunged() throws Exception {
    MessageRef ref = append(MailStoreContract.sampleMessage("expunged"), Flags.NONE);
    store.scan(alice, FolderPath.INBOX);
    try (Store other = Session.getInstance(new Properties()).getStore("imap")) {
      other.connect("127.0.0.1", GREENMAIL.getImap().getPort(), login, SECRET);
      Folder inbox = other.getFolder("INBOX");
      inbox.open(Folder.READ_WRITE);
      inbox.getMessage(1).setFlag(jakarta.mail.Flags.Flag.DELETED, true);
      inbox.close(true);
    }

    assertThatThrownBy(() -> store.open(alice, ref)).isInstanceOf(MessageGoneException.class)
        .hasMessageContaining(ref.key().value()).hasMessageContaining("INBOX");
  }

  @Test
  void foldersShouldTranslateTheServersSeparatorAndKeepUnicode() throws IOException {
    store.createFolder(alice, FolderPath.of("Projekte/Übersicht/2024"));

    assertThat(store.folders(alice)).containsExactly(FolderPath.INBOX, FolderPath.of("Projekte"),
        FolderPath.of("Projekte/Übersicht"), FolderPath.of("Projekte/Übersicht/2024"));
  }

  @Test
  void createdFoldersAndTheirParentsShouldBeSubscribedAndMakingOneAgainShouldChangeNothing()
      throws Exception {
    store.createFolder(alice, FolderPath.of("Archive"));
    store.createFolder(alice, FolderPath.of("Archive/2024"));
    store.createFolder(alice, FolderPath.of("Reports/Q1"));
    store.createFolder(alice, FolderPath.of("Archive/2024"));

    assertThat(store.folders(alice)).containsExactly(FolderPath.INBOX, FolderPath.of("Archive"),
        FolderPath.of("Archive/2024"), FolderPath.of("Reports"), FolderPath.of("Reports/Q1"));
    try (Store other = Session.getInstance(new Properties()).getStore("imap")) {
      other.connect("127.0.0.1", GREENMAIL.getImap().getPort(), login, SECRET);
      List<String> subscribed = new ArrayList<>();
      for (Folder f : other.getDefaultFolder().listSubscribed("*")) {
        subscribed.add(f.getFullName());
      }
      assertThat(subscribed).containsExactlyInAnyOrder("Archive", "Archive.2024", "Reports",
          "Reports.Q1");
    }
  }

  @Test
  void aFolderNameHoldingTheServersSeparatorShouldBeRefused() {
    assertThatThrownBy(() -> store.createFolder(alice, FolderPath.of("v1.2")))
        .isInstanceOf(MailStoreException.class).hasMessageContaining("v1.2")
        .hasMessageContaining("separator '.'");
  }

  @Test
  void aWrongPasswordShouldFailWithTheDocumentedMessage() {
    int port = GREENMAIL.getImap().getPort();

    assertThatThrownBy(() -> new ImapStore(location(""), (u, h) -> "wrong".toCharArray()))
        .isInstanceOf(MailStoreException.class)
        .hasMessage("cannot log in to imap://" + login + "@127.0.0.1:" + port
            + ": authentication failed; check the password file");
  }

  @Test
  void aRefusedConnectionShouldFailWithOneClearLine() throws IOException {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    ImapLocation nowhere = ImapLocation.parse(URI.create("imap://bob@127.0.0.1:" + port));

    assertThatThrownBy(() -> new ImapStore(nowhere, PASSWORD)).isInstanceOf(MailStoreException.class)
        .hasMessage("cannot connect to imap://bob@127.0.0.1:" + port + ": connection refused;"
            + " check the host and port and that the IMAP server is running");
  }

  @Test
  void imapsShouldConnectToASelfSignedServerOnlyWithTrustAll() throws IOException {
    int port = GREENMAIL.getImaps().getPort();
    String user = login.replace("@", "%40");
    URI trusting = URI.create("imaps://" + user + "@127.0.0.1:" + port + "?trust=all");
    URI checking = URI.create("imaps://" + user + "@127.0.0.1:" + port);

    try (MailStore s = new ImapStoreProvider().open(trusting, PASSWORD)) {
      assertThat(s.folders(alice)).contains(FolderPath.INBOX);
    }
    assertThatThrownBy(() -> new ImapStoreProvider().open(checking, PASSWORD))
        .isInstanceOf(MailStoreException.class).hasMessageContaining("TLS")
        .hasMessageContaining("trust=all");
  }

  @Test
  void everySocketOfTheStoreAndItsFoldersShouldHaveNagleOff() throws IOException {
    List<Socket> sockets = new CopyOnWriteArrayList<>();
    try (ImapStore s = new ImapStore(location(""), PASSWORD,
        new NoDelaySocketFactory(sockets::add))) {
      MessageRef ref = s.append(alice, FolderPath.INBOX,
          new ByteArrayInputStream(MailStoreContract.sampleMessage("nodelay")), Flags.NONE, DATE);
      s.scan(alice, FolderPath.INBOX);
      try (InputStream in = s.open(alice, ref)) {
        in.readAllBytes();
      }

      List<Socket> open = sockets.stream().filter(sock -> !sock.isClosed()).toList();
      assertThat(open).as("the connections in use (Angus Mail pools them)").isNotEmpty();
      for (Socket sock : open) {
        assertThat(sock.getPort()).isEqualTo(GREENMAIL.getImap().getPort());
        assertThat(sock.getTcpNoDelay()).as("TCP_NODELAY of " + sock).isTrue();
      }
    }
  }

  @Test
  void aLostConnectionShouldFailAtMostOneCallAndTheNextShouldReconnect() throws IOException {
    List<Socket> sockets = new CopyOnWriteArrayList<>();
    try (ImapStore s = new ImapStore(location(""), PASSWORD,
        new NoDelaySocketFactory(sockets::add))) {
      s.createFolder(alice, FolderPath.of("Before"));
      for (Socket sock : sockets) {
        sock.close();
      }

      try {
        s.folders(alice);
      } catch (MailStoreException e) {
        assertThat(e).hasMessageContaining("the connection was lost")
            .hasMessageContaining("the store reconnects");
      }
      assertThat(s.folders(alice)).contains(FolderPath.of("Before"));
      MessageRef ref = s.append(alice, FolderPath.INBOX,
          new ByteArrayInputStream(MailStoreContract.sampleMessage("after")), Flags.NONE, DATE);
      assertThat(s.scan(alice, FolderPath.INBOX).messages()).extracting(MessageRef::key)
          .containsExactly(ref.key());
    }
  }

  @Test
  void imapsShouldLayerTlsOverANoDelaySocketAndStillCheckCertificates() throws IOException {
    int port = GREENMAIL.getImaps().getPort();
    String user = login.replace("@", "%40");
    List<Socket> sockets = new CopyOnWriteArrayList<>();
    NoDelaySocketFactory factory = new NoDelaySocketFactory(sockets::add);
    ImapLocation trusting = ImapLocation.parse(
        URI.create("imaps://" + user + "@127.0.0.1:" + port + "?trust=all"));
    ImapLocation checking =
        ImapLocation.parse(URI.create("imaps://" + user + "@127.0.0.1:" + port));

    try (ImapStore s = new ImapStore(trusting, PASSWORD, factory)) {
      assertThat(s.folders(alice)).contains(FolderPath.INBOX);
      assertThat(sockets).isNotEmpty();
      assertThat(sockets.get(0).getPort()).isEqualTo(port);
      assertThat(sockets.get(0).getTcpNoDelay()).isTrue();
    }
    assertThatThrownBy(() -> new ImapStore(checking, PASSWORD, factory))
        .isInstanceOf(MailStoreException.class).hasMessageContaining("TLS")
        .hasMessageContaining("trust=all");
  }

  @Test
  void theSessionShouldTakeTheSocketFactoryObjectAndKeepTheTrustSettings() throws IOException {
    NoDelaySocketFactory factory = new NoDelaySocketFactory(sock -> { });
    Properties imap = ImapConnection.properties(location(""), factory);
    Properties imaps = ImapConnection.properties(ImapLocation.parse(
        URI.create("imaps://bob@mail.example.org")), factory);

    assertThat(imap.get("mail.imap.socketFactory")).isSameAs(factory);
    assertThat(imap.getProperty("mail.imap.socketFactory.fallback")).isEqualTo("false");
    assertThat(imap.getProperty("mail.imap.ssl.checkserveridentity")).isEqualTo("true");
    assertThat(imap.getProperty("mail.imap.ssl.trust")).isNull();
    assertThat(imaps.get("mail.imaps.socketFactory")).isSameAs(factory);
    assertThat(imaps.get("mail.imaps.ssl.socketFactory")).isNull();
    assertThat(imaps.getProperty("mail.imaps.ssl.checkserveridentity")).isEqualTo("true");
    assertThat(imaps.getProperty("mail.imaps.ssl.trust")).isNull();
    assertThat(ImapConnection.properties(location("")).get("mail.imap.socketFactory"))
        .isSameAs(NoDelaySocketFactory.INSTANCE);
  }

  @Test
  void theSocketFactoryShouldTurnNagleOffOnConnectedSocketsToo() throws IOException {
    try (ServerSocket server = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress());
        Socket s = NoDelaySocketFactory.INSTANCE.createSocket(
            server.getInetAddress(), server.getLocalPort());
        Socket t = NoDelaySocketFactory.INSTANCE.createSocket()) {
      assertThat(s.isConnected()).isTrue();
      assertThat(s.getTcpNoDelay()).isTrue();
      assertThat(t.isConnected()).isFalse();
      assertThat(t.getTcpNoDelay()).isTrue();
      assertThat(s).isInstanceOf(NoDelaySocketFactory.QuickAckSocket.class);
      assertThat(t).isInstanceOf(NoDelaySocketFactory.QuickAckSocket.class);
    }
  }

  @Test
  void thePasswordSourceShouldGetTheDecodedUserAndTheHost() throws IOException {
    List<String> asked = new ArrayList<>();
    try (ImapStore s = new ImapStore(location("starttls=false"), (user, host) -> {
      asked.add(user + " on " + host);
      return SECRET.toCharArray();
    })) {
      assertThat(s.accounts()).containsExactly(alice);
    }
    assertThat(asked).containsExactly(login + " on 127.0.0.1");
  }

  @Test
  void anotherAccountShouldBeRefusedNamingTheLogin() {
    AccountId bob = AccountId.of("bob@example.com");
    MessageRef ref = new MessageRef(FolderPath.INBOX, MessageKey.of("1:1"), 1, Flags.NONE, DATE,
        OptionalLong.of(1), Optional.empty(), "1:1");

    assertThatThrownBy(() -> store.open(bob, ref)).isInstanceOf(MailStoreException.class)
        .hasMessageContaining("bob@example.com").hasMessageContaining(login);
  }

  @Test
  void locationsShouldParseUserPortAndParameters() throws MailStoreException {
    ImapLocation plain = ImapLocation.parse(MailStores.parse("imap://bob@mail.example.org"));
    assertThat(plain).isEqualTo(new ImapLocation(false, "bob", "mail.example.org", 143, null,
        false, new AccountId("bob", "mail.example.org")));

    ImapLocation full = ImapLocation.parse(URI.create(
        "imaps://a%2Bb%40example.com@mail.example.org?trust=all&account=carol@example.net"));
    assertThat(full.user()).isEqualTo("a+b@example.com");
    assertThat(full.port()).isEqualTo(993);
    assertThat(full.trustAll()).isTrue();
    assertThat(full.account()).isEqualTo(AccountId.of("carol@example.net"));

    assertThat(ImapLocation.parse(URI.create("imap://u@h:1143?starttls=true")).starttls()).isTrue();
  }

  @Test
  void badLocationsShouldFailNamingTheProblem() {
    assertThatThrownBy(() -> ImapLocation.parse(URI.create("imap://bob:pw@host")))
        .isInstanceOf(MailStoreException.class).hasMessageContaining("--password-file")
        .hasMessageNotContaining("pw@");
    assertThatThrownBy(() -> ImapLocation.parse(URI.create("imap://host:143")))
        .isInstanceOf(MailStoreException.class).hasMessageContaining("user@host");
    assertThatThrownBy(() -> ImapLocation.parse(URI.create("imap://u@host?tls=yes")))
        .isInstanceOf(MailStoreException.class).hasMessageContaining("tls");
    assertThatThrownBy(() -> ImapLocation.parse(URI.create("imap://u@host?starttls=maybe")))
        .isInstanceOf(MailStoreException.class).hasMessageContaining("maybe");
  }

  @Test
  void mailStoresShouldOpenImapUrisThroughTheServiceLoader() throws IOException {
    String uri = "imap://" + login.replace("@", "%40") + "@127.0.0.1:" + GREENMAIL.getImap().getPort();

    try (MailStore s = MailStores.open(uri, PASSWORD)) {
      assertThat(s).isInstanceOf(ImapStore.class);
      assertThat(s.accounts()).containsExactly(alice);
    }
  }
}
