package io.mailops.jobs.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

/**
 * {@code mailops report summary|params|collect|export|chart|render}: reports from the mail logs (pflogsumm-style
 * summary), the parameters the collector, the charts and the SNMP agent share, the minute collection
 * of those parameters and their export.
 */
@Command(name = "report", mixinStandardHelpOptions = true,
    description = "Mail reports: the pflogsumm-style summary of the mail log, the reporting parameters, their"
        + " minute collection, export and charts.",
    footer = {"", "Reading /var/log/mail.log needs root or the adm group. Exit codes: 0 done, 1 failed, 2 bad usage."})
public final class ReportCommand {

  @ParentCommand
  MailOpsCommand root;
}
