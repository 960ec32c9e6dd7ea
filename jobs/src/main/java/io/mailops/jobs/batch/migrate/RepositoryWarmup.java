package io.mailops.jobs.batch.migrate;

import io.mailops.jobs.config.MailOpsSettings;
import io.mailops.migrator.MigrationAccount;
import io.mailops.migrator.MigrationAccounts;
import io.mailops.migrator.NothingNew;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.h2.util.MathUtils;

/**
 * The settings and the job repository of a {@code migrate run}, opened on a thread of their own
 * while the command line is still being parsed (docs/adr/0028): loading the settings and opening
 * the H2 repository take a few hundred ms of CPU that a second core does beside picocli. The
 * command takes the settings ({@link #settings}) when its {@code --config} is the one found here,
 * the no-op fast path takes the connection ({@link #take}) when its URL is the one opened here;
 * otherwise each opens its own as before. A connection not taken stays open until {@link #close}
 * — after the batch job's Spring context has opened the same embedded database, so that the job
 * reuses it instead of opening it a second time. An embedded repository is held back for a run
 * the no-op fast path may answer, which does not need it (docs/adr/0054): it is opened when the
 * job is to run ({@link #openNow}), and not at all when the fast path answered.
 */
public final class RepositoryWarmup implements AutoCloseable {

  /** How long {@link #close} waits for an open still under way. */
  private static final long CLOSE_WAIT_SECONDS = 30;

  private final Path config;
  private final FutureTask<MailOpsSettings> settings;
  private final FutureTask<Connection> connection;
  private volatile String url;
  private boolean taken;

  /** The looks at the servers started ahead ({@link LookWarmup}), or null. */
  private final FutureTask<LookWarmup> looks;

  /**
   * Counted down when the repository is wanted after all ({@link #openNow}) or no longer
   * ({@link #close}, then with {@link #cancelled}): a run the no-op journal may answer waits for
   * it before opening an embedded repository (docs/adr/0054).
   */
  private final CountDownLatch wanted = new CountDownLatch(1);
  private volatile boolean cancelled;

  /** True for a plain {@code migrate run --accounts FILE} ({@link LookWarmup#line}). */
  private final boolean plainLine;

  private RepositoryWarmup(Map<String, String> env, Path config, String... args) {
    this.config = config;
    this.plainLine = LookWarmup.line(args) != null;
    this.settings = new FutureTask<>(() -> MailOpsSettings.load(env, config));
    this.looks = new FutureTask<>(() -> {
      settings.run();
      return LookWarmup.start(settings.get(), args);
    });
    this.connection = new FutureTask<>(() -> {
      settings.run();
      // the looks on a thread of their own (the accounts file read, the states checked, the
      // looks handed to their threads: ~15 ms of CPU, interpreted), so that the repository,
      // which takes longest, is opened at once (docs/adr/0042)
      Thread t = new Thread(looks, "migrate-look-warmup");
      t.setDaemon(true);
      t.start();
      MailOpsSettings s = settings.get();
      String u = MigrateNoopRun.repositoryUrl(s);
      if (u == null) {
        return null;
      }
      // with an embedded repository, a run the fast path may answer goes to the no-op journal:
      // the repository is opened only when the job runs (openNow). A plain command line whose
      // looks did not start (a first run) is not one; another command line may be
      if (NoopJournal.journals(s.get("spring.datasource.url", ""))
          && (!plainLine || looks.get() != null)) {
        wanted.await();
        if (cancelled) {
          return null;
        }
      }
      Thread jars = new Thread(RepositoryWarmup::openClassPath, "class-path-warmup");
      jars.setDaemon(true);
      jars.start();
      url = u;
      if (u.startsWith("jdbc:h2:")) {
        Thread lock = new Thread(RepositoryWarmup::prepareLockFile, "repository-lock-warmup");
        lock.setDaemon(true);
        lock.start();
      }
      return MigrateNoopRun.open(s, u);
    });
  }

  /**
   * Starts loading the settings of {@code env} and {@code config} (the command line's {@code
   * --config}, or null) and opening the job repository they name, if it exists.
   */
  public static RepositoryWarmup start(Map<String, String> env, Path config) {
    return start(env, config, new String[0]);
  }

  /**
   * {@link #start(Map, Path)} for the command line {@code args}, which also starts the looks at
   * the servers of a {@code migrate run} that {@link LookWarmup} allows.
   */
  public static RepositoryWarmup start(Map<String, String> env, Path config, String... args) {
    RepositoryWarmup w = new RepositoryWarmup(env, config, args);
    Thread t = new Thread(w.connection, "migrate-repository-warmup");
    t.setDaemon(true);
    t.start();
    return w;
  }

  /**
   * Opens the repository now if it was held back for the no-op journal (the fast path declined:
   * the job runs and opens it, and this opens it beside the job's start, as for any run).
   */
  public void openNow() {
    wanted.countDown();
  }

  /** A resource that no jar of the class path holds. */
  static final String ABSENT = "io/mailops/jobs/batch/migrate/class-path-warmup.absent";

  /**
   * Opens every jar of the class path, on a thread of its own while the settings are read, by
   * looking up a resource that none holds; before that, reads H2's messages (docs/adr/0042,
   * 0052).
   * <ul>
   *   <li>The job repository's driver misses on the class path as it starts (H2's {@code
   *       CompareMode} probes for ICU4J; PostgreSQL's driver reads {@code
   *       driverconfig.properties} from every jar), and the first miss of a process opens each
   *       of the ~90 jars (~40 ms of CPU, most of it reading their central directories). Here
   *       that first miss happens beside the settings rather than on the repository's way; the
   *       driver's misses then only look into jars already open.</li>
   *   <li>H2's messages ({@code DbException}'s static set-up, which every H2 open runs at its
   *       start) are read from its {@code data.zip}, ~400 KB of it scanned (~20 ms of CPU). Read
   *       on the repository's thread, that lookup waited for the jars to be opened here: the
   *       class path's lock, taken once per jar, is not handed over fairly. Read here first,
   *       from H2's jar alone (first on the class path, docs/adr/0051), the repository's open
   *       finds them ready. (For a repository on PostgreSQL this is ~20 ms of CPU for
   *       nothing: the settings that tell are not read yet.)</li>
   * </ul>
   */
  static void openClassPath() {
    ClassLoader loader = RepositoryWarmup.class.getClassLoader();
    if (loader == null) {
      return;
    }
    try {
      Class.forName(H2_MESSAGES, true, loader);
    } catch (ClassNotFoundException | LinkageError e) {
      // not this H2; its open reads the messages itself
    }
    loader.getResource(ABSENT);
  }

  /** The H2 class whose static set-up reads H2's messages. */
  static final String H2_MESSAGES = "org.h2.message.DbException";

  /**
   * What H2 does first when it takes its lock file, done on a thread of its own while it opens
   * the database up to there (docs/adr/0052): its random generator seeded (a thread that
   * generates the seed, which H2 waits for: ~15 ms) and the JDK's time-zone names loaded (the
   * lock file is a {@code Properties} file, stamped with {@link Date#toString()}: ~15 ms of
   * CPU). Both are made once per process; the open then finds them ready.
   */
  static void prepareLockFile() {
    MathUtils.secureRandomBytes(1);
    zoneStamp = new Date().toString();
  }

  /** The date {@link #prepareLockFile} formatted (kept so that the formatting is not dropped). */
  static volatile String zoneStamp;

  /**
   * The {@code --config} value found in {@code args} (as {@code --config FILE} or {@code
   * --config=FILE}), or null. The command line parser has the last word: a different value only
   * means the settings are loaded again.
   */
  public static Path config(String... args) {
    Path found = null;
    for (int i = 0; i < args.length; i++) {
      if (args[i].equals("--config") && i + 1 < args.length) {
        found = Path.of(args[i + 1]);
      } else if (args[i].startsWith("--config=")) {
        found = Path.of(args[i].substring("--config=".length()));
      }
    }
    return found;
  }

  /**
   * The settings loaded here, when {@code configNow} (the parsed {@code --config}) is the one
   * they were loaded with; null otherwise (the caller loads its own).
   *
   * @throws IOException as {@link MailOpsSettings#load} throws it
   */
  public MailOpsSettings settings(Path configNow) throws IOException {
    if (!Objects.equals(config, configNow)) {
      return null;
    }
    settings.run(); // no-op when the thread has run it (or is running it: get waits)
    try {
      return settings.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    } catch (ExecutionException e) {
      if (e.getCause() instanceof IOException io) {
        throw io;
      }
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      throw new IOException(e.getCause());
    }
  }

  /**
   * The connection opened here to {@code repositoryUrl}, now the caller's to close; null when
   * none was opened (no repository, another URL, already taken, or it failed). Waits for an open
   * under way.
   */
  synchronized Connection take(String repositoryUrl) throws InterruptedException {
    if (taken) {
      return null;
    }
    openNow();
    try {
      Connection c = connection.get();
      if (c != null && repositoryUrl.equals(url)) {
        taken = true;
        return c;
      }
      return null;
    } catch (ExecutionException e) {
      return null; // the caller opens it itself and sees why it fails
    }
  }

  /**
   * The accounts of {@code accountsFile} as the looks started ahead read them ({@link
   * MigrationAccounts#read}, once per process), now the caller's; null when no look was started
   * for that file (waits for the warmup to have decided).
   */
  public List<MigrationAccount> accounts(Path accountsFile) throws InterruptedException {
    LookWarmup w = lookWarmup();
    return w == null ? null : w.accounts(accountsFile);
  }

  /**
   * The look at {@code endpoint} started ahead for the accounts file {@code accountsFile}, now
   * the caller's; null when none was started (waits for the warmup to have decided).
   */
  Future<NothingNew.Side> look(Path accountsFile, MigrationAccount.Endpoint endpoint)
      throws InterruptedException {
    LookWarmup w = lookWarmup();
    return w == null ? null : w.take(accountsFile, endpoint);
  }

  /** The looks started ahead, or null when none were (waits for the warmup to have decided). */
  private LookWarmup lookWarmup() throws InterruptedException {
    looks.run(); // no-op when the thread has run it (or is running it: get waits)
    try {
      return looks.get();
    } catch (ExecutionException e) {
      return null;
    }
  }

  /**
   * Closes the connection if nobody took it, after waiting for an open under way, and lets the
   * looks started ahead end.
   */
  @Override
  public synchronized void close() {
    if (looks.isDone()) {
      try {
        LookWarmup w = looks.get();
        if (w != null) {
          w.close();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (ExecutionException e) {
        // none started
      }
    }
    if (taken) {
      return;
    }
    taken = true;
    cancelled = wanted.getCount() > 0; // held back and never wanted: not opened at all
    wanted.countDown();
    try {
      Connection c = connection.get(CLOSE_WAIT_SECONDS, TimeUnit.SECONDS);
      if (c != null) {
        c.close();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException | SQLException e) {
      // nothing opened, or nothing to do about it: the process ends with the command
    }
  }
}
