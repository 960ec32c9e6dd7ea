package io.mailops.jobs.report;

import static org.assertj.core.api.Assertions.assertThat;

import io.mailops.jobs.CliResult;
import io.mailops.snmp.OidLayout;
import io.mailops.snmp.SnmpSettings;
import io.mailops.storage.interop.InteropEnv;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code mailops report} against real traffic through the harness's Postfix and Dovecot
 * ({@code scripts/interop/all.sh}): SMTP into Postfix, delivery over LMTP into Dovecot for the
 * virtual domain {@code REPORT_DOMAIN}, deferrals at the dead relay, rejects for unknown users and
 * for relaying through the listener that does not trust mynetworks, and good and bad IMAP and POP3
 * logins. The part of both logs written meanwhile is cut out; then {@code mailops report collect
 * --once --from-logs} must count what this test did, and {@code mailops report summary --json}
 * must print the grand totals of {@code pflogsumm} on the same Postfix log. Over the same data,
 * {@code bin/mailops snmp serve} must show net-snmp's tools what {@code mailops report export} shows
 * (with the harness's net-snmp, {@code scripts/interop/netsnmp.sh start DIR}).
 *
 * <p>The other ITs run before or after this one on the same servers (never at the same time), but
 * messages they left deferred are retried meanwhile: counts that such retries can change are
 * checked at the domain scope of this run's own sender domain, or as "at least".
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(180)
class ReportInteropIT {

  private static final Duration SETTLE = Duration.ofSeconds(60);
  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final Pattern QUEUED_AS = Pattern.compile("queued as ([0-9A-Za-z]+)");
  /** The UDP ports the SNMP agent and snmptrapd of this IT may take. */
  private static final int AGENT_PORTS_FROM = 32171;
  private static final int AGENT_PORTS_TO = 32199;

  // What this test does (asserted against below)
  private static final int ACCEPTED = 10;
  private static final int DELIVERED = 8;
  private static final int DEFERRED = 3;
  private static final int UNKNOWN_USER = 2;
  private static final int RELAY_DENIED = 2;
  /** Two with traffic, one held open during the live sample. */
  private static final int SMTP_SESSIONS = 3;
  /** Three with traffic, two held open during the live sample. */
  private static final int IMAP_LOGINS = 5;
  private static final int IMAP_FAILED_ATTEMPTS = 3;
  /** In the first good IMAP session (Dovecot logs them with its mail_log plugin). */
  private static final int IMAP_APPENDS = 2;
  /** Two with traffic, one held open during the live sample. */
  private static final int POP3_LOGINS = 3;
  private static final int POP3_FAILED_ATTEMPTS = 1;

  private Path tmp;

  private String host;
  private String password;
  private String reportDomain;
  private String userA;
  private String userB;
  private String senderDomain;
  private String farDomain;
  private String syslogName;
  private Path mailLog;
  private Path dovecotLog;
  private long pop3BytesRead;
  private Map<String, Long> live;
  private Map<String, Long> liveQueue;
  /** A mailops.yml with which {@code report collect} samples the harness's queue and sessions (the gauges). */
  private String liveYml;
  private final Map<String, Integer> deliveredIds = new LinkedHashMap<>();
  private final List<String> deferredIds = new ArrayList<>();
  private final Map<String, String> env = new HashMap<>();
  private Path config;
  private CliResult collected;

  @BeforeAll
  void driveTrafficThroughPostfixAndDovecot(@TempDir Path dir) throws Exception {
    tmp = dir;
    Map<String, String> pf = InteropEnv.read("postfix", "SMTP_HOST", "SMTP_PORT", "CONFIG_DIR", "MAILLOG");
    Map<String, String> dc = InteropEnv.read("dovecot", "IMAP_HOST", "IMAP_PORT", "POP3_PORT", "DOVECOT_LOG",
        "PASSWORD");
    reportDomain = pf.getOrDefault("REPORT_DOMAIN", "");
    String users = dc.getOrDefault("REPORT_USERS", "");
    if (reportDomain.isEmpty() || users.isEmpty() || !pf.containsKey("NORELAY_PORT")) {
      throw new IllegalStateException("the harness has no LMTP delivery, REPORT_USERS or NORELAY_PORT (started"
          + " by an older scripts/interop): restart it with 'scripts/interop/all.sh stop DIR; ... install; ... start DIR'");
    }
    host = pf.get("SMTP_HOST");
    password = dc.get("PASSWORD");
    syslogName = pf.getOrDefault("SYSLOG_NAME", "postfix");
    userA = users.split(",")[0];
    userB = users.split(",")[1];
    String tag = Long.toString(ThreadLocalRandom.current().nextLong(36L * 36 * 36 * 36 * 36), 36);
    senderDomain = "snd-" + tag + ".test";
    farDomain = "far-" + tag + ".invalid";
    Path maillog = Path.of(pf.get("MAILLOG"));
    Path dovelog = Path.of(dc.get("DOVECOT_LOG"));
    long mailStart = Files.size(maillog);
    long doveStart = Files.size(dovelog);

    smtpTraffic(Integer.parseInt(pf.get("SMTP_PORT")), Integer.parseInt(pf.get("NORELAY_PORT")), tag);
    awaitLog(maillog, mailStart, this::postfixDone, "deliveries and deferrals of " + deliveredIds.keySet() + " "
        + deferredIds);
    liveSample(pf, dc);
    // nothing of this run stays queued for the ITs after it (they count the queue)
    postsuper(Path.of(pf.get("CONFIG_DIR")), deferredIds);

    int imapPort = Integer.parseInt(dc.get("IMAP_PORT"));
    int pop3Port = Integer.parseInt(dc.get("POP3_PORT"));
    // failures first: Dovecot's auth penalty (per client IP) then ends with the good logins
    failedLogins(dc.get("IMAP_HOST"), imapPort, pop3Port, tag);
    goodLogins(dc.get("IMAP_HOST"), imapPort, pop3Port);
    awaitLog(dovelog, doveStart, this::dovecotDone, "Dovecot's login and logout lines");

    mailLog = slice(maillog, mailStart, tmp.resolve("mail.log"));
    dovecotLog = slice(dovelog, doveStart, tmp.resolve("dovecot.log"));
    env.put("MAILOPS_HOME", tmp.resolve("home").toString());
    config = Files.writeString(tmp.resolve("mailops.yml"), "mailops:\n  report:\n    domain-scope: true\n"
        + "    retention-weeks: 520\n");
  }

  /** Empties the INBOXes of the report users (over IMAP, after the logs were cut), so that runs do not pile up mail. */
  @AfterAll
  void emptyTheReportMailboxes() throws Exception {
    if (host == null) {
      return;
    }
    Map<String, String> dc = InteropEnv.read("dovecot", "IMAP_HOST", "IMAP_PORT");
    for (String user : List.of(userA, userB)) {
      try (LineSession s = new LineSession(dc.get("IMAP_HOST"), Integer.parseInt(dc.get("IMAP_PORT")))) {
        s.read();
        assertThat(s.imap("z1", "LOGIN \"" + user + "\" \"" + password + "\"")).startsWith("OK");
        assertThat(s.imap("z2", "SELECT INBOX")).startsWith("OK");
        assertThat(s.imap("z3", "STORE 1:* +FLAGS.SILENT (\\Deleted)")).startsWith("OK");
        assertThat(s.imap("z4", "EXPUNGE")).startsWith("OK");
        s.imap("z5", "LOGOUT");
      }
    }
  }

  // ---------------------------------------------------------------------------------------------

  @Test
  void collectedCountersAreWhatTheTestDid() throws Exception {
    CliResult collect = collected();
    long lines = Files.readAllLines(mailLog).size() + Files.readAllLines(dovecotLog).size();
    assertThat(collect.out()).as(collect.toString()).startsWith("backfilled " + lines + " log lines (");

    Map<String, Long> server = totals("server");
    Map<String, Long> snd = totals("domain:" + senderDomain);
    Map<String, Long> local = totals("domain:" + reportDomain);
    Map<String, Long> far = totals("domain:" + farDomain);
    String what = "server " + server + "\n" + senderDomain + " " + snd + "\n" + reportDomain + " " + local + "\n"
        + farDomain + " " + far + "\nlogs " + mailLog + " " + dovecotLog;

    assertThat(server.get("smtp.in.connections")).as(what).isEqualTo(SMTP_SESSIONS);
    assertThat(server.get("smtp.in.accepted")).as(what).isEqualTo(ACCEPTED);
    assertThat(server.get("smtp.in.rejected")).as(what).isEqualTo(UNKNOWN_USER + RELAY_DENIED);
    assertThat(server.get("smtp.in.rcpt_rejected")).as(what).isEqualTo(UNKNOWN_USER + RELAY_DENIED);
    assertThat(local.get("smtp.in.rejected")).as(what).isEqualTo(UNKNOWN_USER);
    assertThat(far.get("smtp.in.rejected")).as(what).isEqualTo(RELAY_DENIED);
    assertThat(server.get("smtp.out.delivered")).as(what).isEqualTo(DELIVERED);
    assertThat(local.get("smtp.out.delivered")).as(what).isEqualTo(DELIVERED);
    assertThat(snd.get("smtp.out.deferred")).as(what).isEqualTo(DEFERRED);
    assertThat(server.get("smtp.out.deferred")).as(what + "\n(plus retries of other ITs' mail)")
        .isGreaterThanOrEqualTo(DEFERRED);
    assertThat(server.get("queue.inserted")).as(what).isGreaterThanOrEqualTo(ACCEPTED);
    assertThat(server.get("imap.logins")).as(what).isEqualTo(IMAP_LOGINS);
    assertThat(local.get("imap.logins")).as(what).isEqualTo(IMAP_LOGINS);
    assertThat(server.get("imap.login_failures")).as(what).isEqualTo(IMAP_FAILED_ATTEMPTS);
    assertThat(server.get("pop3.logins")).as(what).isEqualTo(POP3_LOGINS);
    assertThat(server.get("pop3.login_failures")).as(what).isEqualTo(POP3_FAILED_ATTEMPTS);
    assertThat(server.get("pop3.bytes_retrieved")).as(what + "\nbytes the POP3 client read in answer to RETR")
        .isEqualTo(pop3BytesRead);
    assertThat(server.get("imap.bytes_out")).as(what).isPositive();
    assertThat(server.get("imap.appends")).as(what).isEqualTo(IMAP_APPENDS);
    assertThat(local.get("imap.appends")).as(what).isEqualTo(IMAP_APPENDS);

    JsonNode summary = summaryJson();
    assertThat(server.get("smtp.in.bytes")).as(what + "\nsummary " + summary)
        .isEqualTo(summary.get("bytes_received").asLong());
    assertThat(server.get("smtp.out.bytes")).as(what + "\nsummary " + summary)
        .isEqualTo(summary.get("bytes_delivered").asLong());

    CliResult again = mailops("report", "collect", "--once", "--from-logs", mailLog.toString(),
        dovecotLog.toString());
    assertThat(again.out()).as("a second backfill of the same logs counts nothing").startsWith("backfilled 0 log lines");
    assertThat(totals("server")).isEqualTo(server);
  }

  @Test
  void liveGaugesShowTheOpenSessionsAndTheQueue() {
    String what = "gauges " + live + ", postqueue -j " + liveQueue;

    assertThat(live.get("smtp.in.active_connections")).as(what).isEqualTo(1);
    assertThat(live.get("imap.active_sessions")).as(what).isEqualTo(2);
    assertThat(live.get("pop3.active_sessions")).as(what).isEqualTo(1);
    assertThat(live.get("queue.total")).as(what).isEqualTo(liveQueue.get("total"));
    assertThat(live.get("queue.deferred")).as(what).isEqualTo(liveQueue.get("deferred"))
        .isGreaterThanOrEqualTo(DEFERRED);
  }

  @Test
  void summaryGrandTotalsEqualPflogsummOnTheSameLog() throws Exception {
    Map<String, Long> theirs = Pflogsumm.grandTotals(mailLog, syslogName);
    JsonNode ours = summaryJson();

    Map<String, Long> mine = new LinkedHashMap<>();
    for (String key : theirs.keySet()) {
      assertThat(ours.has(key)).as("summary --json has " + key + ": " + ours).isTrue();
      mine.put(key, ours.get(key).asLong());
    }
    assertThat(mine).as("mailops report summary --json vs pflogsumm on " + mailLog).isEqualTo(theirs);
  }

  @Test
  void summaryCountsWhatTheTestSent() throws Exception {
    JsonNode s = summaryJson();

    assertThat(s.get("received").asLong()).as(s.toString()).isEqualTo(ACCEPTED);
    assertThat(s.get("delivered").asLong()).as(s.toString()).isEqualTo(DELIVERED);
    assertThat(s.get("rejected").asLong()).as(s.toString()).isEqualTo(UNKNOWN_USER + RELAY_DENIED);
    assertThat(s.get("deferred").asLong()).as(s.toString()).isGreaterThanOrEqualTo(DEFERRED);
    assertThat(s.get("recipients").asLong()).as("rep-a and rep-b: " + s).isEqualTo(2);
    assertThat(s.get("reject_reasons").toString()).contains("Relay access denied")
        .contains("User unknown in virtual mailbox table");
  }

  /**
   * {@code bin/mailops snmp serve} as its own process over the collected data, configured in a
   * {@code mailops.yml} with an SNMPv3 user (SHA-256/AES-128, secrets in files) and a v2c trap target
   * at net-snmp's snmptrapd: {@code snmpbulkwalk -v2c} and {@code snmpwalk -v3 authPriv} of the whole
   * subtree show every server counter as its {@code report export --summary} total, every gauge as
   * its latest exported sample and the domain rows of this run's domains likewise (objects and
   * parameters matched through the MIB of {@code mailops snmp mib}); {@code snmpget} agrees; wrong v3
   * keys get nothing; snmptrapd logs moAgentStarted and, after SIGTERM, moAgentShutdown with the
   * configured community.
   */
  @Test
  @Timeout(300)
  void snmpServeShowsOverNetSnmpWhatReportExportShows() throws Exception {
    collected();
    // the backfill stores counters only: a live collection adds the gauges (queue, sessions, load)
    Path gauges = Files.writeString(tmp.resolve("gauges.yml"), liveYml + "    domain-scope: true\n");
    CliResult live = CliResult.run(env, gauges, "report", "collect", "--once", "--logs",
        Files.writeString(tmp.resolve("empty.log"), "").toString());
    assertThat(live.code()).as(live.toString()).isZero();
    Path dir = Files.createDirectories(tmp.resolve("snmp"));
    CliResult mibText = mailops("snmp", "mib");
    assertThat(mibText.code()).as(mibText.toString()).isZero();
    NetSnmp netSnmp = new NetSnmp(dir.resolve("mibs"), mibText.out());
    Map<String, NetSnmp.MibObject> objects = netSnmp.objects();
    assertThat(objects.keySet()).as("objects with a parameter in the MIB").contains("moSmtpInMessagesAccepted",
        "moQueueTotal", "moDomainSmtpOutDelivered", "moDomainStorageUsedKB");

    int trapPort = NetSnmp.freeUdpPort(AGENT_PORTS_FROM, AGENT_PORTS_TO);
    int agentPort = NetSnmp.freeUdpPort(AGENT_PORTS_FROM, AGENT_PORTS_TO, trapPort);
    Path trapLog = dir.resolve("traps.log");
    Process trapd = netSnmp.snmptrapd(dir.resolve("trapd"), trapPort, "noc-traps", trapLog);
    Process serve = null;
    try {
      String agent = "udp:127.0.0.1:" + agentPort;
      Path serveLog = dir.resolve("serve.log");
      serve = startServe(serveLog, "--config", snmpConfig(dir, trapPort).toString(), "snmp", "serve", "--listen",
          "udp:127.0.0.1/" + agentPort, "--community", "public");
      Process running = serve;
      NetSnmp.await(Duration.ofSeconds(150),
          () -> Files.readString(serveLog).contains("serving ") || !running.isAlive(),
          () -> "no 'serving' line from mailops snmp serve:\n" + Files.readString(serveLog));
      assertThat(serve.isAlive()).as(Files.readString(serveLog)).isTrue();
      assertThat(awaitTrap(trapLog, OidLayout.Notification.STARTED)).as("with the configured community")
          .contains("TRAP2, SNMP v2c, community noc-traps");

      NetSnmp.Result bulk = netSnmp.run("SNMPBULKWALK", NetSnmp.v2c("public"), agent, "MAILOPS-MIB::mailOps");
      assertThat(bulk.code()).as(bulk.toString()).isZero();
      Map<String, String> rows = domainRows(bulk.values());
      Map<String, String> expected = expectedValues(objects, rows);
      assertThat(expected).as("counters and gauges to compare").containsKeys("moSmtpOutDelivered.0",
          "moQueueTotal.0", "moImapActiveSessions.0", "moSysLoad1.0", "moCollectorLastRun.0");
      assertThat(ofTheTest(bulk.values(), rows)).as("snmpbulkwalk -v2c vs report export; the walk: " + bulk)
          .containsExactlyInAnyOrderEntriesOf(expected);
      assertThat(bulk.values().keySet()).as("nothing but the parameters and other domains' rows")
          .allMatch(k -> expected.containsKey(k) || k.startsWith("moDomain") || k.startsWith("moAccount"));

      NetSnmp.Result walk = netSnmp.run("SNMPWALK", NetSnmp.v3("noc", "auth-" + senderDomain, "priv-" + senderDomain),
          agent, "MAILOPS-MIB::mailOps");
      assertThat(walk.code()).as(walk.toString()).isZero();
      assertThat(ofTheTest(walk.values(), rows)).as("snmpwalk -v3 authPriv vs report export; the walk: " + walk)
          .containsExactlyInAnyOrderEntriesOf(expected);
      assertThat(walk.values()).as("v3 and v2c walks").isEqualTo(bulk.values());

      String local = rows.get(reportDomain);
      List<String> some = List.of("moSmtpInMessagesAccepted.0", "moQueueTotal.0", "moDomainSmtpOutDelivered." + local,
          "moDomainImapLogins." + local, "moDomainSmtpOutDeferred." + rows.get(senderDomain));
      NetSnmp.Result get = netSnmp.run("SNMPGET", NetSnmp.v2c("public"), agent,
          some.stream().map(o -> "MAILOPS-MIB::" + o).toArray(String[]::new));
      assertThat(get.code()).as(get.toString()).isZero();
      Map<String, String> expectedSome = new LinkedHashMap<>();
      some.forEach(o -> expectedSome.put(o, expected.get(o)));
      assertThat(get.values()).as(get.toString()).containsExactlyEntriesOf(expectedSome);
      assertThat(expectedSome.get("moDomainSmtpOutDelivered." + local)).isEqualTo("Counter64: " + DELIVERED);

      NetSnmp.Result wrongAuth = netSnmp.run("SNMPGET", NetSnmp.v3("noc", "wrong-" + senderDomain,
          "priv-" + senderDomain), agent, "MAILOPS-MIB::moSmtpInMessagesAccepted.0");
      assertThat(wrongAuth.code()).as(wrongAuth.toString()).isNotZero();
      assertThat(wrongAuth.out()).as(wrongAuth.toString()).doesNotContain("Counter64");
      assertThat(wrongAuth.err()).as(wrongAuth.toString()).containsAnyOf("Authentication failure", "Timeout");
      NetSnmp.Result wrongPriv = netSnmp.run("SNMPGET", NetSnmp.v3("noc", "auth-" + senderDomain,
          "wrong-" + senderDomain), agent, "MAILOPS-MIB::moSmtpInMessagesAccepted.0");
      assertThat(wrongPriv.code()).as(wrongPriv.toString()).isNotZero();
      assertThat(wrongPriv.out()).as(wrongPriv.toString()).doesNotContain("Counter64");

      serve.destroy();
      assertThat(serve.waitFor(30, TimeUnit.SECONDS)).as("snmp serve ends on SIGTERM").isTrue();
      String shutdown = awaitTrap(trapLog, OidLayout.Notification.SHUTDOWN);
      assertThat(shutdown).contains("TRAP2, SNMP v2c, community noc-traps");
    } finally {
      if (serve != null) {
        serve.destroyForcibly();
      }
      trapd.destroy();
      trapd.waitFor(10, TimeUnit.SECONDS);
    }
  }

  // ---- traffic -------------------------------------------------------------------------------

  /**
   * {@code report collect --once} (own MAILOPS_HOME, no logs) while 1 SMTP, 2 IMAP and 1 POP3 sessions
   * stay open and this run's messages wait in the deferred queue: the gauges it samples, and what
   * {@code postqueue -j} showed before and after it (the same both times; tried again if not).
   */
  private void liveSample(Map<String, String> pf, Map<String, String> dc) throws Exception {
    String dovecotHost = dc.get("IMAP_HOST");
    int imapPort = Integer.parseInt(dc.get("IMAP_PORT"));
    int pop3Port = Integer.parseInt(dc.get("POP3_PORT"));
    Path configDir = Path.of(pf.get("CONFIG_DIR"));
    try (LineSession smtp = new LineSession(host, Integer.parseInt(pf.get("SMTP_PORT")));
        LineSession imap1 = new LineSession(dovecotHost, imapPort);
        LineSession imap2 = new LineSession(dovecotHost, imapPort);
        LineSession pop3 = new LineSession(dovecotHost, pop3Port)) {
      smtp.smtpHello("live.test");
      for (LineSession imap : List.of(imap1, imap2)) {
        imap.read();
        assertThat(imap.imap("l1", "LOGIN \"" + userA + "\" \"" + password + "\"")).startsWith("OK");
      }
      pop3.read();
      assertThat(pop3.pop3("USER " + userB)).startsWith("+OK");
      assertThat(pop3.pop3("PASS " + password)).startsWith("+OK");
      for (int attempt = 1; ; attempt++) {
        Path home = Files.createDirectories(tmp.resolve("live-" + attempt));
        Path empty = Files.writeString(home.resolve("empty.log"), "");
        liveYml = "mailops:\n  queue-dir: " + pf.get("QUEUE_DIR") + "\n  report:\n    retention-weeks: 520\n"
            + "    ports:\n      smtp: " + pf.get("SMTP_PORT") + "," + pf.get("NORELAY_PORT") + "\n      imap: "
            + imapPort + "\n      pop3: " + pop3Port + "\n";
        Path liveConfig = Files.writeString(home.resolve("live.yml"), liveYml);
        Map<String, String> liveEnv = Map.of("MAILOPS_HOME", home.toString());
        Map<String, Long> before = queueCounts(configDir);
        CliResult collect = CliResult.run(liveEnv, liveConfig, "report", "collect", "--once", "--logs", empty.toString());
        Map<String, Long> after = queueCounts(configDir);
        assertThat(collect.code()).as(collect.toString()).isZero();
        if (before.equals(after) || attempt == 3) {
          CliResult export = CliResult.run(liveEnv, liveConfig, "report", "export", "--param",
              "smtp.in.active_connections,imap.active_sessions,pop3.active_sessions,queue.total,queue.deferred",
              "--from", "2000-01-01", "--to", "2100-01-01", "--summary");
          assertThat(export.code()).as(export.toString()).isZero();
          live = column(export.out(), 10);
          liveQueue = after;
          break;
        }
      }
      smtp.smtp("QUIT");
      imap1.imap("l2", "LOGOUT");
      imap2.imap("l2", "LOGOUT");
      pop3.pop3("QUIT");
    }
  }

  /** {@code postqueue -j}: messages in total and per queue name. */
  private static Map<String, Long> queueCounts(Path configDir) throws IOException, InterruptedException {
    Map<String, Long> counts = new LinkedHashMap<>();
    counts.put("total", 0L);
    counts.put("deferred", 0L);
    for (String line : Pflogsumm.run(null, "postqueue", "-c", configDir.toString(), "-j").split("\n")) {
      if (!line.isBlank()) {
        counts.merge("total", 1L, Long::sum);
        counts.merge(JSON.readTree(line).get("queue_name").asString(), 1L, Long::sum);
      }
    }
    return counts;
  }

  /**
   * Port SMTP_PORT: 5 messages to the local users (one of them to both), one with an unknown and a
   * known recipient, one transaction with only an unknown recipient, 3 messages to an unreachable
   * domain. Port NORELAY_PORT: a relay attempt plus a local recipient, and a relay attempt alone.
   */
  private void smtpTraffic(int port, int norelayPort, String tag) throws IOException {
    try (LineSession s = new LineSession(host, port)) {
      s.smtpHello("client.test");
      for (int i = 0; i < 4; i++) {
        transaction(s, "one@" + senderDomain, List.of(i % 2 == 0 ? userA : userB), List.of(), false);
      }
      transaction(s, "two@" + senderDomain, List.of(userA, userB), List.of(), false);
      transaction(s, "one@" + senderDomain, List.of(userB), List.of("nobody-" + tag + "@" + reportDomain), false);
      transaction(s, "one@" + senderDomain, List.of(), List.of("ghost-" + tag + "@" + reportDomain), false);
      for (int i = 0; i < DEFERRED; i++) {
        transaction(s, "three@" + senderDomain, List.of("x" + i + "@" + farDomain), List.of(), true);
      }
      s.smtp("QUIT");
    }
    try (LineSession s = new LineSession(host, norelayPort)) {
      s.smtpHello("client.test");
      transaction(s, "four@" + senderDomain, List.of(userA), List.of("relay1@" + farDomain), false);
      transaction(s, "four@" + senderDomain, List.of(), List.of("relay2@" + farDomain), false);
      s.smtp("QUIT");
    }
  }

  /** MAIL, the RCPTs (accepted ones must get 250, refused ones 5xx), then DATA or, if none was accepted, RSET. */
  private void transaction(LineSession s, String from, List<String> accepted, List<String> refused, boolean defer)
      throws IOException {
    s.expectSmtp("MAIL FROM", s.smtp("MAIL FROM:<" + from + ">"), '2');
    for (String r : refused) {
      s.expectSmtp("RCPT TO:<" + r + "> (should be refused)", s.smtp("RCPT TO:<" + r + ">"), '5');
    }
    for (String r : accepted) {
      s.expectSmtp("RCPT TO:<" + r + ">", s.smtp("RCPT TO:<" + r + ">"), '2');
    }
    if (accepted.isEmpty()) {
      s.expectSmtp("RSET", s.smtp("RSET"), '2');
      return;
    }
    s.expectSmtp("DATA", s.smtp("DATA"), '3');
    s.send("From: <" + from + ">");
    s.send("To: " + String.join(", ", accepted));
    s.send("Subject: report interop " + (defer ? "deferred" : "delivered"));
    s.send("");
    for (int i = 0; i < 20; i++) {
      s.send("line " + i + " of a message from " + from);
    }
    String reply = s.smtp(".");
    s.expectSmtp("end of data", reply, '2');
    Matcher id = QUEUED_AS.matcher(reply);
    if (!id.find()) {
      throw new IOException("no queue id in '" + reply + "'");
    }
    if (defer) {
      deferredIds.add(id.group(1));
    } else {
      deliveredIds.put(id.group(1), accepted.size());
    }
  }

  /**
   * An IMAP connection with 2 bad passwords, one with an unknown user, a POP3 one with a bad
   * password (each failure waits for Dovecot's auth penalty, 2 s and more).
   */
  private void failedLogins(String dovecotHost, int imapPort, int pop3Port, String tag) throws IOException {
    try (LineSession s = new LineSession(dovecotHost, imapPort)) {
      s.read();
      assertThat(s.imap("b1", "LOGIN \"" + userA + "\" \"wrong\"")).startsWith("NO");
      assertThat(s.imap("b2", "LOGIN \"" + userA + "\" \"wrong-again\"")).startsWith("NO");
      assertThat(s.imap("b3", "LOGOUT")).startsWith("OK");
    }
    try (LineSession s = new LineSession(dovecotHost, imapPort)) {
      s.read();
      assertThat(s.imap("c1", "LOGIN \"nobody-" + tag + "@" + reportDomain + "\" \"x\"")).startsWith("NO");
      assertThat(s.imap("c2", "LOGOUT")).startsWith("OK");
    }
    try (LineSession s = new LineSession(dovecotHost, pop3Port)) {
      s.read();
      assertThat(s.pop3("USER " + userB)).startsWith("+OK");
      assertThat(s.pop3("PASS wrong")).startsWith("-ERR");
      assertThat(s.pop3("QUIT")).startsWith("+OK");
    }
  }

  /**
   * 3 good IMAP logins (each SELECTs and FETCHes; the first APPENDs 2 messages), 2 good POP3 ones (the
   * first RETRieves message 1).
   */
  private void goodLogins(String dovecotHost, int imapPort, int pop3Port) throws IOException {
    boolean first = true;
    for (String user : List.of(userA, userB, userA)) {
      try (LineSession s = new LineSession(dovecotHost, imapPort)) {
        s.read();
        assertThat(s.imap("a1", "LOGIN \"" + user + "\" \"" + password + "\"")).startsWith("OK");
        assertThat(s.imap("a2", "SELECT INBOX")).startsWith("OK");
        assertThat(s.imap("a3", "FETCH 1:* (FLAGS RFC822.SIZE)")).startsWith("OK");
        for (int i = 0; first && i < IMAP_APPENDS; i++) {
          assertThat(s.imapAppend("p" + i, "INBOX", "From: <" + user + ">\r\nSubject: appended " + i
              + "\r\n\r\nsaved by IMAP APPEND\r\n")).startsWith("OK");
        }
        first = false;
        assertThat(s.imap("a4", "LOGOUT")).startsWith("OK");
      }
    }
    for (String user : List.of(userB, userA)) {
      try (LineSession s = new LineSession(dovecotHost, pop3Port)) {
        s.read();
        assertThat(s.pop3("USER " + user)).startsWith("+OK");
        assertThat(s.pop3("PASS " + password)).startsWith("+OK");
        if (user.equals(userB)) {
          pop3BytesRead += s.pop3Retr(1);
        }
        assertThat(s.pop3("QUIT")).startsWith("+OK");
      }
    }
  }

  /** Every delivered queue id has its status=sent lines, every deferred one a status=deferred line. */
  private boolean postfixDone(String log) {
    for (Map.Entry<String, Integer> e : deliveredIds.entrySet()) {
      if (count(log, e.getKey() + ": to=<", "status=sent") < e.getValue()) {
        return false;
      }
    }
    return deferredIds.stream().allMatch(id -> count(log, id + ": to=<", "status=deferred") > 0);
  }

  /** All login, failure and logout lines of this run are in Dovecot's log. */
  private boolean dovecotDone(String log) {
    return count(log, "imap-login: ", "Login: user=<") >= IMAP_LOGINS
        && count(log, "imap(", "Logged out") >= IMAP_LOGINS
        && count(log, "imap-login: ", "auth failed") >= 2
        && count(log, "imap(", ": save: box=") >= IMAP_APPENDS
        && count(log, "pop3-login: ", "Login: user=<") >= POP3_LOGINS
        && count(log, "pop3(", "Logged out") >= POP3_LOGINS
        && count(log, "pop3-login: ", "auth failed") >= 1;
  }

  /** Lines of {@code log} that contain both {@code a} and then {@code b}. */
  private static long count(String log, String a, String b) {
    return log.lines().filter(l -> {
      int i = l.indexOf(a);
      return i >= 0 && l.indexOf(b, i) > 0;
    }).count();
  }

  // ---- logs, CLI, pflogsumm ------------------------------------------------------------------

  /** Polls {@code file} from {@code offset} until {@code done} holds; fails after {@link #SETTLE} naming what is missing. */
  private static void awaitLog(Path file, long offset, Predicate<String> done, String what)
      throws IOException, InterruptedException {
    long deadline = System.nanoTime() + SETTLE.toNanos();
    while (true) {
      String text = new String(tail(file, offset), StandardCharsets.UTF_8);
      if (done.test(text)) {
        return;
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("not in " + file + " after " + SETTLE.toSeconds() + " s: " + what
            + "\nwritten meanwhile:\n" + text);
      }
      Thread.sleep(200);
    }
  }

  private static byte[] tail(Path file, long offset) throws IOException {
    try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "r")) {
      byte[] b = new byte[(int) Math.max(0, f.length() - offset)];
      f.seek(offset);
      f.readFully(b);
      return b;
    }
  }

  /** The complete lines {@code file} got since {@code offset}, written to {@code to}. */
  private static Path slice(Path file, long offset, Path to) throws IOException {
    byte[] b = tail(file, offset);
    int end = b.length;
    while (end > 0 && b[end - 1] != '\n') {
      end--;
    }
    return Files.write(to, Arrays.copyOf(b, end));
  }

  private static void postsuper(Path configDir, List<String> ids) throws IOException, InterruptedException {
    if (!ids.isEmpty()) {
      Pflogsumm.run((String.join("\n", ids) + "\n").getBytes(StandardCharsets.UTF_8), "postsuper", "-c", configDir.toString(),
          "-d", "-");
    }
  }

  /**
   * The first {@code report collect --once --from-logs} of both logs (run by whichever test needs
   * the collected data first).
   */
  private CliResult collected() {
    if (collected == null) {
      collected = mailops("report", "collect", "--once", "--from-logs", mailLog.toString(), dovecotLog.toString());
      assertThat(collected.code()).as(collected.toString()).isZero();
    }
    return collected;
  }

  private CliResult mailops(String... args) {
    return CliResult.run(env, config, args);
  }

  /** {@code report export --summary} totals of every parameter at {@code scope} (0 when it has no samples). */
  private Map<String, Long> totals(String scope) {
    String params = "smtp.in.connections,smtp.in.accepted,smtp.in.rejected,smtp.in.rcpt_rejected,smtp.in.bytes,"
        + "smtp.out.delivered,smtp.out.deferred,smtp.out.bytes,queue.inserted,imap.logins,imap.login_failures,"
        + "imap.bytes_out,imap.appends,pop3.logins,pop3.login_failures,pop3.bytes_retrieved";
    List<String> names = new ArrayList<>();
    for (String p : params.split(",")) {
      boolean server = scope.equals("server");
      boolean domainScoped = List.of("smtp.in.accepted", "smtp.in.rejected", "smtp.in.rcpt_rejected", "smtp.in.bytes",
          "smtp.out.delivered", "smtp.out.deferred", "smtp.out.bytes", "imap.logins", "imap.login_failures",
          "imap.bytes_out", "imap.appends", "pop3.logins", "pop3.login_failures", "pop3.bytes_retrieved").contains(p);
      if (server || domainScoped) {
        names.add(p);
      }
    }
    CliResult export = mailops("report", "export", "--param", String.join(",", names), "--scope", scope,
        "--from", "2000-01-01", "--to", "2100-01-01", "--summary");
    assertThat(export.code()).as(export.toString()).isZero();
    Map<String, Long> totals = new LinkedHashMap<>();
    names.forEach(n -> totals.put(n, 0L));
    totals.putAll(column(export.out(), 7));
    return totals;
  }

  /** Column {@code index} (7 total, 10 max) of {@code report export --summary} CSV per parameter, where it has one. */
  private static Map<String, Long> column(String csv, int index) {
    Map<String, Long> values = new LinkedHashMap<>();
    for (String line : csv.split("\n")) {
      String[] f = line.split(",", -1);
      if (f.length > index && !f[0].equals("parameter") && !f[index].isEmpty()) {
        values.put(f[0], Math.round(Double.parseDouble(f[index])));
      }
    }
    return values;
  }

  // ---- SNMP -------------------------------------------------------------------------------------

  /**
   * The test's mailops.yml plus {@code mailops.snmp}: user noc (authPriv SHA-256/AES-128, passphrases
   * in files beside it) and a v2c trap target with community noc-traps at {@code trapPort}.
   */
  private Path snmpConfig(Path dir, int trapPort) throws IOException {
    Files.writeString(dir.resolve("noc.auth"), "auth-" + senderDomain + "\n");
    Files.writeString(dir.resolve("noc.priv"), "priv-" + senderDomain + "\n");
    return Files.writeString(dir.resolve("mailops.yml"), Files.readString(config) + String.join("\n",
        "  snmp:",
        "    users:",
        "      - name: noc",
        "        auth: SHA-256",
        "        auth-password-file: " + dir.resolve("noc.auth"),
        "        priv: AES-128",
        "        priv-password-file: " + dir.resolve("noc.priv"),
        "    traps:",
        "      targets:",
        "        - address: udp:127.0.0.1/" + trapPort,
        "          community: noc-traps",
        ""));
  }

  /** {@code bin/mailops ARGS} of this checkout as a child process with this test's MAILOPS_HOME, output to {@code log}. */
  private Process startServe(Path log, String... args) throws IOException {
    Path root = Path.of(System.getProperty("user.dir")).getParent();
    List<String> cmd = new ArrayList<>(List.of(root.resolve("bin/mailops").toString()));
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
    pb.environment().putAll(env);
    return pb.start();
  }

  /** The block snmptrapd logged for notification {@code n} (the first one), waiting for it. */
  private static String awaitTrap(Path log, OidLayout.Notification n) throws Exception {
    String oid = "OID: ." + n.oid(SnmpSettings.DEFAULT_BASE_OID) + "\t";
    String[] block = new String[1];
    NetSnmp.await(Duration.ofSeconds(30), () -> {
      for (String b : Files.readString(log).split("(?=TRAP)")) {
        if (b.contains(oid)) {
          block[0] = b;
          return true;
        }
      }
      return false;
    }, () -> "snmptrapd logged no " + n.mibName() + ":\n" + Files.readString(log));
    return block[0];
  }

  /**
   * The domain table's row index of each domain, from the {@code moDomainName.N = STRING: NAME} lines
   * of a walk (a DisplayString: net-snmp prints it without quotes).
   */
  private static Map<String, String> domainRows(Map<String, String> walk) {
    Map<String, String> rows = new LinkedHashMap<>();
    walk.forEach((k, v) -> {
      if (k.startsWith("moDomainName.")) {
        rows.put(v.substring("STRING: ".length()), k.substring(k.indexOf('.') + 1));
      }
    });
    return rows;
  }

  /** The objects of {@code walk} that {@link #expectedValues} speaks about: the scalars and this run's domain rows. */
  private Map<String, String> ofTheTest(Map<String, String> walk, Map<String, String> rows) {
    List<String> mine = List.of(senderDomain, reportDomain, farDomain).stream().map(d -> "." + rows.get(d)).toList();
    Map<String, String> out = new LinkedHashMap<>();
    walk.forEach((k, v) -> {
      if (!k.startsWith("moDomain") && !k.startsWith("moAccount") || mine.stream().anyMatch(k::endsWith)) {
        out.put(k, v);
      }
    });
    return out;
  }

  /**
   * What {@code report export} says the agent should show, as net-snmp prints it: the
   * server scalars (a counter its {@code --summary} total once it has samples, a gauge its latest
   * exported sample), moCountersDiscontinuityTime (0: the store was not reset), and the rows of this
   * run's domains (name, every counter's total, gauges with samples).
   */
  private Map<String, String> expectedValues(Map<String, NetSnmp.MibObject> objects, Map<String, String> rows) {
    Map<String, String> out = new LinkedHashMap<>();
    List<NetSnmp.MibObject> scalars = objects.values().stream().filter(o -> !o.domainColumn()).toList();
    Map<String, Long> scalarValues = exported("server", scalars);
    for (NetSnmp.MibObject o : scalars) {
      if (scalarValues.containsKey(o.parameter())) {
        out.put(o.name() + ".0", (o.counter() ? "Counter64: " : "Gauge32: ") + scalarValues.get(o.parameter()));
      }
    }
    out.put("moCountersDiscontinuityTime.0", "Timeticks: (0) 0:00:00.00");
    List<NetSnmp.MibObject> columns = objects.values().stream().filter(NetSnmp.MibObject::domainColumn).toList();
    for (String d : List.of(senderDomain, reportDomain, farDomain)) {
      assertThat(rows).as("domain rows of the walk").containsKey(d);
      String row = rows.get(d);
      out.put("moDomainName." + row, "STRING: " + d);
      Map<String, Long> values = exported("domain:" + d, columns);
      for (NetSnmp.MibObject o : columns) {
        if (o.counter()) {
          out.put(o.name() + "." + row, "Counter64: " + values.getOrDefault(o.parameter(), 0L));
        } else if (values.containsKey(o.parameter())) {
          out.put(o.name() + "." + row, "Gauge32: " + values.get(o.parameter()));
        }
      }
    }
    return out;
  }

  /**
   * {@code report export} at {@code scope} of the parameters of {@code objects}, rounded as SNMP's
   * integers: a counter's {@code --summary} total, a gauge's latest sample; absent without samples.
   */
  private Map<String, Long> exported(String scope, List<NetSnmp.MibObject> objects) {
    String counters = objects.stream().filter(NetSnmp.MibObject::counter).map(NetSnmp.MibObject::parameter)
        .collect(Collectors.joining(","));
    String gauges = objects.stream().filter(o -> !o.counter()).map(NetSnmp.MibObject::parameter)
        .collect(Collectors.joining(","));
    Map<String, Long> out = new LinkedHashMap<>();
    if (!counters.isEmpty()) {
      CliResult summary = mailops("report", "export", "--param", counters, "--scope", scope, "--from", "2000-01-01",
          "--to", "2100-01-01", "--summary");
      assertThat(summary.code()).as(summary.toString()).isZero();
      out.putAll(column(summary.out(), 7));
    }
    if (!gauges.isEmpty()) {
      CliResult samples = mailops("report", "export", "--param", gauges, "--scope", scope, "--from", "2000-01-01",
          "--to", "2100-01-01");
      assertThat(samples.code()).as(samples.toString()).isZero();
      for (String line : samples.out().split("\n")) {
        String[] f = line.split(",", -1);
        if (f.length == 4 && !f[0].equals("timestamp")) {
          // minutes come in order: the last one stays
          out.put(f[1], Math.max(0, Math.min(0xFFFF_FFFFL, Math.round(Double.parseDouble(f[3])))));
        }
      }
    }
    return out;
  }

  private JsonNode summaryJson() {
    CliResult r = mailops("report", "summary", "--json", "--syslog-name", syslogName, "--logs", mailLog.toString());
    assertThat(r.code()).as(r.toString()).isZero();
    return JSON.readTree(r.out());
  }
}
