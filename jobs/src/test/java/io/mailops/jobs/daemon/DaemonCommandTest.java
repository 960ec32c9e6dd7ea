package io.mailops.jobs.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import io.mailops.jobs.CliResult;
import io.mailops.jobs.MailOpsCli;
import io.mailops.jobs.batch.JobLock;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code mailops daemon run|status} in this process: schedules fire as job executions, /health and
 * /metrics answer, SIGHUP re-reads the schedules, SIGTERM stops; bad settings are one line and exit 2.
 */
class DaemonCommandTest {

  @TempDir
  Path home;

  Map<String, String> env() {
    return Map.of("MAILOPS_HOME", home.toString(), "HOME", home.toString());
  }

  void config(String daemonBlock) throws Exception {
    Files.writeString(home.resolve("mailops.yml"), "mailops:\n  queue-dir: \"\"\n  daemon:\n    collector: false\n"
        + "    stop-timeout: 5s\n    http:\n      listen: 127.0.0.1:0\n" + daemonBlock);
  }

  @Test
  void daemonRunsSchedulesServesHealthAndMetricsReloadsOnSighupAndStopsOnSigterm() throws Exception {
    config("    schedules:\n      backup-prune:\n        cron: \"* * * * * *\"\n");
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CompletableFuture<Integer> daemon = CompletableFuture.supplyAsync(() ->
        MailOpsCli.execute(new PrintWriter(out, true), new PrintWriter(err, true), env(), false, "daemon", "run"));
    SchedulerTest.waitFor(() -> out.toString().contains("daemon started") || daemon.isDone());
    assertThat(daemon).as(err.toString()).isNotDone();
    Matcher m = Pattern.compile("HTTP on http://127\\.0\\.0\\.1:(\\d+)/health").matcher(out.toString());
    assertThat(m.find()).isTrue();
    String base = "http://127.0.0.1:" + m.group(1);

    SchedulerTest.waitFor(() -> health(base).path("jobs").path(0).path("last").path("result").asString("")
        .equals("COMPLETED"));
    JsonNode health = health(base);
    assertThat(health.path("status").asString()).isEqualTo("ok");
    assertThat(health.path("jobs").path(0).path("schedule").asString()).isEqualTo("backup-prune");
    assertThat(health.path("jobs").path(0).path("next_run").asString()).isNotEmpty();
    long execution = health.path("jobs").path(0).path("last").path("execution_id").asLong();
    assertThat(out.toString()).contains("[backup-prune] Removed 0 set(s)");

    HttpResponse<String> metrics = get(base + "/metrics");
    assertThat(metrics.statusCode()).isEqualTo(200);
    assertThat(metrics.headers().firstValue("Content-Type").orElse("")).startsWith("text/plain; version=0.0.4");
    assertThat(metrics.body()).contains("# TYPE mailops_smtp_in_accepted counter\n")
        .contains("\nmailops_smtp_in_accepted_total 0\n");
    assertThat(get(base + "/nothing").statusCode()).isEqualTo(404);

    CliResult status = CliResult.run(env(), "daemon", "status");
    assertThat(status.code()).as(status.err()).isZero();
    assertThat(status.out()).contains("mailops daemon: running").containsPattern("backup-prune\\s+backup-prune\\s+\\* \\* \\* \\* \\* \\*");
    CliResult second = CliResult.run(env(), "daemon", "run");
    assertThat(second.code()).isEqualTo(1);
    assertThat(second.err()).contains("another mailops daemon runs on " + home);
    CliResult history = CliResult.run(env(), "jobs", "history", "backup-prune");
    assertThat(history.out()).containsPattern(execution + "\\s+backup-prune\\s+COMPLETED");

    config("    schedules:\n      backup-prune:\n        cron: \"0 0 4 * * *\"\n      render:\n        job: report-render\n"
        + "        cron: \"0 5 * * * *\"\n        out: " + home.resolve("www") + "\n");
    sun.misc.Signal.raise(new sun.misc.Signal("HUP"));
    SchedulerTest.waitFor(() -> health(base).path("jobs").size() == 2);
    assertThat(health(base).path("jobs").path(1).path("job").asString()).isEqualTo("report-render");
    assertThat(out.toString()).contains("schedules and settings reloaded");

    sun.misc.Signal.raise(new sun.misc.Signal("TERM"));
    assertThat(daemon.get(30, TimeUnit.SECONDS)).as(err.toString()).isZero();
    assertThat(out.toString()).contains("daemon stopping");
    CliResult stopped = CliResult.run(env(), "daemon", "status");
    assertThat(stopped.code()).isEqualTo(1);
    assertThat(stopped.err()).startsWith("mailops: the daemon is not running");
    assertThat(stopped.out()).containsPattern("render\\s+report-render\\s+0 5 \\* \\* \\* \\*");
  }

  /** A daemon started under nohup cannot get SIGHUP (the JVM keeps an ignored signal ignored): it says so. */
  @Test
  void daemonStartedWithSighupIgnoredSaysReloadNeedsARestartAndStillStopsOnSigterm() throws Exception {
    config("");
    Path log = home.resolve("daemon.txt");
    Process p = new ProcessBuilder("sh", "-c", "trap '' HUP; exec \"$0\" \"$@\"",
        Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-XX:TieredStopAtLevel=1",
        "-cp", System.getProperty("java.class.path"), MailOpsCli.class.getName(), "daemon", "run")
        .redirectErrorStream(true).redirectOutput(log.toFile()).start();
    p.getOutputStream().close();
    pb: {
      long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (System.nanoTime() < end && p.isAlive()) {
        if (Files.readString(log).contains("daemon started")) {
          break pb;
        }
        Thread.sleep(50);
      }
    }
    String out = Files.readString(log);
    assertThat(p.isAlive()).as(out).isTrue();
    assertThat(out).contains("mailops daemon: SIGHUP is ignored in this process (started under nohup?), so it will not"
        + " reload the daemon").doesNotContain("SIGTERM is ignored");
    p.destroy(); // SIGTERM
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(Files.readString(log)).isZero();
    assertThat(Files.readString(log)).contains("daemon stopping");
  }

  @Test
  void badCronExpressionIsOneLineNamingTheSettingAndExitTwo() throws Exception {
    config("    schedules:\n      backup:\n        cron: \"0 0 25 * * *\"\n");
    CliResult r = CliResult.run(env(), "daemon", "run");
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err().lines()).hasSize(1);
    assertThat(r.err()).startsWith("mailops: mailops.daemon.schedules.backup.cron '0 0 25 * * *': ")
        .contains("six fields");
  }

  @Test
  void unknownJobIsOneLineListingTheJobsAndExitTwo() throws Exception {
    config("    schedules:\n      nightly:\n        cron: \"0 0 2 * * *\"\n");
    CliResult r = CliResult.run(env(), "daemon", "status");
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err().lines()).hasSize(1);
    assertThat(r.err()).startsWith("mailops: mailops.daemon.schedules.nightly.job 'nightly': unknown job; use one of backup,"
        + " backup-prune, archive-ingest, report-collect, report-render");
  }

  @Test
  void badHttpListenAddressIsOneLineAndExitTwo() throws Exception {
    Files.writeString(home.resolve("mailops.yml"), "mailops:\n  daemon:\n    http:\n      listen: localhost\n");
    CliResult r = CliResult.run(env(), "daemon", "run");
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).isEqualTo("mailops: mailops.daemon.http.listen 'localhost': give host:port such as"
        + " 127.0.0.1:9465, or leave it empty to turn the endpoint off\n");
  }

  @Test
  void optionOfAnotherJobIsRefused() throws Exception {
    config("    schedules:\n      backup-prune:\n        cron: \"0 0 2 * * *\"\n        full: true\n");
    CliResult r = CliResult.run(env(), "daemon", "run");
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("mailops.daemon.schedules.backup-prune.full does not apply to job backup-prune");
  }

  @Test
  void commandLineRunIsRefusedWhileAnotherRunOfTheJobHoldsItsLock() throws Exception {
    config("");
    try (JobLock daemonRun = JobLock.tryAcquire(JobLock.file(home, "backup-prune"))) {
      CliResult r = CliResult.run(env(), "backup", "prune");
      assertThat(r.code()).isEqualTo(1);
      assertThat(r.err()).startsWith("mailops: backup-prune is running already").contains("locks/backup-prune.lock");
      assertThat(CliResult.run(env(), "backup", "prune", "--help").code()).isZero();
    }
    CliResult after = CliResult.run(env(), "backup", "prune");
    assertThat(after.code()).as(after.err()).isZero();
  }

  @Test
  void statusOfAStoppedDaemonListsTheConfiguredSchedulesAndExitsOne() throws Exception {
    config("    schedules:\n      backup:\n        cron: \"0 0 2 * * *\"\n        zone: UTC\n");
    CliResult r = CliResult.run(env(), "daemon", "status");
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err()).startsWith("mailops: the daemon is not running");
    assertThat(r.out()).containsPattern("backup\\s+backup\\s+0 0 2 \\* \\* \\*\\s+\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:00\\s+-");
  }

  static JsonNode health(String base) {
    try {
      return JsonMapper.builder().build().readTree(get(base + "/health").body());
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  static HttpResponse<String> get(String url) throws Exception {
    return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
