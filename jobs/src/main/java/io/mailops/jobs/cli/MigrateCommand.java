package io.mailops.jobs.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

/**
 * {@code mailops migrate run|verify|status|report}: move mailboxes over IMAP or into Maildir. The
 * actions are registered in {@link MailOpsCommand#ACTIONS} (a {@code migrate run} builds only its
 * own picocli model).
 */
@Command(name = "migrate", mixinStandardHelpOptions = true,
    description = "Migrate legacy mailboxes over IMAP (or into a Maildir): many accounts in one"
        + " restartable job, folders, flags, keywords and dates kept, no duplicates, verified.")
public final class MigrateCommand {

  @ParentCommand
  MailOpsCommand root;
}
