package io.mailops.jobs.cli;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.mailops.jobs.config.MailOpsSettings;
import io.mailops.reporting.store.JdbcSampleStore;
import io.mailops.snmp.MailOpsAgent;
import io.mailops.snmp.OidLayout;
import io.mailops.snmp.SnmpSettings;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import javax.sql.DataSource;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import sun.misc.Signal;

/**
 * {@code mailops snmp serve}: runs the read-only agent over the values {@code mailops report
 * collect} stored, until the process is stopped. Writes its pid to {@code STATE/serve.pid}; SIGHUP
 * ({@code mailops snmp reload}) re-reads {@code mailops.yml}; SIGTERM or Ctrl-C send moAgentShutdown,
 * then close the port.
 */
@Command(name = "serve", mixinStandardHelpOptions = true,
    description = {"Serves the reporting parameters read-only (SNMPv2c, SNMPv3 authPriv) until",
        "stopped: counters as Counter64 totals, gauges as Gauge32 latest samples under",
        "mailops.snmp.base-oid.1, per-domain and per-account tables. Values come from",
        "what 'mailops report collect' stored; 'mailops snmp mib' prints the MIB.",
        "Sends moAgentStarted at start, moAgentShutdown on SIGTERM/Ctrl-C,",
        "moAgentReloaded on SIGHUP ('mailops snmp reload'), and the configured alarms.",
        "Port 161 needs root: keep the agent on 1161 and add to snmpd.conf",
        "  proxy -v 2c -c COMMUNITY 127.0.0.1:1161 BASE-OID"})
public final class SnmpServeCommand implements Callable<Integer> {

  @ParentCommand
  SnmpCommand snmp;

  @Spec
  CommandSpec spec;

  @Option(names = "--listen", paramLabel = "udp:HOST/PORT",
      description = "Where to answer (default mailops.snmp.listen, else " + SnmpSettings.DEFAULT_LISTEN + ").")
  String listen;

  @Option(names = "--community", paramLabel = "NAME",
      description = "A read-only community (default mailops.snmp.community); other communities get no answer.")
  String community;

  @Option(names = "--trap-target", paramLabel = "udp:HOST/PORT",
      description = "Also send notifications here as SNMPv2c traps (repeatable; more in mailops.snmp.traps.targets).")
  List<String> trapTargets;

  @Option(names = "--trap-community", paramLabel = "NAME",
      description = "The community the --trap-target traps carry (default: --community).")
  String trapCommunity;

  @Override
  public Integer call() throws Exception {
    MailOpsSettings s = snmp.settings();
    SnmpSettings settings = settings(s);
    Path pidFile = pidFile(settings);
    claimPidFile(pidFile);
    try (HikariDataSource pool = pool(s)) {
      JdbcSampleStore store = new JdbcSampleStore(pool);
      store.createSchema();
      return serve(settings, pool, pidFile);
    } finally {
      Files.deleteIfExists(pidFile);
    }
  }

  SnmpSettings settings(MailOpsSettings s) throws IOException {
    return SnmpConfig.read(s, new SnmpConfig.Flags(listen, community, trapTargets, trapCommunity));
  }

  /** Where {@code serve} keeps its pid: {@code STATE/serve.pid}. */
  static Path pidFile(SnmpSettings settings) {
    return settings.stateDir().resolve("serve.pid");
  }

  private static void claimPidFile(Path pidFile) throws IOException {
    Files.createDirectories(pidFile.getParent());
    if (Files.exists(pidFile)) {
      String old = Files.readString(pidFile, StandardCharsets.UTF_8).trim();
      boolean alive = old.matches("\\d+") && ProcessHandle.of(Long.parseLong(old)).map(ProcessHandle::isAlive).orElse(false);
      if (alive) {
        throw new IOException("another 'mailops snmp serve' runs (pid " + old + ", " + pidFile
            + "); stop it first or use another MAILOPS_HOME");
      }
    }
    Files.writeString(pidFile, ProcessHandle.current().pid() + "\n", StandardCharsets.UTF_8);
  }

  /**
   * A small pool kept open while serving: opening a connection per query would reopen an embedded
   * H2 file database each time, far slower than a manager's timeout.
   */
  private static HikariDataSource pool(MailOpsSettings s) throws IOException {
    String url = s.get("spring.datasource.url");
    HikariConfig c = new HikariConfig();
    c.setPoolName("mailops-snmp");
    c.setJdbcUrl(url);
    c.setUsername(s.get("spring.datasource.username", ""));
    c.setPassword(s.get("spring.datasource.password", ""));
    c.setMaximumPoolSize(2);
    c.setMinimumIdle(1);
    // a request waits for a connection at most this long (a manager gives up after 1 to 5 s)
    c.setConnectionTimeout(2000);
    try {
      return new HikariDataSource(c);
    } catch (RuntimeException e) {
      throw new IOException("cannot open the report database " + url + ": " + e.getMessage()
          + "; check spring.datasource.url", e);
    }
  }

  private int serve(SnmpSettings settings, DataSource reportDb, Path pidFile)
      throws IOException, InterruptedException {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    MailOpsAgent agent = SnmpAgentFactory.start(settings, reportDb, w -> line(err, "mailops: warning: " + w));
    CountDownLatch stopped = new CountDownLatch(1);
    Thread hook = new Thread(() -> {
      agent.sendShutdown();
      agent.close();
      try {
        Files.deleteIfExists(pidFile);
      } catch (IOException e) {
        line(err, "mailops: warning: cannot remove " + pidFile + ": " + e.getMessage());
      }
      stopped.countDown();
    }, "mailops-snmp-stop");
    Runtime.getRuntime().addShutdownHook(hook);
    if (Signal.handle(new Signal("HUP"), sig -> reload(agent, out, err)) == sun.misc.SignalHandler.SIG_IGN) {
      line(err, "warning: SIGHUP is ignored in this process (started under nohup?), so 'mailops snmp reload'"
          + " will not reach it; restart it to reload, or start it without nohup");
    }
    line(out, "serving " + OidLayout.mapped().size() + " parameters under " + settings.baseOid()
        + ".1 on udp:" + agent.listenAddress() + " (" + access(settings) + ", read-only; engine ID 0x"
        + agent.engineId() + "; pid file " + pidFile + "); Ctrl-C stops, 'mailops snmp reload' reloads");
    agent.sendStarted();
    stopped.await();
    return ExitCode.OK;
  }

  private void reload(MailOpsAgent agent, PrintWriter out, PrintWriter err) {
    try {
      SnmpSettings next = settings(snmp.freshSettings());
      agent.reload(next);
      line(out, "reloaded: " + access(next) + ", " + next.traps().targets().size() + " trap target(s)");
    } catch (IOException | IllegalArgumentException e) {
      line(err, "mailops: reload failed, keeping the running configuration: " + e.getMessage());
    }
  }

  private static String access(SnmpSettings s) {
    return s.communities().size() + " v2c communit" + (s.communities().size() == 1 ? "y" : "ies") + ", "
        + s.users().size() + " v3 user(s)";
  }

  private static void line(PrintWriter w, String text) {
    synchronized (w) {
      w.println(text);
      w.flush();
    }
  }
}
