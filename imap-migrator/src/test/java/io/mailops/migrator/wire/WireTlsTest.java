package io.mailops.migrator.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import io.mailops.storage.MailStoreException;
import io.mailops.storage.imap.ImapLocation;
import java.io.IOException;
import java.net.URI;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link WireConnection} over {@code imaps} against GreenMail's self-signed certificate. */
class WireTlsTest {

  @RegisterExtension
  static final GreenMailExtension GREENMAIL =
      new GreenMailExtension(imaps()).withPerMethodLifecycle(false);

  /** IMAPS on a free port; TLS set-up on a busy 2-core machine can take longer than 2 s. */
  private static com.icegreen.greenmail.util.ServerSetup imaps() {
    com.icegreen.greenmail.util.ServerSetup s = ServerSetupTest.IMAPS.dynamicPort();
    s.setServerStartupTimeout(20_000);
    return s;
  }

  private ImapLocation location(String query) throws MailStoreException {
    GREENMAIL.setUser("tls@example.com", "tls@example.com", "pw");
    return ImapLocation.parse(URI.create("imaps://tls%40example.com@127.0.0.1:"
        + GREENMAIL.getImaps().getPort() + query));
  }

  @Test
  void trustAllShouldLogInOverTlsToASelfSignedServer() throws IOException {
    try (WireConnection c = WireConnection.open(location("?trust=all"),
        (u, h) -> "pw".toCharArray())) {
      assertThat(c.runText("NOOP", "ping")).isNotNull();
    }
  }

  @Test
  void aSelfSignedCertificateShouldBeRefusedWithTheWayOut() {
    assertThatThrownBy(() -> WireConnection.open(location(""), (u, h) -> "pw".toCharArray())
        .close())
        .isInstanceOf(MailStoreException.class)
        .hasMessageContaining("TLS with imaps://tls@example.com@127.0.0.1:")
        .hasMessageContaining("--insecure");
  }
}
