package io.mailops.jobs.batch.migrate;

import io.mailops.jobs.config.MailOpsSettings;
import io.mailops.migrator.AccountReport;
import io.mailops.migrator.FileMigrationState;
import io.mailops.migrator.MigrationAccount;
import io.mailops.migrator.NothingNew;
import io.mailops.migrator.VerifiedFolder;
import io.mailops.migrator.wire.WireLook;
import io.mailops.storage.model.FolderPath;
import java.io.IOException;
import java.sql.Connection;
import java.sql.Driver;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.springframework.batch.core.job.parameters.JobParameter;
import org.springframework.batch.core.job.parameters.JobParameters;

/**
 * {@code migrate run} with nothing new, answered without starting the Spring application
 * (ADR 0026). Before the batch job is started, this looks once at both sides of every account
 * (in parallel: login, {@code LIST}, every folder's {@code STATUS}, {@link WireLook}) and asks
 * {@link NothingNew} whether the job would copy and compare nothing. Only when that holds for
 * every account is the run recorded as a completed {@code migrate} job execution (written with
 * plain JDBC as Spring Batch writes the job's own, {@link NoopRunRecord}, with the account steps
 * and their counters), the per-account reports written, and the accounts' lines printed as the
 * job prints them. With the embedded H2 repository, the record and the reports go to the
 * {@link NoopJournal}, which the next command that opens the repository writes into it: the
 * repository is not opened (docs/adr/0054). With PostgreSQL, or when the journal is full (and
 * is then written into the repository first), the run is written at once, and only when the
 * newest run of the same migration completed with every account completed under the same
 * options. Anything else — a dry run, {@code --delete-source-after-verify}, {@code
 * --preserve-uids}, a Maildir side, no repository yet (where it is checked), a server that does
 * not answer, the least change — returns empty, and the caller runs the job as always.
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

  /**
   * How long the look at the servers and the repository's check may take together: a server
   * that does not answer within it (a hung connection would wait for the 60 s read timeout) is
   * the job's to report, and the run goes on with the job.
   */
  static final Duration LOOK_LIMIT = Duration.ofSeconds(15);

  private final MailOpsSettings settings;
  private final MigrateRequest request;
  private final List<MigrationAccount> accounts;
  private final int parallel;
  private final int maxConnections;
  private RepositoryWarmup warmup;

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

  /**
   * This check, taking the job repository's connection from {@code warmup} (opened while the
   * command line was parsed) when it is open to the same URL.
   */
  public MigrateNoopRun using(RepositoryWarmup warmup) {
    this.warmup = warmup;
    return this;
  }

  /**
   * What a recorded no-op run tells its command: its execution id, or {@link #JOURNALED} when it
   * went to the journal of an embedded repository (NoopJournal), which gives it its id later.
   */
  public record Done(long executionId, List<Account> accounts) {

    /** True when the run went to the journal and has no execution id yet. */
    public boolean journaled() {
      return executionId == JOURNALED;
    }
  }

  /** {@link Done#executionId} of a run in the journal. */
  static final long JOURNALED = -1;

  /** One account of a recorded no-op run, as the job would have reported it. */
  public record Account(MigrationAccount account, NothingNew.Reports reports, double seconds) {}

  /**
   * Records and returns the run when provably nothing is new for any account; empty (nothing
   * recorded, nothing written) otherwise. Never throws for a server, state or repository
   * problem: those are the job's to report.
   */
  public Optional<Done> run() {
    return run(answered -> { });
  }

  /**
   * {@link #run()}, handing the accounts to {@code answered} as soon as the looks have shown that
   * nothing is new for any of them, before the job repository's check is awaited and the run
   * recorded (which may still decline it): the caller makes its output there, while the
   * repository may still be opening, rather than after (docs/adr/0052).
   */
  public Optional<Done> run(Consumer<List<Account>> answered) {
    if (!Boolean.parseBoolean(settings.get(SETTING, "true")) || request.dryRun()
        || request.copy().deleteSourceAfterVerify() || request.copy().preserveUids()
        || request.subscribedOnly()) {
      return Optional.empty();
    }
    for (MigrationAccount a : accounts) {
      if (a.source().isMaildir() || a.target().isMaildir()) {
        return Optional.empty();
      }
    }
    Instant started = Instant.now();
    JobParameters parameters = request.parameters(started, accounts.size());
    // an embedded H2 repository is not opened: the run goes to the journal (docs/adr/0054),
    // unless the journal is full: then this run opens the repository and empties it first
    String url = settings.get("spring.datasource.url", "");
    NoopJournal noopJournal = NoopJournal.journals(url) ? new NoopJournal(settings.home()) : null;
    boolean journal = noopJournal != null && !noopJournal.full();
    List<FileMigrationState> states = new ArrayList<>();
    FutureTask<Repository> repository = null;
    int threads = Math.min(2 * Math.min(parallel, accounts.size()),
        maxConnections > 0 ? maxConnections : Integer.MAX_VALUE);
    ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, threads), r -> {
      Thread t = new Thread(r, "migrate-look");
      t.setDaemon(true);
      return t;
    });
    try {
      // each account's state first (local and cheap: a first run, nothing verified yet, ends at
      // its first account), and its look at both sides started as soon as its state has
      // verified folders, beside the states of the next accounts
      long deadline = System.nanoTime() + LOOK_LIMIT.toNanos();
      long t0 = System.nanoTime();
      // each look on a thread of its own (as many as looks): its LOGOUT is left to the pool,
      // beside the next steps; with fewer threads (--max-connections-per-host) a look logs out
      // before its thread opens another connection
      Executor closer = threads >= 2 * accounts.size() ? pool : Runnable::run;
      List<Map<FolderPath, VerifiedFolder>> verified = new ArrayList<>();
      List<Future<NothingNew.Side>> sources = new ArrayList<>();
      List<Future<NothingNew.Side>> targets = new ArrayList<>();
      for (MigrationAccount a : accounts) {
        FileMigrationState s = new FileMigrationState(MigrateJobConfig.stateDir(settings.home(), a));
        states.add(s);
        Map<FolderPath, VerifiedFolder> v = s.verifiedOnly(a.source().account());
        if (v.isEmpty()) {
          return Optional.empty();
        }
        verified.add(v);
        MigrationAccount c = request.connection(a);
        sources.add(look(c.source(), pool, closer));
        targets.add(look(c.target(), pool, closer));
        if (repository == null && !journal) {
          // the repository's check (opening H2 costs a few hundred ms) beside the look
          repository = new FutureTask<>(() -> {
            Connection db = connect();
            if (db == null) {
              return null;
            }
            try {
              if (noopJournal != null) {
                noopJournal.replay(db, url, settings.get("spring.batch.jdbc.table-prefix",
                    "BATCH_"));
              }
              if (!lastRunCompleted(db, parameters)) {
                db.close();
                return null;
              }
              // the run's ids and statements, ready for when the looks say nothing is new
              NoopRunRecord record = newRecord(db);
              record.prepare(accounts.size() + 1, parameters);
              return new Repository(db, record);
            } catch (SQLException | RuntimeException e) {
              db.close();
              throw e;
            }
          });
          Thread t = new Thread(repository, "migrate-repository");
          t.setDaemon(true);
          t.start();
        }
      }
      List<Account> done = answers(verified, sources, targets, t0, deadline);
      // what the record holds, made while the repository may still be opening
      Written written = done == null ? null : written(done, !journal);
      if (done != null) {
        answered.accept(done);
      }
      if (journal) {
        if (done == null) {
          return Optional.empty();
        }
        noopJournal.append(entry(url, parameters, started, done, written));
        pool.shutdown(); // the LOGOUTs, sent beside the journal's write: a second at most
        pool.awaitTermination(1, TimeUnit.SECONDS);
        return Optional.of(new Done(JOURNALED, done));
      }
      Repository repo = repository.get(Math.max(1, deadline - System.nanoTime()),
          TimeUnit.NANOSECONDS);
      if (repo == null) {
        return Optional.empty();
      }
      try (Connection db = repo.db()) {
        if (done == null) {
          return Optional.empty();
        }
        Done recorded = new Done(record(repo.record(), parameters, started, done, written),
            done);
        pool.shutdown(); // the LOGOUTs, sent beside the recording: a second at most
        pool.awaitTermination(1, TimeUnit.SECONDS);
        return Optional.of(recorded);
      }
    } catch (Exception e) {
      // a locked state, a server that does not answer, a repository that cannot be read: the
      // job reports it
      if (repository != null) {
        close(repository);
      }
      return Optional.empty();
    } finally {
      pool.shutdownNow();
      for (FileMigrationState s : states) {
        try {
          s.close();
        } catch (IOException ignored) {
          // only unlocks; the job opens the state again
        }
      }
    }
  }

  /** The look at {@code endpoint}: the one started ahead (LookWarmup), or one on {@code pool}. */
  private Future<NothingNew.Side> look(MigrationAccount.Endpoint endpoint, ExecutorService pool,
      Executor closer) throws InterruptedException {
    Future<NothingNew.Side> ahead = warmup == null || request.accounts() == null ? null
        : warmup.look(request.accounts(), endpoint);
    return ahead != null ? ahead : pool.submit(() -> WireLook.of(endpoint, closer));
  }

  /** The side {@code look} saw, waiting until {@code deadline} at most. */
  private static NothingNew.Side answer(Future<NothingNew.Side> look, long deadline)
      throws Exception {
    return look.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
  }

  /**
   * Waits a second at most for {@code repository} and closes the connection it opened, if it
   * did (one still opening is left to its daemon thread: the process ends after the job).
   */
  private static void close(FutureTask<Repository> repository) {
    try {
      Repository r = repository.get(1, TimeUnit.SECONDS);
      if (r != null) {
        r.db().close();
      }
    } catch (Exception ignored) {
      // not opened
    }
  }

  /**
   * Every account's reports from the looks at its sides (started at {@code t0}); null when any
   * account would copy or compare.
   */
  private List<Account> answers(List<Map<FolderPath, VerifiedFolder>> verified,
      List<Future<NothingNew.Side>> sources, List<Future<NothingNew.Side>> targets, long t0,
      long deadline) throws Exception {
    List<Account> out = new ArrayList<>();
    for (int i = 0; i < accounts.size(); i++) {
      MigrationAccount a = accounts.get(i);
      Optional<NothingNew.Reports> r = NothingNew.of(a.source().account(),
          a.target().account(), request.folderMap(a), request.options(), verified.get(i),
          answer(sources.get(i), deadline), answer(targets.get(i), deadline));
      if (r.isEmpty()) {
        return null;
      }
      out.add(new Account(a, r.get(), (System.nanoTime() - t0) / 1e9));
    }
    return out;
  }

  // ---- the job repository

  /** The open repository of a run that may be a no-op, and its record, prepared. */
  private record Repository(Connection db, NoopRunRecord record) {}

  private NoopRunRecord newRecord(Connection db) throws SQLException {
    return new NoopRunRecord(db, settings.get("spring.batch.jdbc.table-prefix", "BATCH_"),
        db.getMetaData().getURL().startsWith("jdbc:postgresql:"));
  }

  /**
   * True when the job repository exists and its newest run of this migration completed, every
   * account completed and nothing partial, under the same options (a condition of {@link #run}
   * where it opens the repository: PostgreSQL, or a full no-op journal).
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
  Connection connect() throws SQLException {
    String url = repositoryUrl(settings);
    if (url == null) {
      return null;
    }
    if (warmup != null) {
      try {
        Connection c = warmup.take(url);
        if (c != null) {
          return c;
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return null;
      }
    }
    return open(settings, url);
  }

  /**
   * The URL the fast path opens the job repository with: H2's with {@code IFEXISTS=TRUE} (a
   * repository that is not there has no completed run, and none is created), PostgreSQL's as
   * it is; null for any other database.
   */
  static String repositoryUrl(MailOpsSettings settings) {
    String url = settings.get("spring.datasource.url", "");
    if (url.startsWith("jdbc:h2:")) {
      return url + ";IFEXISTS=TRUE";
    }
    return url.startsWith("jdbc:postgresql:") ? url : null;
  }

  /** A connection to {@code url} with the configured user, or null when it cannot be opened. */
  static Connection open(MailOpsSettings settings, String url) {
    Properties login = new Properties();
    login.setProperty("user", settings.get("spring.datasource.username", ""));
    login.setProperty("password", settings.get("spring.datasource.password", ""));
    try {
      // the driver itself rather than DriverManager, whose first use loads every java.sql.Driver
      // the class path declares: a ServiceLoader scan that opens every jar of the class path
      // (~90 jars, 20-40 ms of CPU in a no-op run; docs/adr/0039)
      Driver driver = url.startsWith("jdbc:h2:") ? new org.h2.Driver()
          : url.startsWith("jdbc:postgresql:") ? new org.postgresql.Driver() : null;
      return driver != null ? driver.connect(url, login) : DriverManager.getConnection(url, login);
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
    long id = newestRun(db, now.getString("migration"));
    if (id < 0) {
      return false;
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

  /** How many executions {@link #newestRun} reads at a time, newest first. */
  static final int HISTORY_WINDOW = 16;

  /**
   * The id of the newest execution of this migration (job {@code migrate}, parameter {@code
   * migration} = {@code label}) when it completed; -1 when there is none or it did not complete.
   * Reads the executions of every job newest first, {@link #HISTORY_WINDOW} at a time along the
   * primary key, and stops at the first of this migration: the cost does not grow with the
   * history (a query for the newest matching execution read every execution of {@code migrate}
   * and their parameters, ~40 ms at 5,000 executions; docs/adr/0042).
   */
  long newestRun(Connection db, String label) throws SQLException {
    try (PreparedStatement q = db.prepareStatement("SELECT e.JOB_EXECUTION_ID, e.STATUS,"
        + " e.EXIT_CODE, i.JOB_NAME, (SELECT MAX(p.PARAMETER_VALUE) FROM "
        + table("JOB_EXECUTION_PARAMS") + " p WHERE p.JOB_EXECUTION_ID = e.JOB_EXECUTION_ID"
        + " AND p.PARAMETER_NAME = 'migration') FROM " + table("JOB_EXECUTION") + " e JOIN "
        + table("JOB_INSTANCE") + " i ON i.JOB_INSTANCE_ID = e.JOB_INSTANCE_ID"
        + " WHERE e.JOB_EXECUTION_ID < ? ORDER BY e.JOB_EXECUTION_ID DESC FETCH FIRST "
        + HISTORY_WINDOW + " ROWS ONLY")) {
      long below = Long.MAX_VALUE;
      while (true) {
        q.setLong(1, below);
        int rows = 0;
        try (ResultSet r = q.executeQuery()) {
          while (r.next()) {
            rows++;
            below = r.getLong(1);
            if (MigrateJobConfig.JOB.equals(r.getString(4)) && label.equals(r.getString(5))) {
              return "COMPLETED".equals(r.getString(2)) && "COMPLETED".equals(r.getString(3))
                  ? below : -1;
            }
          }
        }
        if (rows < HISTORY_WINDOW) {
          return -1;
        }
      }
    }
  }

  /**
   * The name of account {@code i}'s step as the job's partitioner gives it ({@code
   * migrateAccount:account00003}), without {@link String#format}, whose first use costs a few ms
   * of CPU in a short run.
   */
  static String stepName(int i) {
    String n = Integer.toString(i);
    return "migrateAccount:account" + "00000".substring(Math.min(5, n.length())) + n;
  }

  /**
   * The steps and reports of a no-op run, made before they are written: the steps' contexts,
   * and the steps serialized as the record writes them (null for the journal, which serializes
   * them when it writes them).
   */
  private record Written(NoopRunRecord.Context manager, List<NoopRunRecord.Context> contexts,
      List<NoopRunRecord.Step> steps, List<String> reports) {}

  /**
   * The manager step, one completed account step per account with the counters {@code migrate
   * status} reads (contexts serialized when {@code serialize}), and the per-account reports of
   * {@code done}: made while the job repository may still be opening, so that only the writing
   * is left for after (docs/adr/0042).
   */
  private static Written written(List<Account> done, boolean serialize) throws IOException {
    List<NoopRunRecord.Context> contexts = new ArrayList<>();
    List<NoopRunRecord.Step> steps = serialize ? new ArrayList<>() : null;
    List<String> reports = new ArrayList<>();
    for (int i = 0; i < done.size(); i++) {
      Account a = done.get(i);
      AccountReport r = a.reports().migration();
      Map<String, Object> c = new HashMap<>();
      c.put("index", i);
      c.put("source", a.account().source().account() + " " + a.account().source().uri());
      c.put("target", a.account().target().account() + " " + a.account().target().uri());
      c.put("folders.done", r.folders().size());
      c.put("copied", 0);
      c.put("skipped", r.alreadyDone());
      c.put("failed", 0);
      c.put("bytes", 0L);
      c.put("verified", "ok");
      NoopRunRecord.Context step = new NoopRunRecord.Context(stepName(i),
          "org.springframework.batch.core.step.tasklet.TaskletStep", c);
      contexts.add(step);
      if (serialize) {
        steps.add(step.step());
      }
      reports.add(MigrationReports.text(a.account(), r, a.reports().verify()));
    }
    return new Written(new NoopRunRecord.Context("migrate", NoopRunRecord.PARTITION_STEP,
        Map.of("SimpleStepExecutionSplitter.GRID_SIZE", 1)), contexts, steps, reports);
  }

  /** The journal's entry for the run of {@code done}: NoopRunRecord's rows, its reports. */
  private static NoopJournal.Entry entry(String url, JobParameters parameters, Instant started,
      List<Account> done, Written written) {
    List<Integer> lines = new ArrayList<>();
    for (Account a : done) {
      lines.add(a.account().line());
    }
    return new NoopJournal.Entry(url, MigrateJobConfig.JOB, NoopJournal.parameters(parameters),
        started, Instant.now(), written.manager(), written.contexts(), lines, written.reports());
  }

  /**
   * Writes the run as the job writes it ({@link NoopRunRecord}): a new instance and execution
   * of {@code migrate} with the run's parameters and the steps of {@code written}; then the
   * per-account reports. Returns the execution id.
   */
  private long record(NoopRunRecord record, JobParameters parameters, Instant started,
      List<Account> done, Written written) throws Exception {
    long[] ids = record.write(MigrateJobConfig.JOB, parameters,
        LocalDateTime.ofInstant(started, ZoneId.systemDefault()), written.manager().step(),
        written.steps());
    MigrationReports reports = new MigrationReports(settings.home());
    for (int i = 0; i < done.size(); i++) {
      reports.write(ids[0], done.get(i).account(), written.reports().get(i));
    }
    return ids[1];
  }
}
