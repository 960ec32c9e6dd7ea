package io.mailops.jobs.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

/** {@code mailops backup run|list|verify|restore|prune}: backup sets on FTP/FTPS or a directory. */
@Command(name = "backup", mixinStandardHelpOptions = true,
    description = "Backups of the mail store to FTP/FTPS or a local directory: full or incremental"
        + " sets, verify, restore of a domain, account, folder or one message, prune.")
public final class BackupCommand {

  @ParentCommand
  MailOpsCommand root;
}
