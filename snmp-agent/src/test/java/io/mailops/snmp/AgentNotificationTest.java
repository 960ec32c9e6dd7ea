package io.mailops.snmp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mailops.snmp.MailOpsAgentTest.KnownMetrics;
import io.mailops.snmp.TrapReceiver.Trap;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.snmp4j.mp.SnmpConstants;
import org.snmp4j.security.AuthHMAC192SHA256;
import org.snmp4j.security.PrivAES128;
import org.snmp4j.security.UsmUser;
import org.snmp4j.smi.Gauge32;
import org.snmp4j.smi.Null;
import org.snmp4j.smi.OctetString;
import org.snmp4j.smi.UnsignedInteger32;

/** Notifications from the agent to an in-process receiver: v2c with the configured community, v3, managers, alarms. */
class AgentNotificationTest {

  static final String BASE = SnmpSettings.DEFAULT_BASE_OID;
  static final Duration WAIT = Duration.ofSeconds(5);

  final KnownMetrics metrics = new KnownMetrics();
  final List<String> warnings = new CopyOnWriteArrayList<>();
  TrapReceiver receiver;
  MailOpsAgent agent;

  @BeforeEach
  void receive() throws IOException {
    metrics.latest.put("queue.total", 17.0);
    metrics.latest.put("collector.last_run", (double) (System.currentTimeMillis() / 1000));
    receiver = new TrapReceiver();
  }

  @AfterEach
  void stop() throws IOException {
    if (agent != null) {
      agent.close();
    }
    receiver.close();
  }

  SnmpSettings settings(TrapSettings traps) {
    return new SnmpSettings("udp:127.0.0.1/0", List.of("readme"), BASE,
        List.of(new SnmpUser("noc", SnmpUser.Auth.SHA256, "authpass123", SnmpUser.Priv.AES128, "privpass123")),
        traps, null, 10);
  }

  MailOpsAgent start(TrapSettings traps) throws IOException {
    agent = MailOpsAgent.start(settings(traps), metrics, Clock.systemUTC(), warnings::add);
    return agent;
  }

  static String n(OidLayout.Notification n) {
    return n.oid(BASE);
  }

  @Test
  void startedShouldReachAV2cTargetWithTheConfiguredTrapCommunityNotTheSecurityName() throws Exception {
    start(TrapSettings.NONE.withTargets(List.of(TrapTarget.v2c(receiver.address(), "trapc"))));
    Trap cold = receiver.next("1.3.6.1.6.3.1.1.5.1", WAIT);
    assertThat(cold).as("SNMP4J's coldStart").isNotNull();
    agent.sendStarted();
    Trap t = receiver.next(n(OidLayout.Notification.STARTED), WAIT);
    assertThat(t).isNotNull();
    assertThat(t.securityName()).isEqualTo("trapc");
    assertThat(t.version()).isEqualTo(1 /* MPv2c */);
    assertThat(t.value(BASE + ".1.3.1.0")).isEqualTo(new Gauge32(17));
    assertThat(t.value("1.3.6.1.2.1.1.5.0")).isInstanceOf(OctetString.class);
    assertThat(t.value(SnmpConstants.sysUpTime.toDottedString())).isNotNull();
  }

  @Test
  void aTrapToATargetWithAReadCommunityShouldCarryThatCommunity() throws Exception {
    start(TrapSettings.NONE.withTargets(List.of(TrapTarget.v2c(receiver.address(), "readme"))));
    agent.sendStarted();
    agent.sendShutdown();
    Trap t = receiver.next(n(OidLayout.Notification.SHUTDOWN), WAIT);
    assertThat(t.securityName()).isEqualTo("readme");
    assertThat(t.value(BASE + ".1.3.1.0")).isEqualTo(new Gauge32(17));
  }

  @Test
  void jobFailedShouldCarryTheJobNameExecutionIdAndReasonToAV3Target() throws Exception {
    start(TrapSettings.NONE.withTargets(List.of(TrapTarget.v3(receiver.address(), "noc"))));
    receiver.addUser(agent.engineId(), new UsmUser(new OctetString("noc"), AuthHMAC192SHA256.ID,
        new OctetString("authpass123"), PrivAES128.ID, new OctetString("privpass123")));
    agent.sendJobFailed("backupJob", 42, "3 items skipped\nsee the report");
    Trap t = receiver.next(n(OidLayout.Notification.JOB_FAILED), WAIT);
    assertThat(t).isNotNull();
    assertThat(t.version()).isEqualTo(3 /* MPv3 */);
    assertThat(t.securityName()).isEqualTo("noc");
    assertThat(t.value(BASE + ".1.12.1.0")).isEqualTo(new OctetString("backupJob"));
    assertThat(t.value(BASE + ".1.12.2.0")).isEqualTo(new UnsignedInteger32(42));
    assertThat(t.value(BASE + ".1.12.3.0")).isEqualTo(new OctetString("3 items skipped see the report"));
  }

  @Test
  void reloadShouldSwitchTargetsAndCommunitiesWithoutRebindingAndSendReloaded() throws Exception {
    start(TrapSettings.NONE);
    String before = agent.listenAddress();
    try (TestManager m = new TestManager()) {
      assertThat(m.get(TestManager.v2c(before, "readme"), BASE + ".1.3.1.0")).isNotNull();
      agent.reload(new SnmpSettings("udp:127.0.0.1/0", List.of("newone"), BASE, List.of(),
          TrapSettings.NONE.withTargets(List.of(TrapTarget.v2c(receiver.address(), "trapc"))), null, 10));
      Trap t = receiver.next(n(OidLayout.Notification.RELOADED), WAIT);
      assertThat(t.securityName()).isEqualTo("trapc");
      assertThat(agent.listenAddress()).isEqualTo(before);
      assertThat(m.get(TestManager.v2c(before, "readme"), BASE + ".1.3.1.0")).as("old community").isNull();
      assertThat(m.get(TestManager.v2c(before, "newone"), BASE + ".1.3.1.0").get(0).getVariable())
          .isEqualTo(new Gauge32(17));
    }
  }

  @Test
  void aWrongCommunityShouldRaiseNoAuthenticationFailureTrap() throws Exception {
    start(TrapSettings.NONE.withTargets(List.of(TrapTarget.v2c(receiver.address(), "trapc"))));
    try (TestManager m = new TestManager()) {
      assertThat(m.get(TestManager.v2c(agent.listenAddress(), "guess"), BASE + ".1.3.1.0")).isNull();
    }
    assertThat(receiver.next("1.3.6.1.6.3.1.1.5.5", Duration.ofSeconds(1))).isNull();
  }

  @Test
  void reloadShouldRefuseANewListenAddressAndKeepTheOldConfiguration() throws Exception {
    start(TrapSettings.NONE);
    assertThatThrownBy(() -> agent.reload(new SnmpSettings("udp:127.0.0.1/1", "other", BASE)))
        .isInstanceOf(SnmpException.class).hasMessageContaining("restart the agent");
    try (TestManager m = new TestManager()) {
      assertThat(m.get(TestManager.v2c(agent.listenAddress(), "readme"), BASE + ".1.3.1.0")).isNotNull();
    }
  }

  @Test
  void withSendToAllManagersAManagerThatQueriedShouldGetTheTrapWithItsCommunity() throws Exception {
    start(TrapSettings.NONE.withManagers(true, receiver.port(), 4, Duration.ofHours(1)));
    agent.sendStarted();
    assertThat(receiver.next(n(OidLayout.Notification.STARTED), Duration.ofMillis(500))).as("nobody asked yet").isNull();
    try (TestManager m = new TestManager()) {
      assertThat(m.get(TestManager.v2c(agent.listenAddress(), "wrong"), BASE + ".1.3.1.0")).isNull();
      agent.sendStarted();
      assertThat(receiver.next(n(OidLayout.Notification.STARTED), Duration.ofMillis(500)))
          .as("a wrong community does not count").isNull();
      assertThat(m.get(TestManager.v2c(agent.listenAddress(), "readme"), BASE + ".1.3.1.0")).isNotNull();
    }
    assertThat(agent.recentManagers()).containsExactly("127.0.0.1 (v2c)");
    agent.sendStarted();
    Trap t = receiver.next(n(OidLayout.Notification.STARTED), WAIT);
    assertThat(t).isNotNull();
    assertThat(t.securityName()).isEqualTo("readme");
  }

  @Test
  void theManagerListShouldBeBoundedAndForgetTheSilent() {
    java.util.concurrent.atomic.AtomicReference<java.time.Instant> now =
        new java.util.concurrent.atomic.AtomicReference<>(java.time.Instant.parse("2026-11-22T10:00:00Z"));
    Clock clock = new Clock() {
      @Override
      public java.time.ZoneId getZone() {
        return java.time.ZoneOffset.UTC;
      }

      @Override
      public Clock withZone(java.time.ZoneId zone) {
        return this;
      }

      @Override
      public java.time.Instant instant() {
        return now.get();
      }
    };
    Managers managers = new Managers(clock);
    managers.configure(settings(TrapSettings.NONE.withManagers(true, 162, 2, Duration.ofMinutes(10))));
    managers.record(new Managers.Manager("192.0.2.1", false, "readme"));
    managers.record(new Managers.Manager("192.0.2.2", false, "readme"));
    managers.record(new Managers.Manager("192.0.2.3", true, "noc"));
    assertThat(managers.current()).extracting(Managers.Manager::ip).containsExactly("192.0.2.2", "192.0.2.3");
    now.set(now.get().plus(Duration.ofMinutes(11)));
    assertThat(managers.current()).isEmpty();
  }

  @Test
  void queueHighShouldBeRaisedOnceWhenTheQueueRisesAboveTheThresholdAndAgainAfterItFell() throws Exception {
    start(TrapSettings.NONE.withTargets(List.of(TrapTarget.v2c(receiver.address(), "trapc")))
        .withAlarms(100, Duration.ZERO, Duration.ofMillis(200)));
    assertThat(receiver.next(n(OidLayout.Notification.QUEUE_HIGH), Duration.ofMillis(800))).isNull();
    metrics.latest.put("queue.total", 150.0);
    Trap t = receiver.next(n(OidLayout.Notification.QUEUE_HIGH), WAIT);
    assertThat(t).isNotNull();
    assertThat(t.value(BASE + ".1.3.1.0")).isEqualTo(new Gauge32(150));
    assertThat(t.value(BASE + ".1.12.4.0")).isEqualTo(new Gauge32(100));
    assertThat(receiver.next(n(OidLayout.Notification.QUEUE_HIGH), Duration.ofMillis(1500))).as("no repeat").isNull();
    metrics.latest.put("queue.total", 10.0);
    Thread.sleep(1500);
    metrics.latest.put("queue.total", 120.0);
    assertThat(receiver.next(n(OidLayout.Notification.QUEUE_HIGH), WAIT)).isNotNull();
  }

  @Test
  void collectorStalledShouldBeRaisedWhenTheLastRunIsOlderThanTheDelay() throws Exception {
    metrics.latest.put("collector.last_run", (double) (System.currentTimeMillis() / 1000 - 600));
    start(TrapSettings.NONE.withTargets(List.of(TrapTarget.v2c(receiver.address(), "trapc")))
        .withAlarms(0, Duration.ofMinutes(5), Duration.ofMillis(200)));
    Trap t = receiver.next(n(OidLayout.Notification.COLLECTOR_STALLED), WAIT);
    assertThat(t).isNotNull();
    assertThat(t.value(BASE + ".1.7.6.0")).isEqualTo(new Gauge32(metrics.latest.get("collector.last_run").longValue()));
  }

  @Test
  void aFreshCollectorShouldRaiseNoStall() throws Exception {
    start(TrapSettings.NONE.withTargets(List.of(TrapTarget.v2c(receiver.address(), "trapc")))
        .withAlarms(0, Duration.ofMinutes(5), Duration.ofMillis(100)));
    assertThat(receiver.next(n(OidLayout.Notification.COLLECTOR_STALLED), Duration.ofSeconds(1))).isNull();
  }

  @Test
  void aNotificationObjectWithoutDataShouldBeSentAsNoSuchInstance() throws Exception {
    metrics.latest.remove("queue.total");
    start(TrapSettings.NONE.withTargets(List.of(TrapTarget.v2c(receiver.address(), "trapc"))));
    agent.sendShutdown();
    Trap t = receiver.next(n(OidLayout.Notification.SHUTDOWN), WAIT);
    assertThat(t.value(BASE + ".1.3.1.0")).isEqualTo(Null.noSuchInstance);
  }
}
