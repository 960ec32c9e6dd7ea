package io.mailops.jobs.cli;

import io.mailops.archiver.Archive;
import io.mailops.jobs.config.MailOpsSettings;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code mailops archive init}: creates an empty archive under a password. */
@Command(name = "init", mixinStandardHelpOptions = true,
    description = "Create an archive (default directory: mailops.archive.dir). The password must"
        + " have at least mailops.archive.password-min-length (12) characters with upper case,"
        + " lower case and a digit; on a terminal it is asked twice. A lost password cannot be"
        + " recovered: the archive cannot be read without it.")
public final class ArchiveInitCommand implements Callable<Integer> {

  @ParentCommand
  ArchiveCommand parent;

  @Spec
  CommandSpec spec;

  @Mixin
  ArchiveOptions options;

  @Override
  public Integer call() throws Exception {
    MailOpsSettings s = parent.settings();
    Path dir = options.dir(s);
    try (Archive a = ArchiveSupport.init(s, dir, options.password(s, parent.root.terminal, true))) {
      spec.commandLine().getOut().println("Created the archive at " + a.dir()
          + ". Keep the password safe: without it the archive cannot be read.");
    }
    return ExitCode.OK;
  }
}
