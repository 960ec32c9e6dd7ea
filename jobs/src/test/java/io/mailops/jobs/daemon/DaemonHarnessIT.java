package io.mailops.jobs.daemon;

import static io.mailops.jobs.daemon.DaemonKillIT.count;
import static io.mailops.jobs.daemon.DaemonKillIT.read;
import static io.mailops.jobs.daemon.DaemonKillIT.stored;
import static io.mailops.jobs.daemon.DaemonKillIT.waitFor;
import static org.assertj.core.api.Assertions.assertThat;

import io.mailops.jobs.backup.BackupCheckpoint;
import io.mailops.snmp.OidLayout;
import io.mailops.snmp.SnmpSettings;
import io.mailops.storage.interop.InteropEnv;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * {@code bin/mailops daemon run} as a child process against the interop harness: the store is a copy
 * of the harness's Dovecot vmail tree (an account of BACKUP_USERS filled by {@code doveadm save}, plus
 * sample accounts for volume), the collector reads the harness's Postfix queue and maillog, backups go
 * to a local {@code file:} target. A backup is killed with {@code kill -9} in the middle; the next
 * start completes it (verified deep, one set), ingests store every message exactly once, the
 * collector's queue gauge equals the queue files, and both an SNMP4J trap receiver and the
 * harness's net-snmp {@code snmptrapd} get moAgentStarted at each start, moAgentReloaded once per
 * SIGHUP (the second sent by {@code mailops snmp reload} through the agent's pid file, which the
 * restarted daemon took over from the killed one) and moAgentShutdown on SIGTERM (none from the
 * killed daemon), with the configured community.
 */
class DaemonHarnessIT {

  static final Duration WAIT = Duration.ofMinutes(6);
  static final String BASE = SnmpSettings.DEFAULT_BASE_OID;
  static final int SAVED = 12;

  @TempDir
  Path home;

  final List<Process> started = new ArrayList<>();
  Map<String, String> dovecot;
  Map<String, String> postfix;
  TrapSink traps;
  Process trapd;
  Path trapdLog;
  int trapdPort;
  String tag;

  @BeforeEach
  void setUp() throws IOException {
    dovecot = InteropEnv.read("dovecot", "VMAIL", "DOVECOT_CONF", "BACKUP_USERS");
    postfix = InteropEnv.read("postfix", "SMTP_HOST", "SMTP_PORT", "CONFIG_DIR", "QUEUE_DIR", "MAILLOG");
    traps = new TrapSink();
    tag = Long.toString(ThreadLocalRandom.current().nextLong(1L << 40), 36);
  }

  /** net-snmp's snmptrapd of the harness, logging the v2c traps of community noc-traps with numeric OIDs. */
  void startTrapd() throws Exception {
    String bin = InteropEnv.read("netsnmp", "SNMPTRAPD").get("SNMPTRAPD");
    try (java.net.DatagramSocket free = new java.net.DatagramSocket(0, java.net.InetAddress.getLoopbackAddress())) {
      trapdPort = free.getLocalPort();
    }
    Path dir = Files.createDirectories(home.resolve("trapd"));
    trapdLog = dir.resolve("traps.log");
    Files.writeString(dir.resolve("trapd.conf"), "authCommunity log noc-traps\nformat2 TRAP %P\\n%v\\n\n");
    ProcessBuilder pb = new ProcessBuilder(bin, "-f", "-Lf", trapdLog.toString(), "-C", "-c",
        dir.resolve("trapd.conf").toString(), "-On", "-p", dir.resolve("trapd.pid").toString(),
        "udp:127.0.0.1:" + trapdPort);
    pb.environment().put("SNMP_PERSISTENT_DIR", dir.resolve("persist").toString());
    pb.environment().put("MIBS", "");
    pb.redirectErrorStream(true).redirectOutput(dir.resolve("trapd.out").toFile());
    trapd = pb.start();
    started.add(trapd);
    waitFor(Duration.ofSeconds(10), () -> read(trapdLog).contains("NET-SNMP version"));
    assertThat(read(trapdLog)).as(read(dir.resolve("trapd.out"))).contains("NET-SNMP version");
  }

  /** How many notifications {@code n} snmptrapd logged. */
  long trapdCount(OidLayout.Notification n) {
    return read(trapdLog).split(Pattern.quote("OID: ." + n.oid(BASE) + "\t"), -1).length - 1;
  }

  @AfterEach
  void tearDown() throws IOException {
    started.forEach(p -> p.toHandle().destroyForcibly());
    traps.close();
  }

  Process mailops(Path log, String... args) throws IOException {
    Path root = Path.of(System.getProperty("user.dir")).getParent();
    List<String> cmd = new ArrayList<>(List.of(root.resolve("bin/mailops").toString()));
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
    pb.environment().put("MAILOPS_HOME", home.toString());
    pb.environment().put("MAILOPS_ARCHIVE_PASSWORD", DaemonKillIT.PASSWORD);
    Process p = pb.start();
    started.add(p);
    return p;
  }

  String run(String... args) throws Exception {
    Path log = Files.createTempFile(home, "out", ".txt");
    Process p = mailops(log, args);
    assertThat(p.waitFor(5, TimeUnit.MINUTES)).isTrue();
    String out = Files.readString(log, StandardCharsets.UTF_8);
    assertThat(p.exitValue()).as(out).isIn(0, 3);
    return out;
  }

  static String exec(byte[] stdin, String... cmd) throws Exception {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    try (OutputStream in = p.getOutputStream()) {
      in.write(stdin);
    }
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(List.of(cmd) + ": " + out).isZero();
    return out;
  }

  void config(boolean backup) throws IOException {
    Files.writeString(home.resolve("mailops.yml"), "mailops:\n"
        + "  storage: \"maildir:" + home.resolve("vmail") + "\"\n"
        + "  queue-dir: " + postfix.get("QUEUE_DIR") + "\n"
        + "  config-dir: " + postfix.get("CONFIG_DIR") + "\n"
        + "  backup:\n    target: \"file:" + home.resolve("backups") + "\"\n"
        + "  archive:\n    kdf-memory-kib: 8192\n    kdf-iterations: 1\n"
        + "  report:\n    logs: [" + postfix.get("MAILLOG") + "]\n    proc-net: \"\"\n"
        + "  snmp:\n    community: noc\n    listen: \"udp:127.0.0.1/0\"\n"
        + "    traps:\n      targets:\n        - address: \"" + traps.address() + "\"\n          community: noc-traps\n"
        + "        - address: \"udp:127.0.0.1/" + trapdPort + "\"\n          community: noc-traps\n"
        + "  daemon:\n    stop-timeout: 5s\n    http:\n      listen: 127.0.0.1:0\n    schedules:\n"
        + "      archive-ingest:\n        cron: \"*/5 * * * * *\"\n"
        + (backup ? "      backup:\n        cron: \"*/5 * * * * *\"\n" : ""));
  }

  /** An account of the harness filled by Dovecot, copied with the sample accounts into our own vmail tree. */
  long store() throws Exception {
    String user = dovecot.get("BACKUP_USERS").split(",")[0];
    String conf = dovecot.get("DOVECOT_CONF");
    String folder = "Daemon-" + tag;
    exec(new byte[0], "doveadm", "-c", conf, "mailbox", "create", "-u", user, folder);
    for (int i = 0; i < SAVED; i++) {
      exec(("From: noc@example.org\nTo: " + user + "\nSubject: daemon " + i + "\nMessage-ID: <" + i + "." + tag
          + "@daemon.it>\n\nbody " + i + "\n").getBytes(StandardCharsets.UTF_8),
          "doveadm", "-c", conf, "save", "-u", user, "-m", folder);
    }
    Path vmail = home.resolve("vmail");
    run("storage", "sample", "--out", vmail.toString(), "--domains", "3", "--accounts", "4", "--messages", "40");
    String[] at = user.split("@");
    Path account = Path.of(dovecot.get("VMAIL")).resolve(at[1]).resolve(at[0]);
    Files.createDirectories(vmail.resolve(at[1]));
    exec(new byte[0], "cp", "-a", account.toString(), vmail.resolve(at[1]).toString());
    try (Stream<Path> s = Files.walk(vmail)) {
      return s.filter(p -> Files.isRegularFile(p) && p.getParent() != null
          && List.of("cur", "new").contains(p.getParent().getFileName().toString())).count();
    }
  }

  /** Submits one message to a remote domain: with the harness's dead relay it stays deferred. */
  void queueOne() throws IOException {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(postfix.get("SMTP_HOST"), Integer.parseInt(postfix.get("SMTP_PORT"))), 5000);
      s.setSoTimeout(30_000);
      BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
      OutputStream out = s.getOutputStream();
      for (String c : new String[] {null, "EHLO daemon.it", "MAIL FROM:<noc@daemon.it>", "RCPT TO:<x@far-" + tag
          + ".invalid>", "DATA", "Subject: deferred\r\n\r\nbody\r\n.", "QUIT"}) {
        if (c != null) {
          out.write((c + "\r\n").getBytes(StandardCharsets.US_ASCII));
          out.flush();
        }
        String line;
        do {
          line = in.readLine();
          assertThat(line).as("reply to " + c).isNotNull().matches("[23]\\d\\d[ -].*");
        } while (line.charAt(3) == '-');
      }
    }
  }

  /** The queue files Postfix holds (what postqueue lists), read as root. */
  long queueFiles() throws IOException {
    long n = 0;
    for (String q : List.of("maildrop", "incoming", "active", "deferred", "hold")) {
      Path d = Path.of(postfix.get("QUEUE_DIR")).resolve(q);
      if (Files.isDirectory(d)) {
        try (Stream<Path> s = Files.walk(d)) {
          n += s.filter(Files::isRegularFile).count();
        }
      }
    }
    return n;
  }

  TrapSink.Trap trap(OidLayout.Notification n, Path log) throws InterruptedException {
    TrapSink.Trap t = traps.next(n.oid(BASE), Duration.ofSeconds(90));
    assertThat(t).as(n.mibName() + " not received; daemon log:\n" + read(log)).isNotNull();
    assertThat(t.community()).isEqualTo("noc-traps");
    return t;
  }

  @Test
  void daemonAgainstTheHarnessShouldFinishAKilledBackupWithoutDuplicatesAndSendItsTraps() throws Exception {
    long messages = store();
    queueOne();
    startTrapd();
    run("archive", "init");
    config(false);
    Path log1 = home.resolve("daemon1.txt");
    Process daemon = mailops(log1, "daemon", "run");
    trap(OidLayout.Notification.STARTED, log1);
    waitFor(WAIT, () -> count(log1, "[archive-ingest] Ingested from ") >= 2 || !daemon.isAlive());
    assertThat(daemon.isAlive()).as(read(log1)).isTrue();
    assertThat(stored(read(log1))).as(read(log1)).isEqualTo(messages);

    config(true);
    new ProcessBuilder("kill", "-HUP", String.valueOf(daemon.pid())).start().waitFor();
    trap(OidLayout.Notification.RELOADED, log1);
    Path state = home.resolve("backup/state");
    long deadline = System.nanoTime() + WAIT.toNanos();
    JsonNode checkpoint = null;
    while (System.nanoTime() < deadline && daemon.isAlive()
        && (checkpoint == null || checkpoint.get("completed").size() < 5)) {
      Thread.sleep(20);
      checkpoint = BackupCheckpoint.read(state);
    }
    assertThat(daemon.isAlive()).as(read(log1)).isTrue();
    daemon.toHandle().destroyForcibly(); // SIGKILL in the middle of the backup
    assertThat(daemon.waitFor(30, TimeUnit.SECONDS)).isTrue();
    String set = BackupCheckpoint.read(state).get("set").asString();
    Path sets = home.resolve("backups");
    assertThat(sets.resolve(set).resolve("manifest.json")).doesNotExist();
    assertThat(traps.drain()).as("no shutdown notification from a killed daemon")
        .noneMatch(t -> t.trapOid().toDottedString().equals(OidLayout.Notification.SHUTDOWN.oid(BASE)));

    config(false);
    Path log2 = home.resolve("daemon2.txt");
    Process again = mailops(log2, "daemon", "run");
    trap(OidLayout.Notification.STARTED, log2);
    waitFor(WAIT, () -> DaemonKillIT.RESTART_DONE.matcher(read(log2)).find() || !again.isAlive());
    assertThat(sets.resolve(set).resolve("manifest.json")).as(read(log2)).isRegularFile();
    waitFor(WAIT, () -> count(log2, "[archive-ingest] Ingested from ") >= 1
        && count(log1, "[collector] collected ") + count(log2, "[collector] collected ") >= 3);
    assertThat(count(log1, "[collector] collected ") + count(log2, "[collector] collected "))
        .as("collections\n" + read(log1) + read(log2)).isGreaterThanOrEqualTo(3);

    Matcher http = Pattern.compile("HTTP on (http://127\\.0\\.0\\.1:\\d+)/health").matcher(read(log2));
    assertThat(http.find()).as(read(log2)).isTrue();
    long queued = queueFiles();
    assertThat(queued).isPositive();
    assertThat(DaemonCommandTest.get(http.group(1) + "/metrics").body()).as("the collector's reading of "
        + postfix.get("QUEUE_DIR")).contains("\nmailops_queue_total " + queued + "\n");

    // the restarted daemon replaced the killed one's pid file: 'snmp reload' reaches it
    assertThat(Files.readString(home.resolve("snmp/serve.pid")).trim()).isEqualTo(String.valueOf(again.pid()));
    assertThat(run("snmp", "reload")).contains("(pid " + again.pid() + ")");
    trap(OidLayout.Notification.RELOADED, log2);
    again.destroy(); // SIGTERM
    trap(OidLayout.Notification.SHUTDOWN, log2);
    assertThat(again.waitFor(60, TimeUnit.SECONDS)).isTrue();
    String out2 = read(log2);
    assertThat(again.exitValue()).as(out2).isZero();
    assertThat(home.resolve("snmp/serve.pid")).as("removed at exit").doesNotExist();
    assertThat(out2).containsPattern("\\[backup\\] execution \\d+ \\(restart of \\d+\\): COMPLETED \\(COMPLETED, set "
        + set + "\\)");

    try (Stream<Path> s = Files.list(sets)) {
      assertThat(s.map(p -> p.getFileName().toString()).toList()).containsExactly(set);
    }
    assertThat(run("backup", "verify", "--deep")).contains(": OK (deep check");
    waitFor(Duration.ofSeconds(10), () -> trapdCount(OidLayout.Notification.SHUTDOWN) >= 1);
    assertThat(List.of(trapdCount(OidLayout.Notification.STARTED), trapdCount(OidLayout.Notification.RELOADED),
        trapdCount(OidLayout.Notification.SHUTDOWN))).as("snmptrapd: started, reloaded, shutdown\n" + read(trapdLog))
        .containsExactly(2L, 2L, 1L);
    assertThat(read(trapdLog)).contains("TRAP2, SNMP v2c");
    assertThat(stored(read(log1)) + stored(out2)).as("messages stored by all ingests").isEqualTo(messages);
    assertThat(run("jobs", "history", "--limit", "100")).containsPattern("backup\\s+COMPLETED")
        .doesNotContainPattern("\\d+\\s+\\S+\\s+(STARTED|STARTING|STOPPING)\\s");
  }
}
