package io.mailops.jobs.cli;

import io.mailops.jobs.batch.migrate.MigrateRequest;
import io.mailops.jobs.config.MailOpsSettings;
import io.mailops.migrator.MigrationAccount;
import io.mailops.migrator.MigrationVerify;
import io.mailops.migrator.VerifyReport;
import io.mailops.migrator.wire.WireIo;
import io.mailops.migrator.wire.WireStore;
import io.mailops.storage.MailStore;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code mailops migrate verify}: compares source and target, account by account. */
@Command(name = "verify", mixinStandardHelpOptions = true,
    description = {"Compare each account's source and target per folder: counts, message"
        + " fingerprints and flags. Reads both sides only.",
        "Exit 0 when every account matches, 1 when differences were found (each listed)."})
public final class MigrateVerifyCommand implements Callable<Integer> {

  @ParentCommand
  MigrateCommand parent;

  @Spec
  CommandSpec spec;

  @Mixin
  MigrateOptions what;

  @Override
  public Integer call() throws Exception {
    MailOpsSettings settings = parent.root.settings();
    PrintWriter out = spec.commandLine().getOut();
    MigrateRequest request = what.request(false);
    boolean ok = true;
    if (what.insecureWarning() != null) {
      spec.commandLine().getErr().println(what.insecureWarning());
    }
    for (MigrationAccount row : request.accounts(settings.env())) {
      MigrationAccount a = request.connection(row);
      try (MailStore source = WireStore.of(a.source());
          MailStore target = WireStore.of(a.target());
          WireIo wire = WireIo.open(a, source, target)) {
        VerifyReport v = new MigrationVerify(source, a.source().account(), target,
            a.target().account(), request.folderMap(a), request.options(), wire.io()).run();
        out.println(a.source().account() + " -> " + a.target().account() + ": "
            + (v.ok() ? "OK (" + v.folders().size() + " folders)" : "DIFFERENCES"));
        for (String l : v.lines()) {
          out.println("  " + l);
        }
        ok &= v.ok();
      }
    }
    return ok ? ExitCode.OK : ExitCode.FAILED;
  }
}
