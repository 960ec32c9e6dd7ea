package io.mailops.snmp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mailops.reporting.Parameter;
import io.mailops.reporting.series.MetricsView;
import io.mailops.reporting.series.ScopeRef;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.snmp4j.CommunityTarget;
import org.snmp4j.PDU;
import org.snmp4j.Snmp;
import org.snmp4j.event.ResponseEvent;
import org.snmp4j.mp.SnmpConstants;
import org.snmp4j.smi.Counter64;
import org.snmp4j.smi.Gauge32;
import org.snmp4j.smi.GenericAddress;
import org.snmp4j.smi.Null;
import org.snmp4j.smi.OID;
import org.snmp4j.smi.OctetString;
import org.snmp4j.smi.TimeTicks;
import org.snmp4j.smi.UdpAddress;
import org.snmp4j.smi.Variable;
import org.snmp4j.smi.VariableBinding;
import org.snmp4j.transport.DefaultUdpTransportMapping;

/** An SNMP4J manager on loopback against the agent over a {@link MetricsView} with known values. */
class MailOpsAgentTest {

  static final String BASE = SnmpSettings.DEFAULT_BASE_OID;
  static final String DISCONTINUITY = BASE + ".1.7.8.0";

  /** Known values: counters by total, gauges by latest sample; what is absent has no data. */
  static final class KnownMetrics implements MetricsView {
    final Map<String, Double> latest = new HashMap<>();
    final Map<String, Double> totals = new HashMap<>();
    final AtomicInteger latestReads = new AtomicInteger();

    @Override
    public Map<String, Double> latest(ScopeRef scope) {
      latestReads.incrementAndGet();
      return scope.equals(ScopeRef.SERVER) ? Map.copyOf(latest) : Map.of();
    }

    @Override
    public double total(String parameter, ScopeRef scope) {
      return scope.equals(ScopeRef.SERVER) ? totals.getOrDefault(parameter, 0.0) : 0;
    }
  }

  final KnownMetrics metrics = new KnownMetrics();
  final List<String> warnings = new CopyOnWriteArrayList<>();
  MailOpsAgent agent;
  Snmp manager;

  @BeforeEach
  void start() throws IOException {
    metrics.totals.put("smtp.out.delivered", 1234.0);
    metrics.latest.put("smtp.out.delivered", 3.0);
    metrics.totals.put("collector.unparsed_lines", 5_000_000_000.0);
    metrics.latest.put("queue.total", 17.0);
    metrics.latest.put("storage.free", 6.0e10);
    metrics.latest.put("system.load1", -2.0);
    metrics.latest.put("collector.last_run", 1_795_000_000.0);
    agent = MailOpsAgent.start(new SnmpSettings("udp:127.0.0.1/0", "s3cret", BASE), metrics, Clock.systemUTC(),
        warnings::add);
    manager = new Snmp(new DefaultUdpTransportMapping());
    manager.listen();
  }

  @AfterEach
  void stop() throws IOException {
    manager.close();
    agent.close();
  }

  CommunityTarget<UdpAddress> target(String community) {
    CommunityTarget<UdpAddress> t = new CommunityTarget<>(
        (UdpAddress) GenericAddress.parse("udp:" + agent.listenAddress()), new OctetString(community));
    t.setVersion(SnmpConstants.version2c);
    t.setTimeout(2000);
    t.setRetries(1);
    return t;
  }

  PDU send(int type, String community, VariableBinding... vbs) throws IOException {
    PDU pdu = new PDU();
    pdu.setType(type);
    for (VariableBinding vb : vbs) {
      pdu.add(vb);
    }
    if (type == PDU.GETBULK) {
      pdu.setMaxRepetitions(100);
    }
    ResponseEvent<UdpAddress> e = manager.send(pdu, target(community));
    return e.getResponse();
  }

  static String oid(String parameter) {
    return OidLayout.instanceOid(BASE, Parameter.byName(parameter).orElseThrow()).orElseThrow();
  }

  @Test
  void agentShouldListenOnTheFreePortItWasGiven() {
    assertThat(agent.listenAddress()).startsWith("127.0.0.1/").doesNotEndWith("/0");
  }

  @Test
  void getShouldAnswerCounterTotalsAsCounter64AndGaugeLevelsAsGauge32() throws IOException {
    PDU r = send(PDU.GET, "s3cret", new VariableBinding(new OID(oid("smtp.out.delivered"))),
        new VariableBinding(new OID(oid("queue.total"))), new VariableBinding(new OID(oid("collector.unparsed_lines"))),
        new VariableBinding(new OID(oid("collector.last_run"))));
    assertThat(r).isNotNull();
    assertThat(r.getErrorStatus()).isZero();
    assertThat(r.get(0).getOid()).hasToString(BASE + ".1.2.1.0");
    assertThat(r.get(0).getVariable()).isEqualTo(new Counter64(
        (long) metrics.total("smtp.out.delivered", ScopeRef.SERVER)));
    assertThat(r.get(1).getVariable()).isEqualTo(new Gauge32(17));
    assertThat(r.get(2).getVariable()).isEqualTo(new Counter64(5_000_000_000L));
    assertThat(r.get(3).getVariable()).isEqualTo(new Gauge32(1_795_000_000L));
  }

  @Test
  void gaugesShouldBeClampedToTheGauge32Range() throws IOException {
    PDU r = send(PDU.GET, "s3cret", new VariableBinding(new OID(oid("storage.free"))),
        new VariableBinding(new OID(oid("system.load1"))));
    assertThat(r.get(0).getVariable()).isEqualTo(new Gauge32(0xFFFF_FFFFL));
    assertThat(r.get(1).getVariable()).isEqualTo(new Gauge32(0));
  }

  @Test
  void getOfAParameterWithoutDataShouldAnswerNoSuchInstance() throws IOException {
    PDU r = send(PDU.GET, "s3cret", new VariableBinding(new OID(oid("imap.appends"))),
        new VariableBinding(new OID(oid("queue.hold"))));
    assertThat(r.getErrorStatus()).isZero();
    assertThat(r.get(0).getVariable()).isEqualTo(Null.noSuchInstance);
    assertThat(r.get(1).getVariable()).isEqualTo(Null.noSuchInstance);
  }

  @Test
  void getNextWalkShouldVisitTheParametersWithDataInOidOrderAndEnd() throws IOException {
    List<String> walked = new ArrayList<>();
    OID next = new OID(BASE);
    while (true) {
      PDU r = send(PDU.GETNEXT, "s3cret", new VariableBinding(next));
      VariableBinding vb = r.get(0);
      if (vb.getVariable().isException() || !vb.getOid().startsWith(new OID(BASE))) {
        assertThat(vb.getVariable()).isEqualTo(Null.endOfMibView);
        break;
      }
      walked.add(vb.getOid().toDottedString());
      next = vb.getOid();
    }
    assertThat(walked).containsExactly(withData());
  }

  @Test
  void getBulkShouldReturnTheSameSubtreeInOneRequestFromOneStoreRead() throws IOException {
    int before = metrics.latestReads.get();
    PDU r = send(PDU.GETBULK, "s3cret", new VariableBinding(new OID(BASE)));
    List<String> oids = r.getVariableBindings().stream().filter(vb -> !vb.getVariable().isException())
        .map(vb -> vb.getOid().toDottedString()).toList();
    assertThat(oids).containsExactly(withData());
    assertThat(r.get(r.size() - 1).getVariable()).isEqualTo(Null.endOfMibView);
    assertThat(metrics.latestReads.get() - before).isLessThanOrEqualTo(2);
  }

  @Test
  void theAgentsOwnConfigurationAndSecurityTablesShouldBeInvisible() throws IOException {
    PDU r = send(PDU.GETNEXT, "s3cret", new VariableBinding(new OID("1.3.6.1.4.1.4976")),
        new VariableBinding(new OID("1.3.6.1.6.3")));
    assertThat(r.get(0).getOid()).hasToString(withData()[0]);
    assertThat(r.get(1).getVariable()).isEqualTo(Null.endOfMibView);
  }

  @Test
  void aWalkPastParametersWithoutDataShouldGoOnToTheDiscontinuityTimeAndEndAtTheEndOfTheView() throws IOException {
    agent.close();
    metrics.totals.remove("collector.unparsed_lines");
    agent = MailOpsAgent.start(new SnmpSettings("udp:127.0.0.1/0", "s3cret", BASE), metrics, Clock.systemUTC(),
        warnings::add);
    PDU r = send(PDU.GETNEXT, "s3cret", new VariableBinding(new OID(oid("collector.last_run"))));
    assertThat(r.get(0).getOid()).hasToString(DISCONTINUITY);
    r = send(PDU.GETNEXT, "s3cret", new VariableBinding(r.get(0).getOid()));
    assertThat(r.get(0).getVariable()).isEqualTo(Null.endOfMibView);
  }

  @Test
  void theDiscontinuityTimeShouldBeZeroUntilACounterTotalGoesDownThenTheUptimeThen() throws Exception {
    PDU r = send(PDU.GET, "s3cret", new VariableBinding(new OID(DISCONTINUITY)));
    assertThat(r.get(0).getVariable()).isEqualTo(new TimeTicks(0));
    metrics.totals.put("smtp.out.delivered", 10.0);
    long at = awaitDiscontinuity(0);
    r = send(PDU.GET, "s3cret", new VariableBinding(SnmpConstants.sysUpTime));
    assertThat(at).isPositive().isLessThanOrEqualTo(r.get(0).getVariable().toLong());
    metrics.totals.put("smtp.out.delivered", 20.0);
    Thread.sleep(2500);
    r = send(PDU.GET, "s3cret", new VariableBinding(new OID(DISCONTINUITY)));
    assertThat(r.get(0).getVariable().toLong()).as("a counter that grows is no discontinuity").isEqualTo(at);
  }

  @Test
  void aStaleValueShouldBeAnsweredAtOnceAndRefreshedInTheBackground() throws Exception {
    assertThat(send(PDU.GET, "s3cret", new VariableBinding(new OID(oid("queue.total")))).get(0).getVariable())
        .isEqualTo(new Gauge32(17));
    metrics.latest.put("queue.total", 18.0);
    long end = System.nanoTime() + 5_000_000_000L;
    Variable v;
    do {
      Thread.sleep(100);
      v = send(PDU.GET, "s3cret", new VariableBinding(new OID(oid("queue.total")))).get(0).getVariable();
    } while (!v.equals(new Gauge32(18)) && System.nanoTime() < end);
    assertThat(v).isEqualTo(new Gauge32(18));
  }

  /** Polls moCountersDiscontinuityTime until it differs from {@code before} (at most 5 s). */
  long awaitDiscontinuity(long before) throws Exception {
    long end = System.nanoTime() + 5_000_000_000L;
    while (System.nanoTime() < end) {
      long v = send(PDU.GET, "s3cret", new VariableBinding(new OID(DISCONTINUITY))).get(0).getVariable().toLong();
      if (v != before) {
        return v;
      }
      Thread.sleep(200);
    }
    throw new AssertionError("moCountersDiscontinuityTime stayed " + before);
  }

  @Test
  void theSystemGroupShouldDescribeTheAgent() throws IOException {
    PDU r = send(PDU.GET, "s3cret", new VariableBinding(SnmpConstants.sysDescr),
        new VariableBinding(SnmpConstants.sysObjectID));
    assertThat(r.get(0).getVariable().toString()).contains("mailops");
    assertThat(r.get(1).getVariable()).isEqualTo(new OID(BASE));
  }

  @Test
  void aWrongCommunityShouldGetNoAnswer() throws IOException {
    assertThat(send(PDU.GET, "public", new VariableBinding(new OID(oid("queue.total"))))).isNull();
  }

  @Test
  void setShouldBeRefused() throws IOException {
    PDU r = send(PDU.SET, "s3cret", new VariableBinding(new OID(oid("queue.total")), new Gauge32(1)));
    assertThat(r.getErrorStatus()).isIn(PDU.noAccess, PDU.notWritable, PDU.authorizationError);
    PDU after = send(PDU.GET, "s3cret", new VariableBinding(new OID(oid("queue.total"))));
    assertThat(after.get(0).getVariable()).isEqualTo(new Gauge32(17));
  }

  @Test
  void startShouldSayWhenTheAddressIsInUse() throws IOException {
    try (DatagramSocket taken = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
      String listen = "udp:127.0.0.1/" + taken.getLocalPort();
      assertThatThrownBy(() -> MailOpsAgent.start(new SnmpSettings(listen, "c", BASE), metrics, Clock.systemUTC(),
          warnings::add))
          .isInstanceOf(SnmpException.class)
          .hasMessage("cannot listen on " + listen + ": address in use; give another --listen");
    }
  }

  @Test
  void aStoreThatCannotBeReadShouldAnswerGenErrAndWarn() throws IOException {
    MetricsView broken = new MetricsView() {
      @Override
      public Map<String, Double> latest(ScopeRef scope) throws IOException {
        throw new IOException("database is down");
      }

      @Override
      public double total(String parameter, ScopeRef scope) {
        return 0;
      }
    };
    try (MailOpsAgent other = MailOpsAgent.start(new SnmpSettings("udp:127.0.0.1/0", "s3cret", BASE), broken,
        Clock.systemUTC(), warnings::add)) {
      CommunityTarget<UdpAddress> t = target("s3cret");
      t.setAddress((UdpAddress) GenericAddress.parse("udp:" + other.listenAddress()));
      PDU pdu = new PDU();
      pdu.add(new VariableBinding(new OID(oid("queue.total"))));
      PDU r = manager.send(pdu, t).getResponse();
      assertThat(r.getErrorStatus()).isEqualTo(PDU.genErr);
      assertThat(warnings).containsExactly("cannot read the reporting values for SNMP: database is down");
    }
  }

  /** The OIDs of the parameters {@link #metrics} has data for, and the discontinuity time, in OID order. */
  String[] withData() {
    List<String> oids = new ArrayList<>(OidLayout.mapped().stream()
        .filter(p -> metrics.latest.containsKey(p.name()) || metrics.totals.getOrDefault(p.name(), 0.0) > 0)
        .map(p -> oid(p.name())).toList());
    oids.add(DISCONTINUITY);
    return oids.toArray(String[]::new);
  }
}
