package io.mailops.jobs.cli;

import io.mailops.jobs.batch.JobLock;
import io.mailops.jobs.batch.migrate.MigrateRequest;
import io.mailops.jobs.batch.migrate.RepositoryWarmup;
import io.mailops.jobs.config.MailOpsSettings;
import io.mailops.jobs.daemon.JobKind;
import io.mailops.storage.model.AccountId;
import io.mailops.storage.model.FolderPath;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;
import picocli.CommandLine;

/** {@code mailops ENTITY ACTION [ARGS]}: the root command and the error handling of all. */
@Command(name = "mailops", mixinStandardHelpOptions = true, versionProvider = Version.class,
    description = "Batch and ops toolkit beside a Dovecot + Postfix mail server.",
    footer = {"", "Exit codes: 0 done, 1 failed, 2 bad usage, 3 finished with skipped items (listed)."})
public final class MailOpsCommand {

  /** The entities, in the order {@code --help} lists them. */
  static final List<Class<?>> ENTITIES = List.of(StorageCommand.class, QueueCommand.class, BackupCommand.class, MigrateCommand.class,
      ArchiveCommand.class, ReportCommand.class, SnmpCommand.class, DaemonCommand.class, JobsCommand.class);

  /**
   * The actions of the entities that register them here rather than in their {@code @Command}
   * annotation: a run that names its action builds only that one's picocli model (the others'
   * cost start-up time; docs/adr/0004-jvm-flags.md).
   */
  static final Map<Class<?>, List<Class<?>>> ACTIONS = Map.of(
      StorageCommand.class, List.of(UsageCommand.class, CheckCommand.class, SampleCommand.class),
      QueueCommand.class, List.of(QueueListCommand.class, QueueShowCommand.class,
          QueueStatsCommand.class, QueueActionCommand.Hold.class,
          QueueActionCommand.Release.class, QueueActionCommand.Delete.class,
          QueueActionCommand.Requeue.class),
      MigrateCommand.class, List.of(MigrateRunCommand.class, MigrateVerifyCommand.class,
          MigrateStatusCommand.class, MigrateReportCommand.class),
      BackupCommand.class, List.of(BackupRunCommand.class, BackupListCommand.class,
          BackupVerifyCommand.class, BackupRestoreCommand.class, BackupPruneCommand.class),
      ArchiveCommand.class, List.of(ArchiveInitCommand.class, ArchiveIngestCommand.class,
          ArchiveSearchCommand.class, ArchiveShowCommand.class, ArchiveExportCommand.class,
          ArchiveResendCommand.class),
      ReportCommand.class, List.of(ReportSummaryCommand.class, ReportParamsCommand.class,
          ReportCollectCommand.class, ReportExportCommand.class, ReportChartCommand.class,
          ReportRenderCommand.class),
      SnmpCommand.class, List.of(SnmpServeCommand.class, SnmpMibCommand.class, SnmpReloadCommand.class),
      DaemonCommand.class, List.of(DaemonRunCommand.class, DaemonStatusCommand.class));

  /** The root's own options that print something and stop: they need no action's model. */
  private static final List<String> ROOT_ONLY = List.of("--help", "-h", "--version", "-V");

  @Spec
  CommandSpec spec;

  @Option(names = "--debug", scope = ScopeType.INHERIT,
      description = "Print stack traces with errors.")
  boolean debug;

  @Option(names = "--config", scope = ScopeType.INHERIT, paramLabel = "FILE",
      description = "Configuration file read after $MAILOPS_HOME/mailops.yml.")
  Path config;

  Map<String, String> env = Map.of();
  boolean terminal;
  private MailOpsSettings settings;

  /**
   * {@code migrate run}'s settings and job repository, opened beside the parsing (ADR 0028); null
   * for other commands.
   */
  RepositoryWarmup warmup;

  /**
   * The request whose no-op look {@link MigrateRunCommand#plain} made before picocli and that
   * the fast path declined; the command does not look again for it. Null otherwise.
   */
  MigrateRequest noopDeclined;

  /** The effective settings (loaded on first use). */
  MailOpsSettings settings() throws IOException {
    if (settings == null && warmup != null) {
      settings = warmup.settings(config);
    }
    if (settings == null) {
      settings = MailOpsSettings.load(env, config);
    }
    return settings;
  }

  /**
   * True for {@code migrate run} that does some work (not its help): its settings and job
   * repository are opened on another thread while picocli parses (ADR 0028).
   */
  static boolean warmsUp(String... args) {
    if (args.length < 2 || !args[0].equals("migrate") || !args[1].equals("run")) {
      return false;
    }
    for (String a : args) {
      if (a.equals("-h") || a.equals("--help") || a.equals("-V") || a.equals("--version")) {
        return false;
      }
    }
    return true;
  }

  /** Parses and runs {@code args}; see {@link io.mailops.jobs.MailOpsCli#execute}. */
  public static int run(PrintWriter out, PrintWriter err, Map<String, String> env, boolean terminal,
      String... args) {
    return run(out, err, env, terminal, true, args);
  }

  /**
   * {@link #run(PrintWriter, PrintWriter, Map, boolean, String...)}; a schedulable command (backup run,
   * archive ingest, …: {@link JobKind}) runs under its job lock {@code $MAILOPS_HOME/locks/<job>.lock}
   * when {@code lock} is true. The daemon, which holds the lock itself, runs commands with false.
   */
  static int run(PrintWriter out, PrintWriter err, Map<String, String> env, boolean terminal, boolean lock,
      String... args) {
    MailOpsCommand root = new MailOpsCommand();
    root.env = env;
    root.terminal = terminal;
    if (warmsUp(args)) {
      root.warmup = RepositoryWarmup.start(env, RepositoryWarmup.config(args), args);
    }
    try {
      // a plain 'migrate run --accounts FILE' with nothing new: answered before picocli builds
      // its model of the command line (docs/adr/0052)
      Integer plain = MigrateRunCommand.plain(root, out, args);
      if (plain != null) {
        out.flush();
        return plain;
      }
      return root.run(out, err, lock, args);
    } finally {
      if (root.warmup != null) {
        root.warmup.close();
      }
    }
  }

  private int run(PrintWriter out, PrintWriter err, boolean lock, String... args) {
    MailOpsCommand root = this;
    CommandLine cl = model(args);
    cl.setOut(out);
    cl.setErr(err);
    cl.setExecutionExceptionHandler((ex, line, parsed) -> {
      err.println("mailops: " + message(ex));
      if (root.debug) {
        ex.printStackTrace(err);
      }
      err.flush();
      return ex instanceof IllegalArgumentException ? ExitCode.USAGE : ExitCode.FAILED;
    });
    cl.setParameterExceptionHandler((ex, a) -> {
      err.println("mailops: " + message(ex));
      CommandLine c = ex.getCommandLine();
      err.println("Try '" + c.getCommandSpec().qualifiedName() + " --help' for more information.");
      if (root.debug) {
        ex.printStackTrace(err);
      }
      err.flush();
      return ExitCode.USAGE;
    });
    if (lock) {
      cl.setExecutionStrategy(parsed -> root.underJobLock(parsed, err));
    }
    int code = cl.execute(args);
    out.flush();
    err.flush();
    return code;
  }

  /** The picocli model of this root for {@code args}: the commands they name, or all. */
  CommandLine model(String... args) {
    CommandLine cl = new CommandLine(this);
    // picocli builds the model of every registered command up front; a run that names its entity
    // needs only that one, which keeps start-up short (docs/adr/0004-jvm-flags.md)
    String entity = args.length > 0 ? args[0] : "";
    String action = args.length > 1 ? args[1] : "";
    boolean known = false;
    for (Class<?> c : ENTITIES) {
      if (name(c).equals(entity)) {
        cl.addSubcommand(entity(c, action));
        known = true;
      }
    }
    if (!known) {
      // the root's own usage and version need the entities' names and descriptions only, not the
      // models of all their actions (~0.2 s); "help ENTITY" and a mistyped entity get them all
      boolean rootOnly = args.length == 0 || args.length == 1 && ROOT_ONLY.contains(args[0]);
      for (Class<?> c : ENTITIES) {
        cl.addSubcommand(rootOnly ? new CommandLine(c) : entity(c, ""));
      }
      cl.addSubcommand(new CommandLine.HelpCommand());
    }
    cl.registerConverter(AccountId.class, AccountId::of);
    cl.registerConverter(FolderPath.class, FolderPath::of);
    return cl;
  }

  /** Runs the parsed command, under its job lock if it is schedulable; refuses while another run holds it. */
  private int underJobLock(CommandLine.ParseResult parsed, PrintWriter err) {
    List<String> names = new ArrayList<>();
    boolean help = parsed.isUsageHelpRequested() || parsed.isVersionHelpRequested();
    for (CommandLine.ParseResult p = parsed.subcommand(); p != null; p = p.subcommand()) {
      names.add(p.commandSpec().name());
      help |= p.isUsageHelpRequested() || p.isVersionHelpRequested();
    }
    var job = names.size() == 2 && !help ? JobKind.ofCommand(names.get(0), names.get(1)) : Optional.<JobKind>empty();
    if (job.isEmpty()) {
      return new CommandLine.RunLast().execute(parsed);
    }
    Path file;
    try {
      file = JobLock.file(settings().home(), job.get().jobName());
    } catch (IOException e) {
      throw new CommandLine.ExecutionException(parsed.commandSpec().commandLine(), e.getMessage(), e);
    }
    try (JobLock held = JobLock.tryAcquire(file)) {
      if (held == null) {
        err.println("mailops: " + job.get().jobName() + " is running already (another process, the mailops daemon"
            + " perhaps, holds " + file + "); wait for it to finish, see 'mailops daemon status'");
        return ExitCode.FAILED;
      }
      return new CommandLine.RunLast().execute(parsed);
    } catch (IOException e) {
      throw new CommandLine.ExecutionException(parsed.commandSpec().commandLine(),
          "cannot take the lock " + file + ": " + e.getMessage() + "; check the permissions of $MAILOPS_HOME/locks", e);
    }
  }

  private static String name(Class<?> command) {
    return command.getAnnotation(Command.class).name();
  }

  /** The entity's command line with {@code action} only, or with all its actions. */
  private static CommandLine entity(Class<?> entity, String action) {
    CommandLine line = new CommandLine(entity);
    List<Class<?>> actions = ACTIONS.getOrDefault(entity, List.of());
    List<Class<?>> named = actions.stream().filter(a -> name(a).equals(action)).toList();
    for (Class<?> a : named.isEmpty() ? actions : named) {
      line.addSubcommand(a);
    }
    return line;
  }

  private static String message(Throwable ex) {
    Throwable t = ex;
    if (t instanceof CommandLine.ParameterException && t.getCause() instanceof CommandLine.TypeConversionException) {
      return t.getMessage();
    }
    String m = t.getMessage();
    while ((m == null || m.isBlank()) && t.getCause() != null) {
      t = t.getCause();
      m = t.getMessage();
    }
    return m == null || m.isBlank() ? t.getClass().getSimpleName() + " (run with --debug for details)" : m;
  }
}
