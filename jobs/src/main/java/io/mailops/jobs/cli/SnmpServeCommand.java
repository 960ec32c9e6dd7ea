package io.mailops.jobs.cli;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.mailops.jobs.config.MailOpsSettings;
import io.mailops.reporting.series.MetricsView;
import io.mailops.reporting.store.JdbcSampleStore;
import io.mailops.snmp.MailOpsAgent;
import io.mailops.snmp.OidLayout;
import io.mailops.snmp.SnmpSettings;
import java.io.IOException;
import java.io.PrintWriter;
import java.time.Clock;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code mailops snmp serve}: runs the read-only SNMPv2c agent over the values {@code mailops report
 * collect} stored, until the process is stopped (Ctrl-C or SIGTERM close the port first).
 */
@Command(name = "serve", mixinStandardHelpOptions = true,
    description = {"Serves the reporting parameters read-only over SNMPv2c until stopped (Ctrl-C, SIGTERM).",
        "Counters are Counter64 totals, gauges Gauge32 latest samples, under mailops.snmp.base-oid.1;",
        "'mailops snmp mib' prints the MIB. Values come from what 'mailops report collect' stored.",
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
      description = "The read-only community (default mailops.snmp.community); other communities get no answer.")
  String community;

  @Override
  public Integer call() throws Exception {
    MailOpsSettings s = snmp.settings();
    String name = community != null ? community : s.get("mailops.snmp.community");
    if (name == null || name.isEmpty()) {
      throw new IllegalArgumentException("no SNMP community: give --community NAME or set mailops.snmp.community");
    }
    SnmpSettings settings = new SnmpSettings(listen != null ? listen : s.get("mailops.snmp.listen", SnmpSettings.DEFAULT_LISTEN),
        name, snmp.baseOid());
    try (HikariDataSource pool = pool(s)) {
      JdbcSampleStore store = new JdbcSampleStore(pool);
      store.createSchema();
      return serve(settings, store);
    }
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
    try {
      return new HikariDataSource(c);
    } catch (RuntimeException e) {
      throw new IOException("cannot open the report database " + url + ": " + e.getMessage()
          + "; check spring.datasource.url", e);
    }
  }

  private int serve(SnmpSettings settings, MetricsView view) throws IOException, InterruptedException {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    MailOpsAgent agent = MailOpsAgent.start(settings, view, Clock.systemUTC(), w -> {
      synchronized (err) {
        err.println("mailops: warning: " + w);
        err.flush();
      }
    });
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      agent.close();
      stopped.countDown();
    }, "mailops-snmp-stop"));
    out.println("serving " + OidLayout.mapped().size() + " parameters under " + settings.baseOid()
        + ".1 on udp:" + agent.listenAddress() + " (SNMPv2c, read-only); Ctrl-C stops");
    out.flush();
    stopped.await();
    return ExitCode.OK;
  }
}
