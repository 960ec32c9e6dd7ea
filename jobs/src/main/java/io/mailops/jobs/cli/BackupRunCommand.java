package io.mailops.jobs.cli;

import io.mailops.backup.BackupResult;
import io.mailops.backup.Scope;
import io.mailops.jobs.batch.BatchApplication;
import io.mailops.jobs.batch.backup.BackupConsole;
import io.mailops.jobs.batch.backup.BackupJobConfig;
import io.mailops.jobs.batch.backup.BackupRun;
import io.mailops.jobs.config.MailOpsSettings;
import io.mailops.storage.maildir.MaildirLayout;
import io.mailops.storage.maildir.MaildirStore;
import io.mailops.storage.sample.SampleGenerator;
import io.mailops.storage.sample.SampleSettings;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.LocalDateTime;
import java.util.concurrent.Callable;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.ExitStatus;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.JobInstance;
import org.springframework.batch.core.launch.JobOperator;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.context.ConfigurableApplicationContext;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code mailops backup run}: one backup set, as the restartable Spring Batch job
 * {@code backup}. A run after an interrupted one continues its set.
 */
@Command(name = "run", mixinStandardHelpOptions = true,
    description = {"Back up the mail store: a full set, or an incremental one holding only what"
        + " is new since the last set of the same scope (messages whose flags changed are a"
        + " manifest change only). Default: incremental while the last full set is younger than"
        + " mailops.backup.full-every-days, else full.",
        "An interrupted run (killed, failed, server refused) is continued by the next run or by"
            + " 'mailops jobs restart ID'; finished folders are not uploaded again.",
        "Exit 0 done, 1 failed, 3 done but some messages or folders were skipped (listed)."})
public final class BackupRunCommand implements Callable<Integer> {

  @ParentCommand
  BackupCommand parent;

  @Spec
  CommandSpec spec;

  @Mixin
  BackupTargetOptions target;

  @Option(names = "--scope", paramLabel = "SCOPE",
      description = "all, example.com, alice@example.com or alice@example.com/INBOX/Sub"
          + " (default: mailops.backup.scope).")
  String scope;

  @Option(names = "--storage", paramLabel = "URI",
      description = "Mail store to back up (default: mailops.storage).")
  String storage;

  @ArgGroup(exclusive = true)
  Kind kind;

  static final class Kind {
    @Option(names = "--full", description = "Take a full set.")
    boolean full;

    @Option(names = "--incremental", description = "Take an incremental set (needs an earlier set of the scope).")
    boolean incremental;
  }

  @Override
  public Integer call() throws Exception {
    MailOpsCommand root = parent.root;
    MailOpsSettings settings = root.settings();
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    String store = storage != null ? storage : settings.get("mailops.storage");
    createSampleIfDefault(root, settings, store, out);
    Scope sc = Scope.parse(scope != null ? scope : settings.get("mailops.backup.scope", "all"));
    String k = kind == null ? "auto" : kind.full ? "full" : "incremental";
    int every = Integer.parseInt(settings.get("mailops.backup.full-every-days", "7"));
    if (every < 1) {
      throw new IllegalArgumentException("mailops.backup.full-every-days is " + every + "; use 1 or more");
    }
    Path home = settings.home();
    BackupRun.Request request = new BackupRun.Request(store, target.spec(settings), sc, k,
        target.encryptionFile(settings), every, home.resolve("backup/state"),
        Path.of(settings.get("mailops.backup.work-dir", home.resolve("backup/work").toString())));
    // the FTPS connection (handshake, login) is made while Spring and the job repository start
    try {
      request.target().openAhead(settings.env());
    } catch (IOException | RuntimeException e) {
      // e.g. an unreadable CA file: the job opens the target itself and fails as a job, as before
    }
    try (ConfigurableApplicationContext ctx = BatchApplication.start(settings)) {
      BackupConsole console = ctx.getBean(BackupConsole.class);
      if (root.terminal) {
        console.printTo((done, total, folder) -> {
          int width = 30;
          int filled = total == 0 ? width : done * width / total;
          err.print("\r[" + "#".repeat(filled) + " ".repeat(width - filled) + "] " + done + "/"
              + total + " folders  " + abbreviate(folder) + "\033[K");
          err.flush();
        });
      }
      JobRepository repo = ctx.getBean(JobRepository.class);
      markAbandoned(repo, request);
      JobExecution e = ctx.getBean(JobOperator.class).start(
          ctx.getBean("backupJob", Job.class), BackupJobConfig.parameters(request, Clock.systemUTC()));
      if (root.terminal) {
        err.println();
      }
      BackupRun.Summary s = console.last();
      if (e.getStatus() == BatchStatus.STOPPED) {
        err.println("mailops: backup of " + sc + " to " + request.target() + " stopped on request between folders;"
            + " the next run (or 'mailops jobs restart " + e.getId() + "') continues the set");
        return ExitCode.FAILED;
      }
      if (e.getStatus() != BatchStatus.COMPLETED || s == null) {
        Throwable cause = e.getAllFailureExceptions().isEmpty() ? null : e.getAllFailureExceptions().get(0);
        err.println("mailops: backup of " + sc + " to " + request.target() + " failed: "
            + (cause == null ? e.getExitStatus().getExitDescription() : message(cause))
            + "; fix that and run it again (or 'mailops jobs restart " + e.getId()
            + "') — finished folders are not uploaded again");
        if (root.debug && cause != null) {
          cause.printStackTrace(err);
        }
        return ExitCode.FAILED;
      }
      print(out, s, e.getId());
      return s.result().partial() ? ExitCode.PARTIAL : ExitCode.OK;
    } finally {
      request.target().dropAhead(); // when the job did not get to open it
    }
  }

  static void print(PrintWriter out, BackupRun.Summary s, long execution) {
    BackupResult r = s.result();
    out.println("Backup set " + r.set() + " on " + s.target() + " (execution " + execution + ")");
    out.println("  " + s.kindReason());
    if (r.parent() != null) {
      out.println("  parent            " + r.parent());
    }
    out.printf("  folders           %d%n", r.folders());
    out.printf("  messages          %d (%d new in this set, %d already in earlier sets)%n",
        r.messages(), r.written(), r.unchanged());
    out.printf("  bytes read        %s%n", Table.bytes(r.bytesWritten()));
    out.printf("  bytes uploaded    %s%n", Table.bytes(s.bytesUploaded()));
    out.printf("  skipped           %d%n", r.skipped().size());
    for (String sk : r.skipped()) {
      out.println("    " + sk);
    }
    out.printf("  duration          %.1f s%n", s.duration().toMillis() / 1000.0);
  }

  /**
   * Executions of this backup still marked running in the repository belong to a process that
   * died (this one holds the lock of its target and scope): mark them failed so the history is
   * true; their set is continued by this run.
   */
  private static void markAbandoned(JobRepository repo, BackupRun.Request r) {
    if (lockHeld(r)) {
      return; // a live run: its executions are really running
    }
    for (JobInstance i : repo.getJobInstances(BackupJobConfig.JOB, 0, 50)) {
      for (JobExecution e : repo.getJobExecutions(i)) {
        if (e.getStatus().isRunning() && r.target().uri().equals(e.getJobParameters().getString("target"))
            && r.scope().toString().equals(e.getJobParameters().getString("scope"))) {
          e.setStatus(BatchStatus.FAILED);
          e.setExitStatus(new ExitStatus("FAILED", "the process running it died; the next run continued its set"));
          e.setEndTime(LocalDateTime.now());
          repo.update(e);
        }
      }
    }
  }

  /** Whether another process holds the lock of this target and scope right now. */
  private static boolean lockHeld(BackupRun.Request r) {
    try {
      return BackupRun.locked(r);
    } catch (IOException e) {
      return true;
    }
  }

  private static void createSampleIfDefault(MailOpsCommand root, MailOpsSettings settings,
      String store, PrintWriter out) throws Exception {
    Path dir = settings.home().resolve("sample");
    if (!store.equals("maildir:" + dir) || Files.exists(dir)) {
      return;
    }
    Files.createDirectories(dir);
    try (MaildirStore s = new MaildirStore(dir, MaildirLayout.standard(), MaildirStore.Settings.defaults())) {
      var report = SampleGenerator.generate(s, new SampleSettings(3, 4, 60, 42), (a, i, n) -> { });
      out.println("Created the sample store " + dir + " (" + report.messages()
          + " messages; 'mailops storage sample' makes other sizes) to back up.");
    }
  }

  private static String abbreviate(String s) {
    return s.length() <= 40 ? s : "…" + s.substring(s.length() - 39);
  }

  private static String message(Throwable t) {
    while ((t.getMessage() == null || t.getMessage().isBlank()) && t.getCause() != null) {
      t = t.getCause();
    }
    return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
  }
}
