package io.mailops.jobs.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

/** {@code mailops daemon run|status}: the scheduled jobs, the collector and the SNMP agent as one service. */
@Command(name = "daemon", mixinStandardHelpOptions = true,
    description = "The long-running service beside the mail server: scheduled jobs (mailops.daemon.schedules),"
        + " the minute collector, the SNMP agent and an HTTP health endpoint.",
    footer = {"", "Settings: mailops.daemon.schedules.<name>.{cron,zone,enabled,catch-up,retries,retry-backoff,…},",
        "mailops.daemon.collector, mailops.daemon.http.listen, mailops.daemon.stop-timeout (README, \"Daemon\").",
        "Exit codes: 0 done, 1 failed (or, for status, not running), 2 bad usage or bad settings."})
public final class DaemonCommand {

  @ParentCommand
  MailOpsCommand root;
}
