package io.mailops.jobs.cli;

import io.mailops.jobs.batch.BatchApplication;
import io.mailops.jobs.batch.migrate.LookWarmup;
import io.mailops.jobs.batch.migrate.MigrateConsole;
import io.mailops.jobs.batch.migrate.MigrateNoopRun;
import io.mailops.jobs.batch.migrate.MigrateRequest;
import io.mailops.jobs.batch.migrate.RepositoryWarmup;
import io.mailops.jobs.config.MailOpsSettings;
import io.mailops.migrator.AccountReport;
import io.mailops.migrator.Fingerprint;
import io.mailops.migrator.MigrationAccount;
import io.mailops.migrator.VerifyReport;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.launch.JobOperator;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.task.SimpleAsyncTaskExecutor;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code mailops migrate run}: the restartable batch job {@code migrate}. */
@Command(name = "run", mixinStandardHelpOptions = true,
    description = {"Copy every folder and message (exact bytes, flags, keywords, INTERNALDATE) of"
        + " each account to its target, skipping what the target already holds, then verify each"
        + " account. Nothing on the source is changed unless --delete-source-after-verify is"
        + " given.",
        "A run that stopped (killed, failed) is continued by 'mailops jobs restart ID' or by running"
            + " it again: what was copied is remembered per account under $MAILOPS_HOME/migrate/state.",
        "Exit 0 done and verified, 1 failed, 3 done but messages failed or verify found differences."})
public final class MigrateRunCommand implements Callable<Integer> {

  @ParentCommand
  MigrateCommand parent;

  @Spec
  CommandSpec spec;

  @Mixin
  MigrateOptions what;

  @Option(names = "--parallel", paramLabel = "N",
      description = "Accounts migrated at once (default: mailops.migrate.parallel, 4).")
  Integer parallel;

  @Option(names = "--dry-run", description = "Compare and count only; write nothing.")
  boolean dryRun;

  @Option(names = "--preserve-uids",
      description = "Keep the source's UIDVALIDITY and UIDs (dovecot-uidlist as Dovecot writes it)"
          + " so mail clients do not download everything again; Maildir targets only, into empty"
          + " folders (or folders filled by an earlier --preserve-uids run).")
  boolean preserveUids;

  @Option(names = "--sync-flags",
      description = "Apply flags and keywords changed on the source since the last run to the"
          + " copies on the target (CONDSTORE when both servers offer it).")
  boolean syncFlags;

  @Option(names = "--delete-source-after-verify",
      description = "After a folder is verified, flag \\Deleted and expunge on the SOURCE the"
          + " messages found on the target. Never done without this option.")
  boolean deleteSourceAfterVerify;

  @Option(names = "--max-connections-per-host", paramLabel = "N",
      description = "IMAP connections to one server at once, over all accounts of the run"
          + " (default: mailops.migrate.max-connections-per-host, 0 = no limit).")
  Integer maxConnectionsPerHost;

  @Option(names = "--bytes-per-second", paramLabel = "N",
      description = "Fetch at most N message bytes per second per account (default:"
          + " mailops.migrate.bytes-per-second, 0 = no limit).")
  Long bytesPerSecond;

  @Override
  public Integer call() throws Exception {
    MailOpsCommand root = parent.root;
    MailOpsSettings settings = root.settings();
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    MigrateRequest request = what.request(dryRun).with(copy(preserveUids, syncFlags,
        deleteSourceAfterVerify, maxConnectionsPerHost, bytesPerSecond, settings));
    if (deleteSourceAfterVerify && dryRun) {
      throw new IllegalArgumentException("--delete-source-after-verify with --dry-run: a dry run"
          + " deletes nothing; leave out one of them");
    }
    if (what.insecureWarning() != null) {
      err.println(what.insecureWarning());
      err.flush();
    }
    List<MigrationAccount> accounts = request.accounts(settings.env());
    if (accounts.isEmpty()) {
      throw new IllegalArgumentException("the accounts file " + request.accounts()
          + " lists no account; add one row per mailbox below the header");
    }
    int n = parallel(parallel, settings);
    // nothing new: answered without the Spring application, recorded as a completed job (ADR
    // 0026) — unless the plain command line's own look (before picocli) just declined (ADR 0052)
    if (!request.equals(root.noopDeclined)
        && noop(out, settings, request, accounts, n, root.warmup) != null) {
      return ExitCode.OK;
    }
    if (root.warmup != null) {
      root.warmup.openNow(); // held back for the no-op journal: opened beside the job's start
    }
    try (ConfigurableApplicationContext ctx = BatchApplication.start(settings)) {
      if (root.warmup != null) {
        root.warmup.close(); // the context has opened the repository: H2 keeps the database open
      }
      ctx.getBean("migrateExecutor", SimpleAsyncTaskExecutor.class).setConcurrencyLimit(n);
      ctx.getBean(MigrateConsole.class).printTo(new MigrateConsole.Printer() {
        @Override
        public synchronized void accountDone(MigrationAccount a, AccountReport r, VerifyReport v,
            double seconds) {
          printAccount(out, a, r, v, seconds);
        }

        @Override
        public synchronized void deletedFromSource(MigrationAccount a, int messages) {
          out.printf("%s: %d message(s) verified on the target and deleted from the source%n",
              a.source().account(), messages);
          out.flush();
        }

        @Override
        public synchronized void accountFailed(MigrationAccount a, String message) {
          err.println("mailops: " + a.source().account() + " -> " + a.target().account()
              + " (line " + a.line() + "): " + message);
          err.flush();
        }
      });
      JobExecution e = ctx.getBean(JobOperator.class).start(ctx.getBean("migrateJob", Job.class),
          request.parameters(Instant.now(), accounts.size()));
      boolean partial = false;
      int failed = 0;
      for (StepExecution s : e.getStepExecutions()) {
        if (s.getStepName().startsWith("migrateAccount")) {
          partial |= "PARTIAL".equals(s.getExitStatus().getExitCode());
          failed += s.getStatus() == BatchStatus.COMPLETED ? 0 : 1;
        }
      }
      out.printf("Migration %s: %d account(s), %d failed (execution %d%s)%n",
          e.getStatus() == BatchStatus.COMPLETED ? "done" : "stopped", accounts.size(), failed,
          e.getId(), dryRun ? ", dry run" : "");
      if (e.getStatus() != BatchStatus.COMPLETED) {
        err.println("mailops: migration of " + request.label() + " did not complete; fix what"
            + " the lines above say and run 'mailops jobs restart " + e.getId()
            + "' (copied messages are not copied again)");
        return ExitCode.FAILED;
      }
      return partial ? ExitCode.PARTIAL : ExitCode.OK;
    }
  }

  /**
   * How a run copies: the options given (null/false when not given), else the settings'
   * defaults.
   */
  static MigrateRequest.Copy copy(boolean preserveUids, boolean syncFlags,
      boolean deleteSourceAfterVerify, Integer maxConnectionsPerHost, Long bytesPerSecond,
      MailOpsSettings settings) {
    return new MigrateRequest.Copy(preserveUids, syncFlags, deleteSourceAfterVerify,
        maxConnectionsPerHost != null ? maxConnectionsPerHost
            : Integer.parseInt(settings.get("mailops.migrate.max-connections-per-host", "0")),
        bytesPerSecond != null ? bytesPerSecond
            : Long.parseLong(settings.get("mailops.migrate.bytes-per-second", "0")));
  }

  /** Accounts at once: {@code parallel} (null when not given), else the setting; 1 to 64. */
  static int parallel(Integer parallel, MailOpsSettings settings) {
    int n = parallel != null ? parallel
        : Integer.parseInt(settings.get("mailops.migrate.parallel", "4"));
    if (n < 1 || n > 64) {
      throw new IllegalArgumentException("--parallel " + n + ": use 1 to 64");
    }
    return n;
  }

  /** How a run with nothing new that went to the no-op journal ends its closing line. */
  static final String JOURNALED = "recorded in the job repository at its next use";

  /**
   * The no-op fast path (ADR 0026): when it records the run, its lines printed and {@link
   * ExitCode#OK}; null when the job must run. The accounts' lines are made while the job
   * repository is awaited, printed once the run is recorded (docs/adr/0052), or journaled for
   * an embedded repository (docs/adr/0054).
   */
  static Integer noop(PrintWriter out, MailOpsSettings settings, MigrateRequest request,
      List<MigrationAccount> accounts, int parallel, RepositoryWarmup warmup) {
    StringWriter lines = new StringWriter();
    Optional<MigrateNoopRun.Done> noop = new MigrateNoopRun(settings, request, accounts, parallel)
        .using(warmup).run(answered -> {
          PrintWriter w = new PrintWriter(lines);
          for (MigrateNoopRun.Account a : answered) {
            printAccount(w, a.account(), a.reports().migration(), a.reports().verify(),
                a.seconds());
          }
        });
    if (noop.isEmpty()) {
      return null;
    }
    out.print(lines);
    if (noop.get().journaled()) {
      // an embedded repository, not opened: the execution is written when it next is (ADR 0054)
      out.printf("Migration done: %d account(s), 0 failed (nothing new; %s)%n", accounts.size(),
          JOURNALED);
    } else {
      out.printf("Migration done: %d account(s), 0 failed (execution %d)%n", accounts.size(),
          noop.get().executionId());
    }
    return ExitCode.OK;
  }

  /**
   * {@code migrate run --accounts FILE [--parallel N] [--config F]} with nothing else given
   * ({@link LookWarmup#line}), answered by the no-op fast path before picocli has built a model
   * of the command line (docs/adr/0052): its lines printed and {@link ExitCode#OK}. Null when the
   * command line is another, the fast path declines, or anything is wrong (the accounts file, the
   * settings, {@code --parallel}): picocli then parses and runs it as always, and reports what is
   * wrong; a look made here that declined is not made again ({@code noopDeclined}). The request
   * is the one picocli makes of the same line (MigrateOptions' and this command's defaults;
   * {@code MigrateRunPlainTest} compares them).
   */
  static Integer plain(MailOpsCommand root, PrintWriter out, String... args) {
    LookWarmup.Line line = LookWarmup.line(args);
    if (line == null || root.warmup == null) {
      return null;
    }
    try {
      MailOpsSettings settings = root.warmup.settings(RepositoryWarmup.config(args));
      if (settings == null) {
        return null;
      }
      MigrateRequest request = plainRequest(line.accountsFile(),
          copy(false, false, false, null, null, settings));
      // as the looks started ahead read them (the same file, MigrationAccounts.read)
      List<MigrationAccount> accounts = root.warmup.accounts(line.accountsFile());
      if (accounts == null) {
        accounts = request.accounts(settings.env());
      }
      if (accounts.isEmpty()) {
        return null;
      }
      int n = parallel(line.parallel() == null ? null : Integer.valueOf(line.parallel()),
          settings);
      Integer code = noop(out, settings, request, accounts, n, root.warmup);
      if (code == null) {
        root.noopDeclined = request;
      }
      return code;
    } catch (IOException | RuntimeException e) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }

  /**
   * The request of {@code migrate run --accounts FILE}: MigrateOptions' defaults (headers dedupe,
   * no folder rules, no one-off endpoints) and {@code copy}.
   */
  static MigrateRequest plainRequest(Path accounts, MigrateRequest.Copy copy) {
    return new MigrateRequest(accounts, null, null, null, null, List.of(), List.of(), List.of(),
        false, false, false, Fingerprint.Mode.HEADERS, false).with(copy);
  }

  /** The line of one account done (and its failures and differences), as the job reports it. */
  private static void printAccount(PrintWriter out, MigrationAccount a, AccountReport r,
      VerifyReport v, double seconds) {
    out.printf("%s -> %s: %d folders, %d %s, %d skipped (%d duplicates, %d already done, %d"
            + " vanished), %d failed, %s in %.1f s (%s/s)%s%s%n",
        a.source().account(), a.target().account(), r.folders().size(), r.copied(),
        r.dryRun() ? "to copy" : "copied", r.duplicates() + r.alreadyDone() + r.vanished(),
        r.duplicates(), r.alreadyDone(), r.vanished(), r.failed(), Table.bytes(r.bytes()),
        seconds, Table.bytes((long) (r.bytes() / Math.max(seconds, 0.001))),
        r.flagsUpdated() > 0 ? ", flags updated on " + r.flagsUpdated() : "",
        v == null ? "" : v.ok() ? ", verified" : ", VERIFY FOUND DIFFERENCES");
    for (String f : r.failures()) {
      out.println("  failed: " + f);
    }
    if (v != null && !v.ok()) {
      for (String l : v.lines()) {
        out.println("  " + l);
      }
    }
    out.flush();
  }
}
