package io.mailops.snmp;

import static org.assertj.core.api.Assertions.assertThat;

import io.mailops.reporting.Parameter;
import io.mailops.reporting.series.MetricsView;
import io.mailops.reporting.series.ScopeRef;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.snmp4j.PDU;
import org.snmp4j.smi.Counter64;
import org.snmp4j.smi.Gauge32;
import org.snmp4j.smi.Null;
import org.snmp4j.smi.OID;
import org.snmp4j.smi.OctetString;
import org.snmp4j.smi.Variable;
import org.snmp4j.smi.VariableBinding;

/** The per-domain and per-account tables against a metrics view with domain and account samples. */
class AgentTablesTest {

  static final String BASE = SnmpSettings.DEFAULT_BASE_OID;
  static final String DOMAIN_ENTRY = BASE + ".1.10.1";
  static final String ACCOUNT_ENTRY = BASE + ".1.11.1";

  /** Samples and totals by scope; the catalog lists every scope with data. */
  static final class ScopedMetrics implements MetricsView, ScopeCatalog {
    final Map<ScopeRef, Map<String, Double>> latest = new ConcurrentHashMap<>();
    final Map<ScopeRef, Map<String, Double>> totals = new ConcurrentHashMap<>();

    void put(String scope, String parameter, double latestValue, double total) {
      ScopeRef s = ScopeRef.parse(scope);
      latest.computeIfAbsent(s, k -> new ConcurrentHashMap<>()).put(parameter, latestValue);
      if (total >= 0) {
        totals.computeIfAbsent(s, k -> new ConcurrentHashMap<>()).put(parameter, total);
      }
    }

    @Override
    public Map<String, Double> latest(ScopeRef scope) {
      return Map.copyOf(latest.getOrDefault(scope, Map.of()));
    }

    @Override
    public double total(String parameter, ScopeRef scope) {
      return totals.getOrDefault(scope, Map.of()).getOrDefault(parameter, 0.0);
    }

    @Override
    public List<ScopeRef> scopes(Parameter.Scope kind) {
      return latest.keySet().stream().filter(s -> s.kind() == kind).toList();
    }
  }

  final ScopedMetrics metrics = new ScopedMetrics();
  final List<String> warnings = new CopyOnWriteArrayList<>();
  final List<MailOpsAgent> agents = new ArrayList<>();
  final TestManager manager = new TestManager();

  AgentTablesTest() throws IOException {
    metrics.put("server", "queue.total", 5, -1);
    metrics.put("domain:example.com", "smtp.out.delivered", 2, 120);
    metrics.put("domain:example.com", "storage.used", 2048, -1);
    metrics.put("domain:example.org", "smtp.in.accepted", 1, 7);
    metrics.put("account:alice@example.com", "imap.logins", 1, 33);
    metrics.put("account:bob@example.com", "imap.logins", 0, 3);
    metrics.put("account:carol@example.org", "pop3.logins", 0, 4);
  }

  @AfterEach
  void stop() throws IOException {
    manager.close();
    agents.forEach(MailOpsAgent::close);
  }

  MailOpsAgent start(int accountRows, Path state) throws IOException {
    MailOpsAgent a = MailOpsAgent.start(new SnmpSettings("udp:127.0.0.1/0", List.of("public"), BASE, List.of(),
        TrapSettings.NONE, state, accountRows), metrics, metrics, Clock.systemUTC(), warnings::add);
    agents.add(a);
    return a;
  }

  static String col(String entry, List<String> columns, String parameter, int index) {
    return entry + "." + OidLayout.column(columns, parameter) + "." + index;
  }

  /** The rows as name → (column OID suffix → value), from a walk. */
  static Map<String, Map<Integer, Variable>> rows(List<VariableBinding> walk, String entry) {
    Map<Integer, String> names = new HashMap<>();
    Map<Integer, Map<Integer, Variable>> byIndex = new HashMap<>();
    int prefix = new OID(entry).size();
    for (VariableBinding vb : walk) {
      int column = vb.getOid().get(prefix);
      int index = vb.getOid().get(prefix + 1);
      if (column == 2) {
        names.put(index, vb.getVariable().toString());
      }
      byIndex.computeIfAbsent(index, k -> new HashMap<>()).put(column, vb.getVariable());
    }
    Map<String, Map<Integer, Variable>> out = new HashMap<>();
    byIndex.forEach((i, cols) -> out.put(names.get(i), cols));
    return out;
  }

  @Test
  void theDomainTableShouldHoldEveryDomainWithItsCounterTotalsAndGaugeLevels() throws IOException {
    MailOpsAgent a = start(10, null);
    var target = TestManager.v2c(a.listenAddress(), "public");
    List<VariableBinding> walk = manager.walk(target, DOMAIN_ENTRY);
    Map<String, Map<Integer, Variable>> rows = rows(walk, DOMAIN_ENTRY);
    assertThat(rows).containsOnlyKeys("example.com", "example.org");
    List<String> cols = OidLayout.DOMAIN_COLUMNS;
    for (String domain : rows.keySet()) {
      ScopeRef scope = ScopeRef.parse("domain:" + domain);
      for (String c : cols) {
        Parameter p = Parameter.byName(c).orElseThrow();
        Variable v = rows.get(domain).get(OidLayout.column(cols, c));
        if (p.type() == Parameter.Type.COUNTER) {
          assertThat(v).as(domain + " " + c).isEqualTo(new Counter64((long) metrics.total(c, scope)));
        } else if (metrics.latest(scope).containsKey(c)) {
          assertThat(v).as(domain + " " + c).isEqualTo(new Gauge32(metrics.latest(scope).get(c).longValue()));
        } else {
          assertThat(v).as(domain + " " + c + " has no sample").isNull();
        }
      }
    }
    assertThat(rows.get("example.com").get(OidLayout.column(cols, "smtp.out.delivered"))).isEqualTo(new Counter64(120));
    assertThat(manager.bulkWalk(target, DOMAIN_ENTRY)).isEqualTo(walk);
  }

  @Test
  void getOfACellShouldAnswerItAndAGaugeWithoutSampleNoSuchInstance() throws IOException {
    MailOpsAgent a = start(10, null);
    var target = TestManager.v2c(a.listenAddress(), "public");
    List<VariableBinding> names = manager.walk(target, DOMAIN_ENTRY + ".2");
    int org = names.stream().filter(vb -> vb.getVariable().toString().equals("example.org")).findFirst().orElseThrow()
        .getOid().last();
    PDU r = manager.get(target, col(DOMAIN_ENTRY, OidLayout.DOMAIN_COLUMNS, "smtp.in.accepted", org),
        col(DOMAIN_ENTRY, OidLayout.DOMAIN_COLUMNS, "storage.used", org), DOMAIN_ENTRY + ".2." + org);
    assertThat(r.get(0).getVariable()).isEqualTo(new Counter64(7));
    assertThat(r.get(1).getVariable()).isIn(Null.noSuchInstance, Null.noSuchObject);
    assertThat(r.get(2).getVariable()).isEqualTo(new OctetString("example.org"));
  }

  @Test
  void theAccountTableShouldBeCappedAtTheConfiguredRows() throws IOException {
    MailOpsAgent a = start(2, null);
    var target = TestManager.v2c(a.listenAddress(), "public");
    Map<String, Map<Integer, Variable>> rows = rows(manager.walk(target, ACCOUNT_ENTRY), ACCOUNT_ENTRY);
    assertThat(rows).hasSize(2);
    rows.forEach((name, cols) -> {
      ScopeRef s = ScopeRef.parse("account:" + name);
      assertThat(cols.get(OidLayout.column(OidLayout.ACCOUNT_COLUMNS, "imap.logins")))
          .isEqualTo(new Counter64((long) metrics.total("imap.logins", s)));
    });
  }

  @Test
  void aWalkFromTheObjectsRootShouldReachTheTablesOnTheFirstRequest() throws IOException {
    MailOpsAgent a = start(10, null);
    List<VariableBinding> walk = manager.walk(TestManager.v2c(a.listenAddress(), "public"), BASE + ".1.10");
    assertThat(rows(walk, DOMAIN_ENTRY)).containsOnlyKeys("example.com", "example.org");
  }

  @Test
  void domainsThatAppearLaterShouldGetARowAfterTheTimeToLive() throws Exception {
    metrics.latest.keySet().removeIf(s -> s.kind() == Parameter.Scope.DOMAIN);
    MailOpsAgent a = start(10, null);
    var target = TestManager.v2c(a.listenAddress(), "public");
    assertThat(manager.walk(target, DOMAIN_ENTRY)).isEmpty();
    metrics.put("domain:late.example", "smtp.out.delivered", 1, 5);
    long end = System.nanoTime() + 30_000_000_000L;
    Map<String, Map<Integer, Variable>> rows = Map.of();
    while (rows.isEmpty() && System.nanoTime() < end) {
      Thread.sleep(500);
      rows = rows(manager.walk(target, BASE + ".1.10"), DOMAIN_ENTRY);
    }
    assertThat(rows).containsOnlyKeys("late.example");
  }

  @Test
  void zeroAccountRowsShouldLeaveTheAccountTableEmpty() throws IOException {
    MailOpsAgent a = start(0, null);
    assertThat(manager.walk(TestManager.v2c(a.listenAddress(), "public"), ACCOUNT_ENTRY)).isEmpty();
    assertThat(manager.walk(TestManager.v2c(a.listenAddress(), "public"), DOMAIN_ENTRY)).isNotEmpty();
  }

  @Test
  void rowIndexesShouldSurviveARestartWithTheSameStateDirectory(@TempDir Path state) throws IOException {
    MailOpsAgent first = start(10, state);
    Map<String, Integer> before = indexes(first);
    String engine = first.engineId();
    first.close();
    agents.remove(first);
    metrics.put("domain:aaa.example", "smtp.out.delivered", 1, 1);
    MailOpsAgent second = start(10, state);
    Map<String, Integer> after = indexes(second);
    assertThat(after).containsAllEntriesOf(before).containsKey("aaa.example");
    assertThat(after.get("aaa.example")).isGreaterThan(before.values().stream().max(Integer::compare).orElseThrow());
    assertThat(second.engineId()).as("the engine ID persists too").isEqualTo(engine);
  }

  Map<String, Integer> indexes(MailOpsAgent a) throws IOException {
    Map<String, Integer> out = new HashMap<>();
    for (VariableBinding vb : manager.walk(TestManager.v2c(a.listenAddress(), "public"), DOMAIN_ENTRY + ".2")) {
      out.put(vb.getVariable().toString(), vb.getOid().last());
    }
    return out;
  }
}
