package io.mailops.migrator.wire;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * The capabilities come from the {@code [CAPABILITY ...]} codes of the greeting and of the
 * login's {@code OK} when the server sends them (as Dovecot does), else from the {@code
 * CAPABILITY} command, before and after the login (ADR 0028).
 */
class WireCapabilityTest {

  private static final ScriptedImapServer.Script NOTHING_ELSE = (c, seen) -> c.tag() + " BAD no\r\n";


  private static long capabilityCommands(ScriptedImapServer server) {
    return server.seen.stream().filter(c -> c.line().endsWith(" CAPABILITY")).count();
  }

  @Test
  void theCodesOfTheGreetingAndTheLoginSaveBothCapabilityCommands() throws Exception {
    try (ScriptedImapServer server = new ScriptedImapServer("LITERAL+ CONDSTORE", true, true,
        NOTHING_ELSE); WireConnection c = server.connect()) {
      assertThat(c.has("CONDSTORE")).isTrue();
      assertThat(c.has("literal+")).isTrue();
      assertThat(c.has("MULTIAPPEND")).isFalse();
      assertThat(capabilityCommands(server)).isZero();
    }
  }

  @Test
  void withoutCodesTheCapabilitiesAreAskedBeforeAndAfterTheLogin() throws Exception {
    try (ScriptedImapServer server = new ScriptedImapServer("LITERAL+ CONDSTORE", NOTHING_ELSE);
        WireConnection c = server.connect()) {
      assertThat(c.has("CONDSTORE")).isTrue();
      assertThat(capabilityCommands(server)).isEqualTo(2);
    }
  }

  @Test
  void aGreetingCodeAloneStillAsksAfterTheLogin() throws Exception {
    try (ScriptedImapServer server = new ScriptedImapServer("LITERAL+ CONDSTORE", true, false,
        NOTHING_ELSE); WireConnection c = server.connect()) {
      assertThat(c.has("CONDSTORE")).isTrue();
      assertThat(capabilityCommands(server)).isEqualTo(1);
      // asked after the login: the only CAPABILITY follows the LOGIN
      assertThat(server.seen.get(0).line()).contains(" LOGIN ");
      assertThat(server.seen.get(1).line()).endsWith(" CAPABILITY");
    }
  }
}
