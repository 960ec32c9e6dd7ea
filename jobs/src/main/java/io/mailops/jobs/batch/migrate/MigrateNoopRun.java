package io.mailops.jobs.batch.migrate;

import io.mailops.jobs.config.MailOpsSettings;
import io.mailops.migrator.FileMigrationState;
import io.mailops.migrator.MigrationAccount;
import io.mailops.migrator.NothingNew;
import io.mailops.migrator.VerifiedFolder;
import io.mailops.migrator.wire.WireLook;
import io.mailops.storage.model.FolderPath;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.ExitStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.JobInstance;
import org.springframework.batch.core.job.parameters.JobParameter;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.repository.support.JdbcJobRepositoryFactoryBean;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.jdbc.support.JdbcTransactionManager;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;

/**
 * {@code migrate run} with nothing new, answered without starting the Spring application
 * (ADR 0026). Before the batch job is started, this looks once at both sides of every account
 * (in parallel: login, {@code LIST}, every folder's {@code STATUS}, {@link WireLook}) and asks
 * {@link NothingNew} whether the job would copy and compare nothing. Only when that holds for
 * every account, and the newest run of the same migration completed with every account
 * completed under the same options, is the run recorded as a completed {@code migrate} job
 * execution (written through a Spring Batch {@link JobRepository} built on one JDBC connection,
 * with the account steps and their counters as the job writes them), the per-account reports
 * written, and the accounts' lines printed as the job prints them. Anything else — a dry run,
 * {@code --delete-source-after-verify}, {@code --preserve-uids}, a Maildir side, no repository
 * yet, a server that does not answer, the least change — returns empty, and the caller runs the
 * job as always.
 *
 * <p>The accounts' state files are locked (as the job locks them) from before the look until
 * the run is recorded, so no other migration of the same accounts runs meanwhile.
 */
public final class MigrateNoopRun {

  /** Setting that turns the fast path off ({@code false}); on by default. */
  public static final String SETTING = "mailops.migrate.fast-no-op";

  /** Job parameters that change what a run does; the newest run must have had the same. */
  private static final List<String> SAME = List.of("accounts.count", "include", "exclude", "map",
      "dry.run", "include.deleted", "subscribed.only", "dedupe", "preserve.uids", "sync.flags",
      "delete.source.after.verify");

  private final MailOpsSettings settings;
  private final MigrateRequest request;
  private final List<MigrationAccount> accounts;
  private final int parallel;
  private final int maxConnections;

  /**
   * A no-op check for {@code accounts} of {@code request}, looking at up to {@code parallel}
   * accounts at once (two connections each, at most {@code --max-connections-per-host} in all
   * when set).
   */
  public MigrateNoopRun(MailOpsSettings settings, MigrateRequest request,
      List<MigrationAccount> accounts, int parallel) {
    this.settings = settings;
    this.request = request;
    this.accounts = List.copyOf(accounts);
    this.parallel = parallel;
    this.maxConnections = request.copy().maxConnectionsPerHost();
  }

  /** What a recorded no-op run tells its command. */
  public record Done(long executionId, List<Account> accounts) {}

  /** One account of a recorded no-op run, as the job would have reported it. */
  public record Account(MigrationAccount account, NothingNew.Reports reports, double seconds) {}

  /**
   * Records and returns the run when provably nothing is new for any account; empty (nothing
   * recorded, nothing written) otherwise. Never throws for a server, state or repository
   * problem: those are the job's to report.
   */
  public Optional<Done> run() {
    if (!Boolean.parseBoolean(settings.get(SETTING, "true")) || request.dryRun()
        || request.copy().deleteSourceAfterVerify() || request.copy().preserveUids()) {
      return Optional.empty();
    }
    for (MigrationAccount a : accounts) {
      if (a.source().isMaildir() || a.target().isMaildir()) {
        return Optional.empty();
      }
    }
    Instant started = Instant.now();
    T("start");
    JobParameters parameters = request.parameters(started, accounts.size());
    try {
    try (Connection db = connect()) {
      T("db");
      if (db == null || !lastRunCompleted(db, parameters)) {
        return Optional.empty();
      }
      List<FileMigrationState> states = new ArrayList<>();
      try {
        List<Map<FolderPath, VerifiedFolder>> verified = new ArrayList<>();
        for (MigrationAccount a : accounts) {
          FileMigrationState s = new FileMigrationState(MigrateJobConfig.stateDir(settings.home(), a));
          states.add(s);
          verified.add(s.verifiedOnly(a.source().account()));
          if (verified.get(verified.size() - 1).isEmpty()) {
            return Optional.empty();
          }
        }
        T("state");
        List<Account> done = look(verified);
        T("look");
        if (done == null) {
          return Optional.empty();
        }
        long id = record(db, parameters, started, done);
        T("record");
        return Optional.of(new Done(id, done));
      } finally {
        for (FileMigrationState s : states) {
          s.close();
        }
      }
    } finally { T("closed"); }
    } catch (Exception e) {
      // a locked state, a server that does not answer, a repository that cannot be read: the
      // job reports it
      return Optional.empty();
    }
  }

  /** Looks at every account's sides in parallel; null when any would copy or compare. */
  private List<Account> look(List<Map<FolderPath, VerifiedFolder>> verified) throws Exception {
    int threads = Math.min(2 * Math.min(parallel, accounts.size()),
        maxConnections > 0 ? maxConnections : Integer.MAX_VALUE);
    ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, threads), r -> {
      Thread t = new Thread(r, "migrate-look");
      t.setDaemon(true);
      return t;
    });
    try {
      long t0 = System.nanoTime();
      List<Future<NothingNew.Side>> sources = new ArrayList<>();
      List<Future<NothingNew.Side>> targets = new ArrayList<>();
      for (MigrationAccount a : accounts) {
        MigrationAccount c = request.connection(a);
        sources.add(pool.submit(() -> WireLook.of(c.source())));
        targets.add(pool.submit(() -> WireLook.of(c.target())));
      }
      List<Account> out = new ArrayList<>();
      for (int i = 0; i < accounts.size(); i++) {
        MigrationAccount a = accounts.get(i);
        Optional<NothingNew.Reports> r = NothingNew.of(a.source().account(),
            a.target().account(), request.folderMap(a), request.options(), verified.get(i),
            sources.get(i).get(), targets.get(i).get());
        if (r.isEmpty()) {
          return null;
        }
        out.add(new Account(a, r.get(), (System.nanoTime() - t0) / 1e9));
      }
      return out;
    } finally {
      pool.shutdownNow();
    }
  }

  static void T(String w) { if (System.getenv("NOOP_TRACE") != null) System.err.println(w + " " + java.lang.management.ManagementFactory.getRuntimeMXBean().getUptime()); }

  // ---- the job repository

  /**
   * True when the job repository exists and its newest run of this migration completed, every
   * account completed and nothing partial, under the same options (the first condition of
   * {@link #run}).
   */
  public boolean lastRunCompleted() {
    try (Connection db = connect()) {
      return db != null && lastRunCompleted(db, request.parameters(Instant.now(),
          accounts.size()));
    } catch (SQLException e) {
      return false;
    }
  }

  /** The repository's database, or null when it does not exist yet (no run has been made). */
  private Connection connect() throws SQLException {
    String url = settings.get("spring.datasource.url", "");
    if (url.startsWith("jdbc:h2:")) {
      url = url + ";IFEXISTS=TRUE"; // a repository that is not there has no completed run
    } else if (!url.startsWith("jdbc:postgresql:")) {
      return null;
    }
    try {
      return DriverManager.getConnection(url, settings.get("spring.datasource.username", ""),
          settings.get("spring.datasource.password", ""));
    } catch (SQLException e) {
      return null;
    }
  }

  private String table(String name) {
    return settings.get("spring.batch.jdbc.table-prefix", "BATCH_") + name;
  }

  /**
   * True when the newest execution of this migration (same label) completed, every account step
   * of it completed (none partial, as many as accounts now), under the same options.
   */
  boolean lastRunCompleted(Connection db, JobParameters now) throws SQLException {
    long id;
    try (PreparedStatement q = db.prepareStatement("SELECT e.JOB_EXECUTION_ID, e.STATUS,"
        + " e.EXIT_CODE FROM " + table("JOB_EXECUTION") + " e JOIN " + table("JOB_INSTANCE")
        + " i ON i.JOB_INSTANCE_ID = e.JOB_INSTANCE_ID WHERE i.JOB_NAME = ? AND EXISTS (SELECT 1"
        + " FROM " + table("JOB_EXECUTION_PARAMS") + " p WHERE p.JOB_EXECUTION_ID ="
        + " e.JOB_EXECUTION_ID AND p.PARAMETER_NAME = 'migration' AND p.PARAMETER_VALUE = ?)"
        + " ORDER BY e.JOB_EXECUTION_ID DESC")) {
      q.setMaxRows(1);
      q.setString(1, MigrateJobConfig.JOB);
      q.setString(2, now.getString("migration"));
      try (ResultSet r = q.executeQuery()) {
        if (!r.next() || !"COMPLETED".equals(r.getString(2))
            || !"COMPLETED".equals(r.getString(3))) {
          return false;
        }
        id = r.getLong(1);
      }
    }
    Map<String, String> before = new HashMap<>();
    try (PreparedStatement q = db.prepareStatement("SELECT PARAMETER_NAME, PARAMETER_VALUE FROM "
        + table("JOB_EXECUTION_PARAMS") + " WHERE JOB_EXECUTION_ID = ?")) {
      q.setLong(1, id);
      try (ResultSet r = q.executeQuery()) {
        while (r.next()) {
          before.put(r.getString(1), r.getString(2) == null ? "" : r.getString(2));
        }
      }
    }
    for (String key : SAME) {
      JobParameter<?> p = now.getParameter(key);
      String want = p == null ? "" : String.valueOf(p.value());
      if (!want.equals(before.getOrDefault(key, ""))) {
        return false;
      }
    }
    int steps = 0;
    try (PreparedStatement q = db.prepareStatement("SELECT STATUS, EXIT_CODE FROM "
        + table("STEP_EXECUTION") + " WHERE JOB_EXECUTION_ID = ? AND STEP_NAME LIKE"
        + " 'migrateAccount:%'")) {
      q.setLong(1, id);
      try (ResultSet r = q.executeQuery()) {
        while (r.next()) {
          if (!"COMPLETED".equals(r.getString(1)) || !"COMPLETED".equals(r.getString(2))) {
            return false;
          }
          steps++;
        }
      }
    }
    return steps == accounts.size();
  }

  /**
   * Writes the run as the job writes it: a new instance and execution of {@code migrate} with
   * the run's parameters, the manager step and one completed account step per account with the
   * counters {@code migrate status} reads; then the per-account reports. Returns the execution
   * id.
   */
  private long record(Connection db, JobParameters parameters, Instant started, List<Account> done)
      throws Exception {
    SingleConnectionDataSource ds = new SingleConnectionDataSource(db, true);
    JdbcJobRepositoryFactoryBean f = new JdbcJobRepositoryFactoryBean();
    f.setDataSource(ds);
    f.setTransactionManager(new JdbcTransactionManager(ds));
    f.setTablePrefix(settings.get("spring.batch.jdbc.table-prefix", "BATCH_"));
    f.afterPropertiesSet();
    JobRepository repo = f.getObject();
    T("repo");
    JobInstance instance = repo.createJobInstance(MigrateJobConfig.JOB, parameters);
    JobExecution e = repo.createJobExecution(instance, parameters, new ExecutionContext());
    e.setStartTime(java.time.LocalDateTime.ofInstant(started, java.time.ZoneId.systemDefault()));
    e.setStatus(BatchStatus.STARTED);
    repo.update(e);
    try {
      return recordSteps(repo, instance, e, done);
    } catch (Exception | Error failure) {
      // leave no execution that looks running; the job then runs as always
      e.setStatus(BatchStatus.FAILED);
      e.setExitStatus(ExitStatus.FAILED.addExitDescription("no-op run not recorded: " + failure));
      e.setEndTime(java.time.LocalDateTime.now());
      try {
        repo.update(e);
      } catch (RuntimeException ignored) {
        // the repository is what failed
      }
      throw failure;
    }
  }

  private long recordSteps(JobRepository repo, JobInstance instance, JobExecution e,
      List<Account> done) throws Exception {
    T("exec");
    StepExecution manager = repo.createStepExecution("migrate", e);
    manager.setStartTime(e.getStartTime());
    manager.setStatus(BatchStatus.STARTED);
    repo.update(manager);
    MigrationReports reports = new MigrationReports(settings.home());
    for (int i = 0; i < done.size(); i++) {
      Account a = done.get(i);
      StepExecution s = repo.createStepExecution(String.format("migrateAccount:account%05d", i), e);
      s.setStartTime(manager.getStartTime());
      ExecutionContext c = s.getExecutionContext();
      io.mailops.migrator.AccountReport r = a.reports().migration();
      c.putInt("index", i);
      c.putString("source", a.account().source().account() + " " + a.account().source().uri());
      c.putString("target", a.account().target().account() + " " + a.account().target().uri());
      c.putInt("folders.done", r.folders().size());
      c.putInt("copied", 0);
      c.putInt("skipped", r.alreadyDone());
      c.putInt("failed", 0);
      c.putLong("bytes", 0);
      c.putString("verified", "ok");
      reports.write(instance.getInstanceId(), a.account(), r, a.reports().verify());
      s.setStatus(BatchStatus.COMPLETED);
      s.setExitStatus(ExitStatus.COMPLETED);
      s.setEndTime(java.time.LocalDateTime.now());
      repo.update(s);
      repo.updateExecutionContext(s);
      manager.setCommitCount(manager.getCommitCount() + 1);
    }
    manager.setStatus(BatchStatus.COMPLETED);
    manager.setExitStatus(ExitStatus.COMPLETED);
    manager.setEndTime(java.time.LocalDateTime.now());
    repo.update(manager);
    e.setStatus(BatchStatus.COMPLETED);
    e.setExitStatus(ExitStatus.COMPLETED);
    e.setEndTime(java.time.LocalDateTime.now());
    repo.update(e);
    return e.getId();
  }
}
