package io.mailops.jobs.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import io.mailops.jobs.CliResult;
import io.mailops.jobs.MailOpsCli;
import io.mailops.snmp.OidLayout;
import io.mailops.snmp.SnmpSettings;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code mailops daemon run} in this process with {@code mailops.snmp} configured: the agent starts as
 * {@code mailops snmp serve} starts it (trap targets with their own community) and sends
 * moAgentStarted, moJobFailed for a failing scheduled job, moAgentReloaded once per SIGHUP (in place,
 * or from a restarted agent when the base OID changes; the first one sent by {@code mailops snmp
 * reload} through the agent's pid file, which the daemon took over from a killed one) and
 * moAgentShutdown on SIGTERM.
 */
class DaemonSnmpTest {

  static final Duration WAIT = Duration.ofSeconds(30);
  static final String OTHER_BASE = "1.3.6.1.4.1.99999.7";

  @TempDir
  Path home;

  void config(String trapCommunity, String baseOid, String trapTarget) throws Exception {
    Files.writeString(home.resolve("mailops.yml"), "mailops:\n  queue-dir: \"\"\n"
        + "  snmp:\n    community: noc\n    listen: \"udp:127.0.0.1/0\"\n    base-oid: " + baseOid + "\n"
        + "    traps:\n      targets:\n        - address: \"" + trapTarget + "\"\n          community: " + trapCommunity + "\n"
        + "  daemon:\n    collector: false\n    stop-timeout: 5s\n    schedules:\n"
        + "      archive-ingest:\n        cron: \"*/2 * * * * *\"\n");
  }

  @Test
  void daemonShouldSendStartedJobFailedReloadedAndShutdownTrapsToTheConfiguredTargets() throws Exception {
    String base = SnmpSettings.DEFAULT_BASE_OID;
    Path pidFile = home.resolve("snmp/serve.pid");
    Files.createDirectories(pidFile.getParent());
    Process gone = new ProcessBuilder("true").start();
    gone.waitFor();
    Files.writeString(pidFile, gone.pid() + "\n"); // left by a daemon killed with -9
    try (TrapSink traps = new TrapSink()) {
      config("traps", base, traps.address());
      StringWriter out = new StringWriter();
      StringWriter err = new StringWriter();
      CompletableFuture<Integer> daemon = CompletableFuture.supplyAsync(() -> MailOpsCli.execute(
          new PrintWriter(out, true), new PrintWriter(err, true), Map.of("MAILOPS_HOME", home.toString(),
              "HOME", home.toString()), false, "daemon", "run"));

      TrapSink.Trap started = traps.next(OidLayout.Notification.STARTED.oid(base), WAIT);
      assertThat(started).as(out + "\n" + err).isNotNull();
      assertThat(started.community()).isEqualTo("traps");
      assertThat(Files.readString(pidFile).trim()).as("the agent's pid file names the daemon")
          .isEqualTo(String.valueOf(ProcessHandle.current().pid()));
      assertThat(out.toString()).containsPattern("SNMP agent on udp:127\\.0\\.0\\.1/\\d+ \\(\\d+ parameters under "
          + base.replace(".", "\\.") + "\\.1, 1 v2c community, 0 v3 user\\(s\\), 1 trap target\\(s\\)");

      TrapSink.Trap failed = traps.next(OidLayout.Notification.JOB_FAILED.oid(base), WAIT);
      assertThat(failed).as(out.toString()).isNotNull();
      assertThat(failed.value(OidLayout.NotifyObject.JOB_NAME.oid(base))).hasToString("archive-ingest");
      assertThat(failed.value(OidLayout.NotifyObject.JOB_REASON.oid(base)).toString()).contains("archive");
      long execution = failed.value(OidLayout.NotifyObject.JOB_EXECUTION_ID.oid(base)).toLong();
      assertThat(execution).isPositive();
      assertThat(out.toString()).contains("job archive-ingest (execution " + execution + ") failed: ");

      config("traps-2", base, traps.address()); // same listen address and base OID: reloaded in place
      traps.drain();
      CliResult reload = CliResult.run(Map.of("MAILOPS_HOME", home.toString(), "HOME", home.toString()),
          "snmp", "reload"); // SIGHUP to the pid in the agent's pid file: this process
      assertThat(reload.code()).as(reload.err()).isZero();
      assertThat(reload.out()).contains("(pid " + ProcessHandle.current().pid() + ")");
      TrapSink.Trap reloaded = traps.next(OidLayout.Notification.RELOADED.oid(base), WAIT);
      assertThat(reloaded).as(out.toString()).isNotNull();
      assertThat(reloaded.community()).as("the reloaded trap target's community").isEqualTo("traps-2");
      Thread.sleep(500);
      assertThat(traps.drain()).as("one reloaded notification per SIGHUP")
          .noneMatch(t -> t.trapOid().toDottedString().equals(OidLayout.Notification.RELOADED.oid(base)));

      config("traps-3", OTHER_BASE, traps.address()); // another base OID: the agent restarts
      sun.misc.Signal.raise(new sun.misc.Signal("HUP"));
      TrapSink.Trap restarted = traps.next(OidLayout.Notification.RELOADED.oid(OTHER_BASE), WAIT);
      assertThat(restarted).as(out.toString()).isNotNull();
      assertThat(restarted.community()).isEqualTo("traps-3");
      assertThat(out.toString()).contains("parameters under " + OTHER_BASE + ".1");

      sun.misc.Signal.raise(new sun.misc.Signal("TERM"));
      TrapSink.Trap shutdown = traps.next(OidLayout.Notification.SHUTDOWN.oid(OTHER_BASE), WAIT);
      assertThat(shutdown).as(out.toString()).isNotNull();
      assertThat(shutdown.community()).isEqualTo("traps-3");
      assertThat(daemon.get(30, TimeUnit.SECONDS)).as(err.toString()).isZero();
      assertThat(out.toString()).contains("daemon stopping");
      assertThat(pidFile).as("removed when the daemon's agent closes").doesNotExist();
    }
  }

  @Test
  void badSnmpSettingIsOneLineNamingItAndExitTwoBeforeTheDaemonStarts() throws Exception {
    Files.writeString(home.resolve("mailops.yml"), "mailops:\n  snmp:\n    community: noc\n    traps:\n"
        + "      queue-high: lots\n  daemon:\n    collector: false\n");
    CliResult r = CliResult.run(Map.of("MAILOPS_HOME", home.toString()), "daemon", "run");
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).isEqualTo("mailops: mailops.snmp.traps: mailops.snmp.traps.queue-high must be a whole number,"
        + " got lots\n");
    assertThat(home.resolve("daemon/status.json")).doesNotExist();
  }
}
