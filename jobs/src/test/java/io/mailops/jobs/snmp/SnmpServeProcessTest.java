package io.mailops.jobs.snmp;

import static org.assertj.core.api.Assertions.assertThat;

import io.mailops.jobs.CliResult;
import io.mailops.reporting.Parameter;
import io.mailops.reporting.collect.MinuteBatch;
import io.mailops.reporting.series.ScopeRef;
import io.mailops.reporting.store.JdbcSampleStore;
import io.mailops.snmp.OidLayout;
import io.mailops.snmp.SnmpSettings;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.snmp4j.CommandResponder;
import org.snmp4j.CommandResponderEvent;
import org.snmp4j.CommunityTarget;
import org.snmp4j.PDU;
import org.snmp4j.ScopedPDU;
import org.snmp4j.Snmp;
import org.snmp4j.UserTarget;
import org.snmp4j.mp.MPv3;
import org.snmp4j.mp.SnmpConstants;
import org.snmp4j.security.AuthHMAC192SHA256;
import org.snmp4j.security.PrivAES128;
import org.snmp4j.security.SecurityLevel;
import org.snmp4j.security.SecurityModels;
import org.snmp4j.security.SecurityProtocols;
import org.snmp4j.security.USM;
import org.snmp4j.security.UsmUser;
import org.snmp4j.smi.Address;
import org.snmp4j.smi.Counter64;
import org.snmp4j.smi.Gauge32;
import org.snmp4j.smi.GenericAddress;
import org.snmp4j.smi.OID;
import org.snmp4j.smi.OctetString;
import org.snmp4j.smi.UdpAddress;
import org.snmp4j.smi.VariableBinding;
import org.snmp4j.transport.DefaultUdpTransportMapping;

/**
 * {@code mailops snmp serve} as a real process over a report database: values over v2c and v3,
 * started/reloaded/shutdown/queue-high traps with the configured community, {@code mailops snmp
 * reload}.
 */
class SnmpServeProcessTest {

  static final String BASE = SnmpSettings.DEFAULT_BASE_OID;

  @TempDir
  Path tmp;

  final Map<String, String> env = new HashMap<>();
  final BlockingQueue<String[]> traps = new LinkedBlockingQueue<>();
  Snmp snmp;
  int trapPort;
  Process serve;
  Path config;

  @BeforeEach
  void setUp() throws IOException {
    env.put("MAILOPS_HOME", tmp.resolve("home").toString());
    SecurityProtocols.getInstance().addDefaultProtocols();
    USM usm = new USM(SecurityProtocols.getInstance(), new OctetString(MPv3.createLocalEngineID()), 0);
    SecurityModels.getInstance().addSecurityModel(usm);
    DefaultUdpTransportMapping transport = new DefaultUdpTransportMapping(new UdpAddress("127.0.0.1/0"));
    snmp = new Snmp(transport);
    snmp.addCommandResponder(new CommandResponder() {
      @Override
      public <A extends Address> void processPdu(CommandResponderEvent<A> e) {
        if (e.getPDU() != null && e.getPDU().getType() == PDU.TRAP) {
          traps.add(new String[] {new String(e.getSecurityName(), StandardCharsets.UTF_8),
              String.valueOf(e.getPDU().getVariable(SnmpConstants.snmpTrapOID)),
              String.valueOf(e.getPDU().getVariable(new OID(BASE + ".1.3.1.0")))});
        }
      }
    });
    snmp.listen();
    trapPort = transport.getListenAddress().getPort();
    usm.addUser(new UsmUser(new OctetString("noc"), AuthHMAC192SHA256.ID, new OctetString("authpass123"),
        PrivAES128.ID, new OctetString("privpass123")));
    fillReportDatabase();
  }

  @AfterEach
  void tearDown() throws Exception {
    if (serve != null && serve.isAlive()) {
      serve.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
    snmp.close();
  }

  String dbUrl() {
    return "jdbc:h2:file:" + tmp.resolve("db/report") + ";AUTO_SERVER=TRUE";
  }

  void fillReportDatabase() throws IOException {
    JdbcDataSource ds = new JdbcDataSource();
    ds.setURL(dbUrl());
    ds.setUser("sa");
    JdbcSampleStore store = new JdbcSampleStore(ds);
    store.createSchema();
    MinuteBatch b = new MinuteBatch();
    Instant now = Instant.now();
    b.set(Parameter.byName("queue.total").orElseThrow(), ScopeRef.SERVER, now, 250);
    b.add(Parameter.byName("smtp.out.delivered").orElseThrow(), ScopeRef.SERVER, now, 1234);
    b.add(Parameter.byName("smtp.out.delivered").orElseThrow(), ScopeRef.parse("domain:example.com"), now, 34);
    store.commit(b, List.of());
  }

  void writeConfig(String community) throws IOException {
    Files.writeString(tmp.resolve("noc.auth"), "authpass123\n");
    Files.writeString(tmp.resolve("noc.priv"), "privpass123\n");
    config = Files.writeString(tmp.resolve("mailops.yml"), String.join("\n",
        "mailops:",
        "  snmp:",
        "    community: " + community,
        "    users:",
        "      - name: noc",
        "        auth: SHA-256",
        "        auth-password-file: " + tmp.resolve("noc.auth"),
        "        priv: AES-128",
        "        priv-password-file: " + tmp.resolve("noc.priv"),
        "    traps:",
        "      queue-high: 100",
        "      check-every: 200ms",
        "spring:",
        "  datasource:",
        "    url: \"" + dbUrl() + "\"",
        ""));
  }

  /** The next line of the process's output that starts with {@code prefix}, skipping log lines. */
  static String lineStarting(BufferedReader out, String prefix) throws IOException {
    StringBuilder seen = new StringBuilder();
    for (String line = out.readLine(); line != null; line = out.readLine()) {
      if (line.startsWith(prefix)) {
        return line;
      }
      seen.append(line).append('\n');
    }
    throw new AssertionError("no line starting with '" + prefix + "'; the process said:\n" + seen);
  }

  static int freePort() throws IOException {
    try (DatagramSocket s = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  String[] trap(String notification) throws InterruptedException {
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
    while (System.nanoTime() < end) {
      String[] t = traps.poll(end - System.nanoTime(), TimeUnit.NANOSECONDS);
      if (t != null && t[1].equals(BASE + ".0." + OidLayout.Notification.valueOf(notification).number())) {
        return t;
      }
    }
    return null;
  }

  /** A v2c GET, patient enough for a loaded CI machine (up to 3 tries of 3 s). */
  PDU get(String agent, String community, String oid) throws IOException {
    return get(agent, community, oid, 3000, 2);
  }

  PDU get(String agent, String community, String oid, long timeoutMillis, int retries) throws IOException {
    CommunityTarget<UdpAddress> t = new CommunityTarget<>((UdpAddress) GenericAddress.parse(agent),
        new OctetString(community));
    t.setVersion(SnmpConstants.version2c);
    t.setTimeout(timeoutMillis);
    t.setRetries(retries);
    PDU pdu = new PDU();
    pdu.add(new VariableBinding(new OID(oid)));
    return snmp.send(pdu, t).getResponse();
  }

  @Test
  void serveShouldAnswerTheStoredValuesSendItsTrapsAndReloadOnRequest() throws Exception {
    writeConfig("public");
    String agent = "udp:127.0.0.1/" + freePort();
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), "io.mailops.jobs.MailOpsCli", "--config", config.toString(),
        "snmp", "serve", "--listen", agent, "--trap-target", "udp:127.0.0.1/" + trapPort, "--trap-community", "trapc"));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    pb.environment().put("MAILOPS_HOME", env.get("MAILOPS_HOME"));
    serve = pb.start();
    BufferedReader out = new BufferedReader(new InputStreamReader(serve.getInputStream(), StandardCharsets.UTF_8));
    assertThat(lineStarting(out, "serving ")).contains("1 v2c community, 1 v3 user(s)");

    String[] started = trap("STARTED");
    assertThat(started).as("moAgentStarted").isNotNull();
    assertThat(started[0]).isEqualTo("trapc");
    assertThat(started[2]).isEqualTo("250");
    assertThat(trap("QUEUE_HIGH")).as("queue 250 > 100").isNotNull();

    assertThat(get(agent, "public", BASE + ".1.2.1.0").get(0).getVariable()).isEqualTo(new Counter64(1234));
    assertThat(get(agent, "public", BASE + ".1.10.1.8.1").get(0).getVariable()).isEqualTo(new Counter64(34));
    UserTarget<UdpAddress> v3 = new UserTarget<>();
    v3.setAddress((UdpAddress) GenericAddress.parse(agent));
    v3.setSecurityName(new OctetString("noc"));
    v3.setSecurityLevel(SecurityLevel.AUTH_PRIV);
    v3.setVersion(SnmpConstants.version3);
    v3.setTimeout(5000);
    v3.setRetries(2);
    ScopedPDU pdu = new ScopedPDU();
    pdu.add(new VariableBinding(new OID(BASE + ".1.3.1.0")));
    assertThat(snmp.send(pdu, v3).getResponse().get(0).getVariable()).isEqualTo(new Gauge32(250));

    writeConfig("newcommunity");
    CliResult r = CliResult.run(env, config, "snmp", "reload");
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).contains("to reload mailops.yml");
    assertThat(lineStarting(out, "reloaded: ")).startsWith("reloaded: 1 v2c community, 1 v3 user(s)");
    assertThat(trap("RELOADED")).as("moAgentReloaded").isNotNull();
    assertThat(get(agent, "public", BASE + ".1.3.1.0", 1500, 1)).as("the old community is gone").isNull();
    assertThat(get(agent, "newcommunity", BASE + ".1.3.1.0").get(0).getVariable()).isEqualTo(new Gauge32(250));

    serve.destroy();
    assertThat(serve.waitFor(20, TimeUnit.SECONDS)).isTrue();
    String[] shutdown = trap("SHUTDOWN");
    assertThat(shutdown).as("moAgentShutdown before the process ended").isNotNull();
    assertThat(shutdown[0]).isEqualTo("trapc");
    assertThat(tmp.resolve("home/snmp/serve.pid")).doesNotExist();
  }

  @Test
  void reloadWithoutARunningServeShouldSaySo() throws IOException {
    writeConfig("public");
    CliResult r = CliResult.run(env, config, "snmp", "reload");
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err()).isEqualTo("mailops: no 'mailops snmp serve' runs for this MAILOPS_HOME (no pid file "
        + tmp.resolve("home/snmp/serve.pid") + "); start it with 'mailops snmp serve'\n");
  }

  @Test
  void aMissingPasswordFileShouldBeNamed() throws IOException {
    writeConfig("public");
    Files.delete(tmp.resolve("noc.priv"));
    CliResult r = CliResult.run(env, config, "snmp", "serve", "--listen", "udp:127.0.0.1/0");
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err()).startsWith("mailops: cannot read mailops.snmp.users[0].priv-password-file "
        + tmp.resolve("noc.priv") + " (SNMPv3 user noc): ").endsWith("; check the path and that this user may read it\n");
  }

  @Test
  void aBadAuthProtocolShouldNameTheSetting() throws IOException {
    writeConfig("public");
    Files.writeString(config, Files.readString(config).replace("SHA-256", "MD5"));
    CliResult r = CliResult.run(env, config, "snmp", "serve", "--listen", "udp:127.0.0.1/0");
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).isEqualTo("mailops: mailops.snmp.users[0]: auth protocol must be SHA-256, SHA-512 or SHA"
        + " (SHA-1), got MD5\n");
  }

  @Test
  void aTrapTargetWithoutCommunityOrUserShouldNameIt() throws IOException {
    writeConfig("public");
    Files.writeString(config, Files.readString(config).replace("    traps:\n", "    traps:\n      targets:\n"
        + "        - address: udp:192.0.2.1/162\n"));
    CliResult r = CliResult.run(env, config, "snmp", "serve", "--listen", "udp:127.0.0.1/0");
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).isEqualTo("mailops: mailops.snmp.traps.targets[0]: trap target udp:192.0.2.1/162"
        + " needs either a community (v2c) or a user (v3), not neither\n");
  }
}
