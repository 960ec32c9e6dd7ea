package io.mailops.jobs.daemon;

import io.mailops.jobs.batch.JobLock;
import io.mailops.jobs.batch.StopRequest;
import io.mailops.jobs.config.MailOpsSettings;
import io.mailops.reporting.series.MetricsView;
import io.mailops.snmp.OidLayout;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code mailops daemon run}: the scheduler, the minute collector, the SNMP agent and the HTTP health
 * endpoint in one process, until {@link #requestStop()} (SIGTERM, SIGINT). {@link #requestReload()}
 * (SIGHUP) re-reads the settings: schedules, the agent and the endpoint follow them. The agent sends
 * moAgentStarted once the jobs are scheduled, moAgentReloaded after each reload, moAgentShutdown
 * when a stop begins (before the process exits) and moJobFailed for each failed run or run with
 * skipped items (after the last retry). At a stop the running jobs are asked to stop
 * ({@link StopRequest}: a backup finishes the folders under way, an ingest its group commit, and
 * each ends STOPPED) and get {@code mailops.daemon.stop-timeout} to end; what still runs then is
 * marked STOPPED in the job repository. STOPPED executions restart at the next start. One daemon per
 * {@code MAILOPS_HOME} ({@code locks/daemon.lock}).
 */
public final class Daemon {

  /** Reads the settings afresh (at start and at each reload). */
  @FunctionalInterface
  public interface SettingsSource {
    MailOpsSettings load() throws IOException;
  }

  private static final JsonMapper JSON = JsonMapper.builder().build();

  private final SettingsSource source;
  private final BatchJobRunner runner;
  private final Commands commands;
  private final MetricsView metrics;
  private final Path home;
  private final Clock clock;
  private final PrintWriter log;
  private final AgentEvents events;
  private final Object wake = new Object();
  private final Object statusFile = new Object();
  private volatile boolean stop;
  private volatile boolean reload;
  private Scheduler scheduler;
  private Instant started;
  private MailOpsSettings settings;
  private HealthServer http;
  private InetSocketAddress httpAddress;
  private Thread collector;
  private volatile String collectorState = "off";
  private final Map<sun.misc.Signal, sun.misc.SignalHandler> previousHandlers = new LinkedHashMap<>();

  /**
   * A daemon that reads its settings from {@code source}, runs jobs through {@code runner}, the
   * collector through {@code commands}, serves {@code metrics} on /metrics (null: none) and starts
   * the SNMP agent through {@code snmp} (null: none). Its events go to {@code events} and, while the
   * agent runs, out as SNMP notifications.
   */
  public Daemon(SettingsSource source, BatchJobRunner runner, Commands commands, MetricsView metrics,
      SnmpAgents snmp, Path home, Clock clock, PrintWriter log, DaemonEvents events) {
    this.source = source;
    this.runner = runner;
    this.commands = commands;
    this.metrics = metrics;
    this.home = home;
    this.clock = clock;
    this.log = log;
    this.events = new AgentEvents(snmp, events, this::line);
  }

  /**
   * Runs until stopped; returns when the jobs have ended or were marked stopped. Bad settings are an
   * {@link IllegalArgumentException} before anything starts; a second daemon on the same home an
   * {@link IllegalStateException}.
   */
  public void run() throws IOException, InterruptedException {
    settings = source.load();
    List<Schedule> schedules = Schedules.read(settings);
    InetSocketAddress listen = HealthServer.parse(settings.get("mailops.daemon.http.listen", ""));
    Duration stopTimeout = Schedules.duration(settings, "mailops.daemon.stop-timeout", "60s");
    try (JobLock self = JobLock.tryAcquire(JobLock.file(home, "daemon"))) {
      if (self == null) {
        throw new IllegalStateException("another mailops daemon runs on " + home + " (it holds "
            + JobLock.file(home, "daemon") + "); see 'mailops daemon status' or stop it first");
      }
      started = clock.instant();
      ExecutorService pool = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "mailops-job");
        t.setDaemon(true);
        return t;
      });
      scheduler = new Scheduler(schedules, runner, new FireTimes(home.resolve("daemon/fire-times.properties")),
          clock, events, pool);
      scheduler.listener(this::writeStatus);
      startServices(listen);
      for (Schedule s : schedules) {
        line("schedule " + s.name() + ": " + s.job().jobName() + " at '" + s.cronText() + "' (" + s.zone() + ")"
            + (s.enabled() ? "" : ", disabled") + (s.catchUp() ? ", catch-up" : "")
            + (s.retries() > 0 ? ", " + s.retries() + " retries" : ""));
      }
      scheduler.start();
      events.started();
      long lastWrite = 0;
      while (!stop) {
        if (reload) {
          reload = false;
          reload();
        }
        scheduler.tick();
        if (System.nanoTime() - lastWrite > TimeUnit.SECONDS.toNanos(30)) {
          writeStatus();
          lastWrite = System.nanoTime();
        }
        synchronized (wake) {
          if (!stop && !reload) {
            wake.wait(1000 - clock.millis() % 1000 + 5);
          }
        }
      }
      shutdown(stopTimeout);
      pool.shutdownNow();
    } finally {
      StopRequest.clear();
      restoreSignals();
    }
  }

  private void shutdown(Duration timeout) throws InterruptedException {
    events.shutdown();
    scheduler.stop();
    StopRequest.raise(BatchJobRunner.STOPPED_BY_DAEMON); // backups stop between folders, ingests at a group commit
    Set<String> running = scheduler.running();
    if (!running.isEmpty()) {
      line("waiting up to " + timeout.toSeconds() + " s (mailops.daemon.stop-timeout) for " + running);
      runner.requestStop(running);
      if (!scheduler.awaitIdle(timeout.toMillis())) {
        running = scheduler.running();
        List<Long> marked = runner.markStopped(running);
        line("marked " + (marked.isEmpty() ? "nothing (" + running + " ended just now)" : "executions " + marked
            + " of " + running) + " STOPPED; they restart at the next daemon start");
      }
    }
    stopServices();
    writeStatus();
  }

  private void reload() {
    MailOpsSettings next;
    List<Schedule> schedules;
    InetSocketAddress listen;
    try {
      next = source.load();
      schedules = Schedules.read(next);
      listen = HealthServer.parse(next.get("mailops.daemon.http.listen", ""));
    } catch (IOException | RuntimeException e) {
      line("reload refused, keeping the running settings: " + e.getMessage());
      return;
    }
    settings = next;
    scheduler.replace(schedules);
    try {
      configureAgent();
    } catch (IOException | RuntimeException e) {
      line("reload: SNMP agent: " + e.getMessage());
    }
    try {
      configureHttp(listen);
    } catch (IOException | RuntimeException e) {
      line("reload: " + e.getMessage());
    }
    events.reloaded();
  }

  /** Asks the daemon to stop (SIGTERM); returns at once. */
  public void requestStop() {
    stop = true;
    synchronized (wake) {
      wake.notifyAll();
    }
  }

  /** Asks the daemon to re-read its settings (SIGHUP); returns at once. */
  public void requestReload() {
    reload = true;
    synchronized (wake) {
      wake.notifyAll();
    }
  }

  /**
   * TERM and INT stop the daemon, HUP reloads it (instead of the JVM's default of exiting) until
   * {@link #run()} returns; then the previous handlers are back.
   */
  public void handleSignals() {
    for (String name : List.of("TERM", "INT", "HUP")) {
      sun.misc.Signal signal = new sun.misc.Signal(name);
      sun.misc.SignalHandler previous =
          sun.misc.Signal.handle(signal, name.equals("HUP") ? s -> requestReload() : s -> requestStop());
      if (previous == sun.misc.SignalHandler.SIG_IGN) {
        // ignored when the JVM started (nohup, a shell's background job): the JVM keeps it ignored,
        // so the signal never arrives; "restoring" it later would drop another handler's registration
        line("SIG" + name + " is ignored in this process (started under nohup?), so it will not "
            + (name.equals("HUP") ? "reload the daemon ('mailops snmp reload' neither); restart it to reload, or"
                : "stop the daemon; use SIGTERM, or") + " start it without nohup (systemd: packaging/systemd)");
      } else {
        previousHandlers.put(signal, previous);
      }
    }
  }

  private void restoreSignals() {
    previousHandlers.forEach(sun.misc.Signal::handle);
    previousHandlers.clear();
  }

  private void startServices(InetSocketAddress listen) throws IOException {
    if (Schedules.bool(settings, "mailops.daemon.collector", true)) {
      collector = new Thread(this::collect, "mailops-collector");
      collector.setDaemon(true);
      collector.start();
    }
    configureAgent();
    configureHttp(listen);
  }

  private void stopServices() {
    if (collector != null) {
      collector.interrupt();
    }
    events.close();
    if (http != null) {
      http.close();
      http = null;
    }
  }

  /** {@code mailops report collect} (its own minute loop) under the report-collect lock; restarted when it ends. */
  private void collect() {
    Path file = JobLock.file(home, JobKind.REPORT_COLLECT.jobName());
    boolean told = false;
    while (!stop) {
      try (JobLock lock = JobLock.tryAcquire(file)) {
        if (lock == null) {
          collectorState = "waiting: another process holds " + file;
          if (!told) {
            line("collector waits: another process holds " + file + " (a 'mailops report collect' outside the"
                + " daemon?); trying again every minute");
            told = true;
          }
        } else {
          told = false;
          collectorState = "running";
          PrintWriter w = new PrintWriter(new PrefixWriter(log, "[collector] ", () -> stop));
          int code = commands.run(w, w, List.of("report", "collect"));
          w.flush();
          if (stop) {
            return;
          }
          collectorState = "restarting after exit code " + code;
          line("collector ended with exit code " + code + "; restarting it in a minute");
        }
      } catch (IOException e) {
        collectorState = "failed: " + e.getMessage();
        line("collector: " + e.getMessage());
      }
      try {
        Thread.sleep(60_000);
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  private void configureAgent() throws IOException {
    events.configure(settings);
  }

  private void configureHttp(InetSocketAddress listen) throws IOException {
    if (Objects.equals(listen, httpAddress) && (http != null) == (listen != null)) {
      return;
    }
    if (http != null) {
      http.close();
      http = null;
    }
    httpAddress = listen;
    if (listen != null) {
      http = HealthServer.start(listen, new HealthServer.Source() {
        @Override
        public String health() {
          return JSON.writeValueAsString(report());
        }

        @Override
        public boolean healthy() {
          return "ok".equals(report().get("status"));
        }

        @Override
        public String metrics(boolean openMetrics) throws IOException {
          if (metrics == null) {
            return openMetrics ? "# EOF\n" : "";
          }
          return MetricsExposition.render(OidLayout.mapped(), metrics, openMetrics);
        }
      });
      line("HTTP on http://" + http.address().getHostString() + ":" + http.address().getPort() + "/health and /metrics");
    }
  }

  /** The status as {@code /health} and the status file have it. */
  public Map<String, Object> report() {
    Map<String, String> services = new LinkedHashMap<>();
    services.put("collector", collectorState);
    services.put("snmp", events.state());
    services.put("http", http == null ? "off" : http.address().getHostString() + ":" + http.address().getPort());
    return StatusReport.of(ProcessHandle.current().pid(), started, clock.instant(), scheduler.status(), services);
  }

  /**
   * Called by the main loop and by scheduler listeners on job threads: the report is made outside any
   * lock (it takes the scheduler's, which the main loop holds while it notifies), the file written one
   * call at a time (they share the temp file).
   */
  private void writeStatus() {
    Path file = home.resolve("daemon/status.json");
    try {
      String json = JSON.writerWithDefaultPrettyPrinter().writeValueAsString(report());
      synchronized (statusFile) {
        Files.createDirectories(file.getParent());
        Path tmp = file.resolveSibling("status.json.tmp");
        Files.writeString(tmp, json);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
    }
  }

  private void line(String s) {
    synchronized (log) {
      log.println(DateTimeFormatter.ISO_INSTANT.format(clock.instant().truncatedTo(
          ChronoUnit.SECONDS)) + " mailops daemon: " + s);
      log.flush();
    }
  }

  /** Copies whole lines to the log with a prefix. */
  private static final class PrefixWriter extends Writer {
    private final PrintWriter log;
    private final String prefix;
    private final BooleanSupplier quiet;
    private final StringBuilder line = new StringBuilder();

    PrefixWriter(PrintWriter log, String prefix, BooleanSupplier quiet) {
      this.log = log;
      this.prefix = prefix;
      this.quiet = quiet;
    }

    @Override
    public synchronized void write(char[] buf, int off, int len) {
      if (quiet.getAsBoolean()) {
        return; // the command's complaint about being interrupted at shutdown
      }
      for (int i = off; i < off + len; i++) {
        if (buf[i] == '\n') {
          synchronized (log) {
            log.println(prefix + line);
            log.flush();
          }
          line.setLength(0);
        } else if (buf[i] != '\r') {
          line.append(buf[i]);
        }
      }
    }

    @Override
    public void flush() { }

    @Override
    public void close() { }
  }
}
