package io.mailops.jobs.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

/**
 * {@code mailops report summary|params}: reports from the mail logs (pflogsumm-style summary)
 * and the parameters the collector, the charts and the SNMP agent share.
 */
@Command(name = "report", mixinStandardHelpOptions = true,
    description = "Mail reports: the pflogsumm-style summary of the mail log, the reporting parameters.",
    subcommands = {ReportSummaryCommand.class, ReportParamsCommand.class, ReportChartCommand.class, ReportRenderCommand.class},
    footer = {"", "Reading /var/log/mail.log needs root or the adm group. Exit codes: 0 done, 1 failed, 2 bad usage."})
public final class ReportCommand {

  @ParentCommand
  MailOpsCommand root;
}
