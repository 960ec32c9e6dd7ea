package io.mailops.jobs.batch.migrate;

import io.mailops.jobs.config.MailOpsSettings;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The settings and the job repository of a {@code migrate run}, opened on a thread of their own
 * while the command line is still being parsed (docs/adr/0028): loading the settings and opening
 * the H2 repository take a few hundred ms of CPU that a second core does beside picocli. The
 * command takes the settings ({@link #settings}) when its {@code --config} is the one found here,
 * the no-op fast path takes the connection ({@link #take}) when its URL is the one opened here;
 * otherwise each opens its own as before. A connection not taken stays open until {@link #close}
 * — after the batch job's Spring context has opened the same embedded database, so that the job
 * reuses it instead of opening it a second time.
 */
public final class RepositoryWarmup implements AutoCloseable {

  /** How long {@link #close} waits for an open still under way. */
  private static final long CLOSE_WAIT_SECONDS = 30;

  private final Path config;
  private final FutureTask<MailOpsSettings> settings;
  private final FutureTask<Connection> connection;
  private volatile String url;
  private boolean taken;

  private RepositoryWarmup(Map<String, String> env, Path config) {
    this.config = config;
    this.settings = new FutureTask<>(() -> MailOpsSettings.load(env, config));
    this.connection = new FutureTask<>(() -> {
      settings.run();
      MailOpsSettings s = settings.get();
      String u = MigrateNoopRun.repositoryUrl(s);
      if (u == null) {
        return null;
      }
      url = u;
      return MigrateNoopRun.open(s, u);
    });
  }

  /**
   * Starts loading the settings of {@code env} and {@code config} (the command line's {@code
   * --config}, or null) and opening the job repository they name, if it exists.
   */
  public static RepositoryWarmup start(Map<String, String> env, Path config) {
    RepositoryWarmup w = new RepositoryWarmup(env, config);
    Thread t = new Thread(w.connection, "migrate-repository-warmup");
    t.setDaemon(true);
    t.start();
    return w;
  }

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

  /** Closes the connection if nobody took it, after waiting for an open under way. */
  @Override
  public synchronized void close() {
    if (taken) {
      return;
    }
    taken = true;
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
