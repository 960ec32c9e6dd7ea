package io.mailops.jobs.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

/** {@code mailops storage usage|check|sample}: look at, check and make mail stores (no batch job). */
@Command(name = "storage", mixinStandardHelpOptions = true,
    description = "Mail storage: usage and quota report, check and repair, sample data.")
public final class StorageCommand {

  @ParentCommand
  MailOpsCommand root;
}
