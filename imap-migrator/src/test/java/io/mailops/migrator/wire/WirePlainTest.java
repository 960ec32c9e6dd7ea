package io.mailops.migrator.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mailops.migrator.MigrationAccount;
import io.mailops.storage.MailStoreException;
import io.mailops.storage.imap.ImapLocation;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/**
 * {@code source_auth}/{@code target_auth} {@code plain} on the wire: {@code AUTHENTICATE PLAIN}
 * with the RFC 4616 payload, inline with SASL-IR or after the continuation request, and the
 * refusals a user can act on.
 */
class WirePlainTest {

  private static final String PAYLOAD = Base64.getEncoder().encodeToString(
      "\0u@example.com\0pässword".getBytes(StandardCharsets.UTF_8));

  private static ScriptedImapServer server(String caps, boolean accept) throws IOException {
    return new ScriptedImapServer(caps, (c, seen) -> {
      if (c.line().contains("AUTHENTICATE PLAIN " + PAYLOAD) || c.line().equals(PAYLOAD)) {
        String tag = c.line().equals(PAYLOAD) ? seen.get(seen.size() - 2).tag() : c.tag();
        return accept ? tag + " OK [CAPABILITY IMAP4rev1 MULTIAPPEND] Logged in\r\n"
            : tag + " NO [AUTHENTICATIONFAILED] Authentication failed.\r\n";
      }
      if (c.line().endsWith("AUTHENTICATE PLAIN")) {
        return "+ \r\n";
      }
      return c.tag() + " OK done\r\n";
    });
  }

  private static WireConnection open(ScriptedImapServer s) throws IOException {
    return WireConnection.open(ImapLocation.parse(URI.create("imap://u%40example.com@127.0.0.1:"
        + s.port() + "?starttls=false")), (u, h) -> "pässword".toCharArray(),
        MigrationAccount.Auth.PLAIN);
  }

  @Test
  void withSaslIrTheCredentialsGoInlineAndTheCapabilitiesOfTheOkAreTaken() throws Exception {
    try (ScriptedImapServer s = server("AUTH=PLAIN SASL-IR", true);
        WireConnection c = open(s)) {
      assertThat(s.seen).extracting(ScriptedImapServer.Command::line)
          .contains("w2 AUTHENTICATE PLAIN " + PAYLOAD).noneMatch(l -> l.contains(" LOGIN "));
      assertThat(c.has("MULTIAPPEND")).isTrue();
    }
  }

  @Test
  void withoutSaslIrTheCredentialsAnswerTheContinuation() throws Exception {
    try (ScriptedImapServer s = server("AUTH=PLAIN", true); WireConnection c = open(s)) {
      assertThat(s.seen).extracting(ScriptedImapServer.Command::line)
          .containsSequence("w2 AUTHENTICATE PLAIN", PAYLOAD);
    }
  }

  @Test
  void aRefusalNamesTheAccountAndTheMechanism() throws Exception {
    try (ScriptedImapServer s = server("AUTH=PLAIN SASL-IR", false)) {
      assertThatThrownBy(() -> open(s)).isInstanceOf(MailStoreException.class)
          .hasMessageContaining("as u@example.com with PLAIN")
          .hasMessageContaining("Authentication failed").hasMessageContaining("password");
    }
  }

  @Test
  void aServerWithoutAuthPlainIsRefusedBeforeTheCredentialsAreSent() throws Exception {
    try (ScriptedImapServer s = server("AUTH=LOGIN", true)) {
      assertThatThrownBy(() -> open(s)).isInstanceOf(MailStoreException.class)
          .hasMessageContaining("does not offer AUTH=PLAIN").hasMessageContaining("login auth");
      assertThat(s.seen).extracting(ScriptedImapServer.Command::line)
          .noneMatch(l -> l.contains("AUTHENTICATE") || l.contains(PAYLOAD));
    }
  }
}
