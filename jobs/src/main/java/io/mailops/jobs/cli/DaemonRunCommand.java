package io.mailops.jobs.cli;

import io.mailops.jobs.batch.BatchApplication;
import io.mailops.jobs.config.MailOpsSettings;
import io.mailops.jobs.daemon.BatchJobRunner;
import io.mailops.jobs.daemon.Commands;
import io.mailops.jobs.daemon.Daemon;
import io.mailops.jobs.daemon.HealthServer;
import io.mailops.jobs.daemon.LoggingDaemonEvents;
import io.mailops.jobs.daemon.Schedules;
import io.mailops.jobs.daemon.SnmpAgents;
import io.mailops.reporting.store.JdbcSampleStore;
import io.mailops.snmp.MailOpsAgent;
import io.mailops.snmp.SnmpSettings;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import javax.sql.DataSource;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.launch.JobOperator;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.context.ConfigurableApplicationContext;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code mailops daemon run}: runs the daemon in the foreground until SIGTERM (or Ctrl-C); SIGHUP
 * re-reads the settings. What systemd starts (packaging/systemd/mailops.service).
 */
@Command(name = "run", mixinStandardHelpOptions = true,
    description = {"Run the daemon in the foreground: the jobs of mailops.daemon.schedules (each run a job"
        + " execution in 'mailops jobs history'), the minute collector (mailops.daemon.collector), the SNMP"
        + " agent with its notifications (when mailops.snmp has a community or a v3 user, as 'mailops snmp serve') and /health + /metrics (mailops.daemon.http.listen).",
        "Executions a killed daemon left running are restarted first. SIGHUP re-reads the settings;"
            + " SIGTERM stops: running jobs get mailops.daemon.stop-timeout to end, the rest is marked"
            + " STOPPED and restarts at the next start (a backup stops between folders, an ingest at a group commit)."
            + " While the agent runs, its pid file is the daemon's: 'mailops snmp reload' reloads the daemon."
            + " The log goes to standard output."})
public final class DaemonRunCommand implements Callable<Integer> {

  @ParentCommand
  DaemonCommand parent;

  @Spec
  CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    MailOpsCommand root = parent.root;
    MailOpsSettings settings = root.settings();
    Schedules.read(settings); // bad schedules are a usage error before anything starts
    HealthServer.parse(settings.get("mailops.daemon.http.listen", ""));
    snmpAgents(null).settings(settings); // so are bad SNMP settings
    PrintWriter log = spec.commandLine().getOut();
    Clock clock = Clock.systemUTC();
    Commands commands = (out, err, args) -> {
      List<String> all = new ArrayList<>(args);
      if (root.config != null) {
        all.add("--config");
        all.add(root.config.toString());
      }
      return MailOpsCommand.run(out, err, root.env, false, false, all.toArray(String[]::new));
    };
    try (ConfigurableApplicationContext ctx = BatchApplication.start(settings)) {
      BatchJobRunner runner = new BatchJobRunner(ctx.getBean(JobRepository.class), ctx.getBean(DataSource.class), ctx.getBean(JobOperator.class),
          ctx.getBean("backupJob", Job.class), commands, settings.home(), clock, log);
      DataSource db = ctx.getBean(DataSource.class);
      JdbcSampleStore samples = new JdbcSampleStore(db, clock);
      samples.createSchema();
      Daemon daemon = new Daemon(() -> MailOpsSettings.load(root.env, root.config), runner, commands, samples,
          snmpAgents(db), settings.home(), clock, log, new LoggingDaemonEvents(log, clock));
      daemon.handleSignals();
      daemon.run();
      return ExitCode.OK;
    }
  }

  /** The agent as {@code mailops snmp serve} starts it, over the report database {@code db}. */
  private static SnmpAgents snmpAgents(DataSource db) {
    return new SnmpAgents() {
      @Override
      public SnmpSettings settings(MailOpsSettings s) throws IOException {
        return SnmpAgentFactory.configured(s) ? SnmpAgentFactory.settings(s) : null;
      }

      @Override
      public MailOpsAgent start(SnmpSettings settings, Consumer<String> warnings) throws IOException {
        return SnmpAgentFactory.start(settings, db, warnings);
      }

      @Override
      public Path pidFile(SnmpSettings settings) {
        return SnmpServeCommand.pidFile(settings);
      }
    };
  }
}
