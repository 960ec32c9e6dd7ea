package io.mailops.jobs.daemon;

import io.mailops.jobs.config.MailOpsSettings;
import io.mailops.snmp.MailOpsAgent;
import io.mailops.snmp.OidLayout;
import io.mailops.snmp.SnmpException;
import io.mailops.snmp.SnmpSettings;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The daemon's SNMP agent and the {@link DaemonEvents} that become its notifications: every event
 * goes to {@code log} (another {@link DaemonEvents}) and, while the agent runs, out as moAgentStarted,
 * moAgentReloaded, moAgentShutdown or moJobFailed. {@link #configure} starts, reloads in place or
 * restarts the agent from {@code mailops.snmp.*} and keeps the agent's pid file (the one
 * {@code mailops snmp serve} writes, so {@code mailops snmp reload} reaches the daemon) while the
 * agent runs; the daemon calls it at start and at each SIGHUP,
 * before {@link #started()} or {@link #reloaded()}. Thread-safe: jobs report failures from their
 * own threads while the daemon reloads.
 */
final class AgentEvents implements DaemonEvents {

  private final SnmpAgents agents;
  private final DaemonEvents log;
  private final Consumer<String> line;
  private MailOpsAgent agent;
  private SnmpSettings running;
  /** The pid file this daemon wrote for its agent, or null. */
  private Path pidFile;
  /** {@link MailOpsAgent#reload} sent moAgentReloaded itself; {@link #reloaded()} must not send it again. */
  private boolean reloadSent;

  /**
   * @param agents how to start the agent; null: the daemon runs without one
   * @param log the events as log lines
   * @param line the daemon's log for what the agent does (started, restarted, warnings)
   */
  AgentEvents(SnmpAgents agents, DaemonEvents log, Consumer<String> line) {
    this.agents = agents;
    this.log = log;
    this.line = line;
  }

  /**
   * Brings the agent in line with {@code settings}: starts it when {@code mailops.snmp} configures
   * one, applies new communities, users, trap targets and alarms in place when the listen address,
   * base OID, account rows and state directory stay, restarts it otherwise, closes it when SNMP is
   * no longer configured.
   *
   * @throws IOException when the agent cannot start (port taken, password file unreadable); the
   *     agent is off then
   * @throws IllegalArgumentException for a bad {@code mailops.snmp} setting, naming it; the running
   *     agent (if any) is kept
   */
  synchronized void configure(MailOpsSettings settings) throws IOException {
    SnmpSettings wanted = agents == null ? null : agents.settings(settings);
    reloadSent = false;
    if (agent != null && wanted != null && sameBinding(running, wanted)) {
      try {
        agent.reload(wanted);
        running = wanted;
        reloadSent = true;
        return;
      } catch (SnmpException e) {
        line.accept("snmp: " + e.getMessage() + "; restarting the agent");
      }
    }
    close();
    if (wanted != null) {
      agent = agents.start(wanted, w -> line.accept("snmp: warning: " + w));
      running = wanted;
      claimPidFile(agents.pidFile(wanted));
      line.accept("SNMP agent on udp:" + agent.listenAddress() + " (" + OidLayout.mapped().size()
          + " parameters under " + wanted.baseOid() + ".1, " + wanted.communities().size() + " v2c communit"
          + (wanted.communities().size() == 1 ? "y" : "ies") + ", " + wanted.users().size() + " v3 user(s), "
          + wanted.traps().targets().size() + " trap target(s); engine ID 0x" + agent.engineId() + ")");
    }
  }

  private static boolean sameBinding(SnmpSettings a, SnmpSettings b) {
    return a.listen().equals(b.listen()) && a.baseOid().equals(b.baseOid()) && a.accountRows() == b.accountRows()
        && Objects.equals(a.stateDir(), b.stateDir());
  }

  /** Where the agent answers ({@code udp:HOST/PORT}), or {@code off}. */
  synchronized String state() {
    return agent == null ? "off" : "udp:" + agent.listenAddress();
  }

  /** Closes the agent (sends nothing; {@link #shutdown()} sent moAgentShutdown before) and removes its pid file. */
  synchronized void close() {
    if (agent != null) {
      agent.close();
      agent = null;
      running = null;
    }
    releasePidFile();
  }

  /**
   * Writes this process's pid to {@code file}, so that {@code mailops snmp reload} (SIGHUP) reaches the
   * daemon. A file naming a process that is gone (a killed daemon or serve) is replaced; one naming a
   * live {@code mailops} process is left alone, with a warning.
   */
  private void claimPidFile(Path file) {
    long me = ProcessHandle.current().pid();
    try {
      Files.createDirectories(file.getParent());
      if (Files.exists(file)) {
        String old = Files.readString(file, StandardCharsets.UTF_8).trim();
        if (old.matches("\\d{1,18}") && Long.parseLong(old) != me && liveMailOps(Long.parseLong(old))) {
          line.accept("snmp: warning: " + file + " names the running process " + old + " (a 'mailops snmp serve'?);"
              + " 'mailops snmp reload' reaches that one, not this daemon");
          return;
        }
      }
      Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
      Files.writeString(tmp, me + "\n", StandardCharsets.UTF_8);
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      pidFile = file;
    } catch (IOException e) {
      line.accept("snmp: warning: cannot write the pid file " + file + " (" + e.getMessage()
          + "); 'mailops snmp reload' cannot reach this daemon, 'kill -HUP " + me + "' can");
    }
  }

  /** Whether {@code pid} is alive and, as far as the OS tells, a mailops process (not a pid reused by another program). */
  private static boolean liveMailOps(long pid) {
    Optional<ProcessHandle> p = ProcessHandle.of(pid);
    if (p.isEmpty() || !p.get().isAlive()) {
      return false;
    }
    return p.get().info().commandLine().map(c -> c.contains("mailops")).orElse(true);
  }

  private void releasePidFile() {
    if (pidFile == null) {
      return;
    }
    try {
      String text = Files.readString(pidFile, StandardCharsets.UTF_8).trim();
      if (text.equals(String.valueOf(ProcessHandle.current().pid()))) {
        Files.delete(pidFile);
      }
    } catch (NoSuchFileException e) {
      // already gone
    } catch (IOException e) {
      line.accept("snmp: warning: cannot remove the pid file " + pidFile + ": " + e.getMessage());
    }
    pidFile = null;
  }

  private synchronized MailOpsAgent agent() {
    return agent;
  }

  @Override
  public void started() {
    log.started();
    MailOpsAgent a = agent();
    if (a != null) {
      a.sendStarted();
    }
  }

  @Override
  public void reloaded() {
    log.reloaded();
    MailOpsAgent a;
    synchronized (this) {
      a = reloadSent ? null : agent;
      reloadSent = false;
    }
    if (a != null) {
      a.sendReloaded();
    }
  }

  @Override
  public void shutdown() {
    log.shutdown();
    MailOpsAgent a = agent();
    if (a != null) {
      a.sendShutdown();
    }
  }

  @Override
  public void jobRetrying(String job, long executionId, String reason) {
    log.jobRetrying(job, executionId, reason); // no notification: the last attempt decides
  }

  @Override
  public void jobFailed(String job, long executionId, String reason) {
    log.jobFailed(job, executionId, reason);
    MailOpsAgent a = agent();
    if (a != null) {
      a.sendJobFailed(job, executionId, reason);
    }
  }
}
