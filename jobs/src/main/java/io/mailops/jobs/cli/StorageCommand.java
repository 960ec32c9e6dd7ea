package io.mailops.jobs.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

/** {@code mailops storage usage|sample}: look at and make mail stores (no batch job). */
@Command(name = "storage", mixinStandardHelpOptions = true,
    description = "Mail storage: usage report, sample data.",
    subcommands = {UsageCommand.class, SampleCommand.class})
public final class StorageCommand {

  @ParentCommand
  MailOpsCommand root;
}
