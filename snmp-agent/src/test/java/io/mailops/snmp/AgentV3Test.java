package io.mailops.snmp;

import static org.assertj.core.api.Assertions.assertThat;

import io.mailops.snmp.MailOpsAgentTest.KnownMetrics;
import java.io.IOException;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.snmp4j.PDU;
import org.snmp4j.security.AuthHMAC192SHA256;
import org.snmp4j.security.AuthMD5;
import org.snmp4j.security.AuthSHA;
import org.snmp4j.security.PrivAES128;
import org.snmp4j.security.SecurityLevel;
import org.snmp4j.security.UsmUser;
import org.snmp4j.smi.Counter64;
import org.snmp4j.smi.Gauge32;
import org.snmp4j.smi.Null;
import org.snmp4j.smi.OID;
import org.snmp4j.smi.OctetString;
import org.snmp4j.smi.VariableBinding;

/** SNMPv3 USM: authPriv answers, everything weaker or wrong is refused, SET too. */
class AgentV3Test {

  static final String BASE = SnmpSettings.DEFAULT_BASE_OID;
  static final String QUEUE = BASE + ".1.3.1.0";

  final KnownMetrics metrics = new KnownMetrics();
  final List<String> warnings = new CopyOnWriteArrayList<>();
  MailOpsAgent agent;
  TestManager manager;

  @BeforeEach
  void start() throws IOException {
    metrics.latest.put("queue.total", 17.0);
    metrics.totals.put("smtp.out.delivered", 99.0);
    agent = MailOpsAgent.start(new SnmpSettings("udp:127.0.0.1/0", List.of(), BASE,
        List.of(new SnmpUser("noc256", SnmpUser.Auth.SHA256, "authpass123", SnmpUser.Priv.AES128, "privpass123"),
            new SnmpUser("noc", SnmpUser.Auth.SHA, "authpass123", SnmpUser.Priv.AES128, "privpass123")),
        TrapSettings.NONE, null, 10), metrics, Clock.systemUTC(), warnings::add);
    manager = new TestManager();
  }

  @AfterEach
  void stop() throws IOException {
    manager.close();
    agent.close();
  }

  static UsmUser user(String name, OID auth, String authPass, String privPass) {
    return new UsmUser(new OctetString(name), auth, new OctetString(authPass), privPass == null ? null : PrivAES128.ID,
        privPass == null ? null : new OctetString(privPass));
  }

  @Test
  void authPrivWithSha256AndAes128ShouldBeAnswered() throws IOException {
    PDU r = manager.get(manager.v3(agent.listenAddress(), user("noc256", AuthHMAC192SHA256.ID, "authpass123",
        "privpass123"), SecurityLevel.AUTH_PRIV), QUEUE, BASE + ".1.2.1.0");
    assertThat(r.getType()).isEqualTo(PDU.RESPONSE);
    assertThat(r.get(0).getVariable()).isEqualTo(new Gauge32(17));
    assertThat(r.get(1).getVariable()).isEqualTo(new Counter64(99));
  }

  @Test
  void authPrivWithSha1AndAesShouldBeAnsweredForOldManagers() throws IOException {
    PDU r = manager.get(manager.v3(agent.listenAddress(), user("noc", AuthSHA.ID, "authpass123", "privpass123"),
        SecurityLevel.AUTH_PRIV), QUEUE);
    assertThat(r.get(0).getVariable()).isEqualTo(new Gauge32(17));
  }

  @Test
  void aWrongAuthKeyShouldGetNoValues() throws IOException {
    PDU r = manager.get(manager.v3(agent.listenAddress(), user("noc256", AuthHMAC192SHA256.ID, "wrongpass123",
        "privpass123"), SecurityLevel.AUTH_PRIV), QUEUE);
    assertRefused(r);
  }

  @Test
  void aWrongPrivKeyShouldGetNoValues() throws IOException {
    PDU r = manager.get(manager.v3(agent.listenAddress(), user("noc256", AuthHMAC192SHA256.ID, "authpass123",
        "wrongpriv123"), SecurityLevel.AUTH_PRIV), QUEUE);
    assertRefused(r);
  }

  @Test
  void aWrongAuthProtocolShouldGetNoValues() throws IOException {
    PDU r = manager.get(manager.v3(agent.listenAddress(), user("noc256", AuthSHA.ID, "authpass123", "privpass123"),
        SecurityLevel.AUTH_PRIV), QUEUE);
    assertRefused(r);
  }

  @Test
  void authNoPrivShouldBeRefused() throws IOException {
    PDU r = manager.get(manager.v3(agent.listenAddress(), user("noc256", AuthHMAC192SHA256.ID, "authpass123", null),
        SecurityLevel.AUTH_NOPRIV), QUEUE);
    assertRefused(r);
  }

  @Test
  void noAuthAndUnknownUsersShouldBeRefused() throws IOException {
    assertRefused(manager.get(manager.v3(agent.listenAddress(), new UsmUser(new OctetString("noc256"), null, null,
        null, null), SecurityLevel.NOAUTH_NOPRIV), QUEUE));
    assertRefused(manager.get(manager.v3(agent.listenAddress(), user("stranger", AuthMD5.ID, "authpass123",
        "privpass123"), SecurityLevel.AUTH_PRIV), QUEUE));
  }

  @Test
  void withoutCommunitiesV2cShouldGetNoAnswer() throws IOException {
    assertThat(manager.get(TestManager.v2c(agent.listenAddress(), "public"), QUEUE)).isNull();
  }

  @Test
  void setShouldBeRefusedEvenWithAuthPriv() throws IOException {
    var target = manager.v3(agent.listenAddress(), user("noc256", AuthHMAC192SHA256.ID, "authpass123", "privpass123"),
        SecurityLevel.AUTH_PRIV);
    PDU r = manager.send(target, PDU.SET, new VariableBinding(new OID(QUEUE), new Gauge32(1)));
    assertThat(r.getErrorStatus()).isIn(PDU.noAccess, PDU.notWritable, PDU.authorizationError, PDU.noCreation);
    r = manager.send(target, PDU.SET, new VariableBinding(new OID("1.3.6.1.6.3.15.1.2.2.1.3.0"), new OctetString("x")));
    assertThat(r.getErrorStatus()).as("USM tables are not writable either").isNotZero();
    assertThat(manager.get(target, QUEUE).get(0).getVariable()).isEqualTo(new Gauge32(17));
  }

  @Test
  void theSecurityAndConfigurationTablesShouldBeInvisibleToV3Too() throws IOException {
    var target = manager.v3(agent.listenAddress(), user("noc256", AuthHMAC192SHA256.ID, "authpass123", "privpass123"),
        SecurityLevel.AUTH_PRIV);
    PDU r = manager.send(target, PDU.GETNEXT, new VariableBinding(new OID("1.3.6.1.6.3.15")),
        new VariableBinding(new OID("1.3.6.1.6.3.16")), new VariableBinding(new OID("1.3.6.1.4.1.4976")));
    assertThat(r.get(0).getVariable()).isEqualTo(Null.endOfMibView);
    assertThat(r.get(1).getVariable()).isEqualTo(Null.endOfMibView);
    assertThat(r.get(2).getOid().startsWith(new OID(BASE))).isTrue();
    assertThat(manager.walk(target, "1.3.6.1.6.3")).isEmpty();
  }

  /** No answer, a report (wrong digest, unknown user, …) or an error: never a value. */
  static void assertRefused(PDU r) {
    if (r == null) {
      return;
    }
    assertThat(r.getType() == PDU.REPORT || r.getErrorStatus() != 0)
        .as("refused, got " + r).isTrue();
  }
}
