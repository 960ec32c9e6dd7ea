package io.mailops.snmp;

import static org.assertj.core.api.Assertions.assertThat;

import io.mailops.reporting.Parameter;
import io.mailops.reporting.collect.MinuteBatch;
import io.mailops.reporting.series.ScopeRef;
import io.mailops.reporting.store.JdbcSampleStore;
import io.mailops.storage.interop.InteropEnv;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * net-snmp against the agent ({@code scripts/interop/netsnmp.sh start DIR}, {@code MAILOPS_INTEROP_DIR}):
 * snmpwalk, snmpbulkwalk and snmpget over v2c and v3 authPriv show what the reporting store holds;
 * wrong v3 keys get nothing; snmptrapd receives started, queue-high and shutdown as v2c (with the
 * configured community) and v3; smilint and snmptranslate accept the generated MIB.
 */
class NetSnmpInteropIT {

  static final String BASE = SnmpSettings.DEFAULT_BASE_OID;

  @TempDir
  Path tmp;

  Map<String, String> env;
  JdbcSampleStore store;
  final List<String> warnings = new CopyOnWriteArrayList<>();
  final List<ScopeRef> scopes = List.of(ScopeRef.parse("domain:example.com"), ScopeRef.parse("domain:example.org"));
  MailOpsAgent agent;
  Process trapd;

  @BeforeEach
  void setUp() throws IOException {
    env = InteropEnv.read("netsnmp", "SNMPGET", "SNMPWALK", "SNMPBULKWALK", "SNMPTRANSLATE", "SNMPTRAPD", "SMILINT",
        "NETSNMP_MIBS");
    JdbcDataSource ds = new JdbcDataSource();
    ds.setURL("jdbc:h2:mem:netsnmp" + System.nanoTime() + ";DB_CLOSE_DELAY=-1");
    store = new JdbcSampleStore(ds);
    store.createSchema();
    MinuteBatch b = new MinuteBatch();
    Instant now = Instant.now();
    b.set(p("queue.total"), ScopeRef.SERVER, now, 250);
    b.set(p("queue.deferred"), ScopeRef.SERVER, now, 40);
    b.set(p("collector.last_run"), ScopeRef.SERVER, now, now.getEpochSecond());
    b.add(p("smtp.out.delivered"), ScopeRef.SERVER, now.minusSeconds(120), 1000);
    b.add(p("smtp.out.delivered"), ScopeRef.SERVER, now, 234);
    b.add(p("collector.unparsed_lines"), ScopeRef.SERVER, now, 5_000_000_000.0);
    b.add(p("smtp.out.delivered"), scopes.get(0), now, 34);
    b.set(p("storage.used"), scopes.get(0), now, 2048);
    b.add(p("smtp.in.accepted"), scopes.get(1), now, 7);
    store.commit(b, List.of());
  }

  @AfterEach
  void tearDown() throws Exception {
    if (agent != null) {
      agent.close();
    }
    if (trapd != null) {
      trapd.destroy();
      trapd.waitFor(10, TimeUnit.SECONDS);
    }
  }

  static Parameter p(String name) {
    return Parameter.byName(name).orElseThrow();
  }

  MailOpsAgent start(TrapSettings traps) throws IOException {
    agent = MailOpsAgent.start(new SnmpSettings("udp:127.0.0.1/0", List.of("public"), BASE,
        List.of(new SnmpUser("noc", SnmpUser.Auth.SHA256, "authpass123", SnmpUser.Priv.AES128, "privpass123"),
            new SnmpUser("old", SnmpUser.Auth.SHA, "authpass456", SnmpUser.Priv.AES128, "privpass456")),
        traps, tmp.resolve("state"), 100), store, kind -> scopes, Clock.systemUTC(), warnings::add);
    return agent;
  }

  String agentAddress() {
    return "udp:" + agent.listenAddress().replace('/', ':');
  }

  /** What the metrics API says every object of the subtree should show, by numeric OID, as net-snmp prints it. */
  Map<String, String> expected() throws IOException {
    Map<String, String> out = new LinkedHashMap<>();
    Map<String, Double> latest = store.latest(ScopeRef.SERVER);
    for (Parameter q : OidLayout.mapped()) {
      String oid = "." + OidLayout.instanceOid(BASE, q).orElseThrow();
      if (q.type() == Parameter.Type.COUNTER) {
        double total = store.total(q.name(), ScopeRef.SERVER);
        if (latest.containsKey(q.name()) || total > 0) {
          out.put(oid, "Counter64: " + Math.round(total));
        }
      } else if (latest.containsKey(q.name())) {
        out.put(oid, "Gauge32: " + Math.round(latest.get(q.name())));
      }
    }
    out.put("." + BASE + ".1.7.8.0", "Timeticks: (0) 0:00:00.00");
    String entry = "." + OidLayout.entryOid(BASE, OidLayout.DOMAIN_TABLE);
    // rows get indexes 1, 2 in the order the agent first saw them: the catalog's order
    for (int column = 2; column < OidLayout.DOMAIN_COLUMNS.size() + 3; column++) {
      for (int row = 0; row < scopes.size(); row++) {
        ScopeRef s = scopes.get(row);
        String oid = entry + "." + column + "." + (row + 1);
        if (column == 2) {
          out.put(oid, "STRING: \"" + s.name() + "\"");
          continue;
        }
        Parameter q = p(OidLayout.DOMAIN_COLUMNS.get(column - 3));
        if (q.type() == Parameter.Type.COUNTER) {
          out.put(oid, "Counter64: " + Math.round(store.total(q.name(), s)));
        } else if (store.latest(s).containsKey(q.name())) {
          out.put(oid, "Gauge32: " + Math.round(store.latest(s).get(q.name())));
        }
      }
    }
    return out;
  }

  /** Runs a tool; stdout, with stderr appended after a marker line when the tool wrote any. */
  static Result run(List<String> command, Map<String, String> extraEnv) throws IOException, InterruptedException {
    ProcessBuilder pb = new ProcessBuilder(command);
    pb.environment().put("MIBS", "");
    pb.environment().putAll(extraEnv);
    Path err = Files.createTempFile("netsnmp", ".err");
    pb.redirectError(err.toFile());
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).as(String.join(" ", command)).isTrue();
    String errText = Files.readString(err);
    Files.delete(err);
    return new Result(p.exitValue(), out, errText);
  }

  record Result(int code, String out, String err) {
    /** The {@code OID = TYPE: VALUE} lines of {@code -On} output, by OID. */
    Map<String, String> values() {
      Map<String, String> m = new LinkedHashMap<>();
      for (String line : out.split("\n")) {
        int eq = line.indexOf(" = ");
        if (eq > 0) {
          m.put(line.substring(0, eq), line.substring(eq + 3));
        }
      }
      return m;
    }
  }

  List<String> v3(String tool, String user, String auth, String authPass, String privPass) {
    return new ArrayList<>(List.of(env.get(tool), "-v3", "-l", "authPriv", "-u", user, "-a", auth, "-A", authPass,
        "-x", "AES", "-X", privPass, "-On", "-t", "2", "-r", "1", agentAddress()));
  }

  @Test
  void walkBulkwalkAndGetOverV2cShouldShowWhatTheStoreHolds() throws Exception {
    start(TrapSettings.NONE);
    Map<String, String> expected = expected();
    Result walk = run(List.of(env.get("SNMPWALK"), "-v2c", "-c", "public", "-On", agentAddress(), "." + BASE), Map.of());
    assertThat(walk.code()).as(walk.err()).isZero();
    assertThat(walk.values()).containsExactlyEntriesOf(expected);
    Result bulk = run(List.of(env.get("SNMPBULKWALK"), "-v2c", "-c", "public", "-On", "-Cr25", agentAddress(),
        "." + BASE), Map.of());
    assertThat(bulk.values()).containsExactlyEntriesOf(expected);
    String delivered = "." + BASE + ".1.2.1.0";
    Result get = run(List.of(env.get("SNMPGET"), "-v2c", "-c", "public", "-On", agentAddress(), delivered,
        "." + BASE + ".1.3.1.0", ".1.3.6.1.2.1.1.1.0"), Map.of());
    assertThat(get.values()).containsEntry(delivered, "Counter64: 1234").containsEntry("." + BASE + ".1.3.1.0",
        "Gauge32: 250");
    assertThat(get.values().get(".1.3.6.1.2.1.1.1.0")).contains("mailops");
    Result wrong = run(List.of(env.get("SNMPGET"), "-v2c", "-c", "private", "-On", "-t", "1", "-r", "0",
        agentAddress(), delivered), Map.of());
    assertThat(wrong.code()).isNotZero();
    assertThat(wrong.err()).contains("Timeout");
  }

  @Test
  void v3AuthPrivWithSha256AndShaShouldShowTheSameValuesAndWrongKeysNothing() throws Exception {
    start(TrapSettings.NONE);
    Map<String, String> expected = expected();
    List<String> walk = v3("SNMPBULKWALK", "noc", "SHA-256", "authpass123", "privpass123");
    walk.add("." + BASE);
    Result r = run(walk, Map.of());
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.values()).containsExactlyEntriesOf(expected);
    List<String> old = v3("SNMPWALK", "old", "SHA", "authpass456", "privpass456");
    old.add("." + BASE);
    assertThat(run(old, Map.of()).values()).containsExactlyEntriesOf(expected);
    List<String> wrongAuth = v3("SNMPGET", "noc", "SHA-256", "wrongpass123", "privpass123");
    wrongAuth.add("." + BASE + ".1.3.1.0");
    Result refused = run(wrongAuth, Map.of());
    assertThat(refused.code()).isNotZero();
    assertThat(refused.out()).doesNotContain("Gauge32");
    assertThat(refused.err()).containsAnyOf("Authentication failure", "Timeout", "authorizationError");
    List<String> wrongPriv = v3("SNMPGET", "noc", "SHA-256", "authpass123", "wrongpriv123");
    wrongPriv.add("." + BASE + ".1.3.1.0");
    Result refusedPriv = run(wrongPriv, Map.of());
    assertThat(refusedPriv.out()).doesNotContain("Gauge32");
    List<String> noPriv = new ArrayList<>(List.of(env.get("SNMPGET"), "-v3", "-l", "authNoPriv", "-u", "noc", "-a",
        "SHA-256", "-A", "authpass123", "-On", "-t", "2", "-r", "0", agentAddress(), "." + BASE + ".1.3.1.0"));
    Result authNoPriv = run(noPriv, Map.of());
    assertThat(authNoPriv.out()).doesNotContain("Gauge32");
  }

  @Test
  void snmptrapdShouldReceiveStartedQueueHighAndShutdownAsV2cWithTheCommunityAndAsV3() throws Exception {
    int port = freePortInOurRange();
    start(TrapSettings.NONE.withTargets(List.of(TrapTarget.v2c("udp:127.0.0.1/" + port, "trapc"),
        TrapTarget.v3("udp:127.0.0.1/" + port, "noc"))).withAlarms(100, Duration.ZERO, Duration.ofMillis(300)));
    Path dir = Files.createDirectories(tmp.resolve("trapd"));
    Path log = dir.resolve("traps.log");
    Files.writeString(dir.resolve("trapd.conf"), String.join("\n",
        "authCommunity log trapc",
        "createUser -e 0x" + agent.engineId() + " noc SHA-256 authpass123 AES privpass123",
        "authUser log noc priv",
        "format2 TRAP %P\\n%v\\n",
        ""));
    ProcessBuilder pb = new ProcessBuilder(env.get("SNMPTRAPD"), "-f", "-Lf", log.toString(), "-C", "-c",
        dir.resolve("trapd.conf").toString(), "-On", "-p", dir.resolve("trapd.pid").toString(), "udp:127.0.0.1:" + port);
    pb.environment().put("SNMP_PERSISTENT_DIR", dir.resolve("persist").toString());
    pb.environment().put("MIBS", "");
    pb.redirectErrorStream(true).redirectOutput(dir.resolve("trapd.out").toFile());
    trapd = pb.start();
    awaitLog(log, "NET-SNMP version", Duration.ofSeconds(10));
    agent.sendStarted();
    String startedV2c = awaitLog(log, "." + BASE + ".0.1", Duration.ofSeconds(10));
    assertThat(startedV2c).contains("." + BASE + ".1.3.1.0 = Gauge32: 250");
    awaitCount(log, "." + BASE + ".0.1", 2, Duration.ofSeconds(10));
    String queueHigh = awaitLog(log, "." + BASE + ".0.4", Duration.ofSeconds(10));
    assertThat(queueHigh).contains("." + BASE + ".1.12.4.0 = Gauge32: 100");
    agent.sendShutdown();
    awaitCount(log, "." + BASE + ".0.3", 2, Duration.ofSeconds(10));
    String all = Files.readString(log);
    assertThat(all).contains("TRAP2, SNMP v2c").contains("TRAP2, SNMP v3").contains("1.3.6.1.6.3.1.1.5.1");
    agent.close();
    agent = null;
  }

  @Test
  void snmpdWithTheProxyDirectiveShouldServeOurSubtreeOnItsPort() throws Exception {
    start(TrapSettings.NONE);
    int port = freePortInOurRange();
    Path dir = Files.createDirectories(tmp.resolve("proxy"));
    Files.writeString(dir.resolve("snmpd.conf"), String.join("\n",
        "agentAddress udp:127.0.0.1:" + port,
        "rocommunity noc 127.0.0.1",
        "proxy -v 2c -c public " + agent.listenAddress().replace('/', ':') + " ." + BASE,
        ""));
    ProcessBuilder pb = new ProcessBuilder(env.getOrDefault("SNMPD", "/usr/sbin/snmpd"), "-f", "-C", "-c",
        dir.resolve("snmpd.conf").toString(), "-Lf", dir.resolve("snmpd.log").toString(), "-p",
        dir.resolve("snmpd.pid").toString());
    pb.environment().put("SNMP_PERSISTENT_DIR", dir.resolve("persist").toString());
    pb.environment().put("MIBS", "");
    pb.redirectErrorStream(true).redirectOutput(dir.resolve("snmpd.out").toFile());
    Process snmpd = pb.start();
    try {
      String via = "udp:127.0.0.1:" + port;
      Result walk = null;
      for (int i = 0; i < 50; i++) {
        walk = run(List.of(env.get("SNMPWALK"), "-v2c", "-c", "noc", "-On", "-t", "1", "-r", "0", via, "." + BASE),
            Map.of());
        if (walk.code() == 0 && !walk.values().isEmpty()) {
          break;
        }
        Thread.sleep(200);
      }
      assertThat(walk.values()).as(walk.err()).containsExactlyEntriesOf(expected());
    } finally {
      snmpd.destroy();
      snmpd.waitFor(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void smilintShouldSayNothingAndSnmptranslateShouldLoadTheMib() throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("mib"));
    Files.writeString(dir.resolve("MAILOPS-MIB.txt"), MibGenerator.mib(BASE));
    Result lint = run(List.of(env.get("SMILINT"), "-l", "6", "-s", dir.resolve("MAILOPS-MIB.txt").toString()),
        Map.of("SMIPATH", env.get("NETSNMP_MIBS") + ":" + dir));
    assertThat(lint.out() + lint.err()).isEmpty();
    Result tr = run(List.of(env.get("SNMPTRANSLATE"), "-M", "+" + env.get("NETSNMP_MIBS") + ":" + dir, "-m",
        "+MAILOPS-MIB", "-On", "MAILOPS-MIB::moJobFailed", "MAILOPS-MIB::moDomainSmtpOutDelivered",
        "MAILOPS-MIB::moCountersDiscontinuityTime"), Map.of());
    assertThat(tr.out()).contains("." + BASE + ".0.6").contains("." + BASE + ".1.10.1.8")
        .contains("." + BASE + ".1.7.8");
  }

  static String awaitLog(Path log, String text, Duration wait) throws Exception {
    long end = System.nanoTime() + wait.toNanos();
    while (System.nanoTime() < end) {
      if (Files.exists(log)) {
        for (String block : Files.readString(log).split("(?=TRAP)")) {
          if (block.contains(text)) {
            return block;
          }
        }
      }
      Thread.sleep(100);
    }
    throw new AssertionError("no '" + text + "' in " + log + " within " + wait + ":\n"
        + (Files.exists(log) ? Files.readString(log) : "(no log)"));
  }

  static void awaitCount(Path log, String text, int count, Duration wait) throws Exception {
    long end = System.nanoTime() + wait.toNanos();
    while (System.nanoTime() < end) {
      if (Files.exists(log) && Files.readString(log).split(java.util.regex.Pattern.quote("OID: " + text + "\t"), -1).length - 1
          >= count) {
        return;
      }
      Thread.sleep(100);
    }
    throw new AssertionError("fewer than " + count + " '" + text + "' in " + log + ":\n" + Files.readString(log));
  }

  /** A free UDP port in 31100-31199 (the range this suite's servers use). */
  static int freePortInOurRange() throws IOException {
    for (int port = 31170; port < 31200; port++) {
      try (DatagramSocket s = new DatagramSocket(port, InetAddress.getLoopbackAddress())) {
        return s.getLocalPort();
      } catch (IOException taken) {
        // next
      }
    }
    throw new IOException("no free UDP port in 31170-31199");
  }
}
