package io.mailops.jobs.cli;

import io.mailops.backup.Prune;
import io.mailops.backup.PrunePolicy;
import io.mailops.backup.PruneResult;
import io.mailops.jobs.batch.backup.OpenTarget;
import io.mailops.jobs.config.MailOpsSettings;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code mailops backup prune --keep-daily 7 --keep-weekly 4 --keep-monthly 12 [--dry-run]}. */
@Command(name = "prune", mixinStandardHelpOptions = true,
    description = {"Remove old backup sets, per scope, keeping the newest set of each of the last N"
        + " days, ISO weeks and months that have one (as restic forget does), the newest set, and"
        + " every set a kept set builds on. Leftovers of crashed runs older than 24 h go too.",
        "Defaults from mailops.backup.keep-daily/-weekly/-monthly."})
public final class BackupPruneCommand implements Callable<Integer> {

  @ParentCommand
  BackupCommand parent;

  @Spec
  CommandSpec spec;

  @Mixin
  BackupTargetOptions target;

  @Option(names = "--keep-daily", paramLabel = "N", description = "Days to keep a set of.")
  Integer daily;

  @Option(names = "--keep-weekly", paramLabel = "N", description = "ISO weeks to keep a set of.")
  Integer weekly;

  @Option(names = "--keep-monthly", paramLabel = "N", description = "Months to keep a set of.")
  Integer monthly;

  @Option(names = "--dry-run", description = "Print what would be removed; remove nothing.")
  boolean dryRun;

  @Override
  public Integer call() throws Exception {
    MailOpsSettings s = parent.root.settings();
    PrintWriter out = spec.commandLine().getOut();
    PrunePolicy policy = new PrunePolicy(
        daily != null ? daily : Integer.parseInt(s.get("mailops.backup.keep-daily", "7")),
        weekly != null ? weekly : Integer.parseInt(s.get("mailops.backup.keep-weekly", "4")),
        monthly != null ? monthly : Integer.parseInt(s.get("mailops.backup.keep-monthly", "12")));
    try (OpenTarget t = target.open(s)) {
      PruneResult r = new Prune(t).run(policy, dryRun);
      for (String k : r.kept()) {
        out.println("keep    " + k + "  (" + r.reasons().getOrDefault(k, "") + ")");
      }
      for (String k : r.removed()) {
        out.println((dryRun ? "would remove " : "removed ") + k
            + (r.reasons().containsKey(k) ? "  (" + r.reasons().get(k) + ")" : ""));
      }
      out.println((dryRun ? "Dry run: would remove " : "Removed ") + r.removed().size() + " set(s), kept "
          + r.kept().size() + " on " + t + ".");
      return ExitCode.OK;
    }
  }
}
