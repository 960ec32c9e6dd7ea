package io.mailops.jobs.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import io.mailops.jobs.backup.BackupCheckpoint;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * {@code bin/mailops daemon run} as a child process on a Maildir store with a local backup target:
 * archive ingest and the collector run on their schedules; a backup added by SIGHUP is killed with
 * {@code kill -9} in the middle; the next daemon start restarts that execution, which completes the
 * same set without uploading its finished folders again; re-ingests store nothing twice; SIGTERM
 * ends the daemon with exit 0. Runs the packaged jar, so it is an IT (needs no server).
 */
class DaemonKillIT {

  static final String PASSWORD = "Daemon-Test-Passw0rd";
  /** The log line of a restarted backup execution that ended. */
  static final java.util.regex.Pattern RESTART_DONE =
      java.util.regex.Pattern.compile("\\[backup\\] execution \\d+ \\(restart of \\d+\\): [A-Z]+");

  @TempDir
  Path home;

  final List<Process> started = new ArrayList<>();

  @AfterEach
  void tearDown() {
    started.forEach(p -> p.toHandle().destroyForcibly());
  }

  Process mailops(Path log, String... args) throws IOException {
    Path root = Path.of(System.getProperty("user.dir")).getParent();
    List<String> cmd = new ArrayList<>(List.of(root.resolve("bin/mailops").toString()));
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
    pb.environment().put("MAILOPS_HOME", home.toString());
    pb.environment().put("MAILOPS_ARCHIVE_PASSWORD", PASSWORD);
    Process p = pb.start();
    started.add(p);
    return p;
  }

  String run(String... args) throws Exception {
    Path log = Files.createTempFile(home, "out", ".txt");
    Process p = mailops(log, args);
    assertThat(p.waitFor(5, TimeUnit.MINUTES)).isTrue();
    String out = Files.readString(log, StandardCharsets.UTF_8);
    assertThat(p.exitValue()).as(out).isIn(0, 3);
    return out;
  }

  void config(boolean backup) throws IOException {
    Path mailLog = home.resolve("mail.log");
    if (!Files.exists(mailLog)) {
      Files.writeString(mailLog, "");
    }
    Files.writeString(home.resolve("mailops.yml"), "mailops:\n"
        + "  queue-dir: \"\"\n"
        + "  archive:\n    kdf-memory-kib: 8192\n    kdf-iterations: 1\n"
        + "  report:\n    logs: [" + mailLog + "]\n"
        + "  daemon:\n    stop-timeout: 5s\n    schedules:\n"
        + "      archive-ingest:\n        cron: \"*/5 * * * * *\"\n"
        + (backup ? "      backup:\n        cron: \"*/5 * * * * *\"\n" : ""));
  }

  @Test
  void backupKilledInTheDaemonIsRestartedAtTheNextStartAndCompletesWithoutDuplicates() throws Exception {
    run("storage", "sample", "--domains", "3", "--accounts", "4", "--messages", "250");
    run("archive", "init");
    config(false);
    Path log1 = home.resolve("daemon1.txt");
    Process daemon = mailops(log1, "daemon", "run");
    waitFor(Duration.ofMinutes(3), () -> count(log1, "[archive-ingest] Ingested from ") >= 2 || !daemon.isAlive());
    assertThat(daemon.isAlive()).as(read(log1)).isTrue();
    assertThat(read(log1)).contains("[collector] collected ").containsPattern("Ingested from \\S+: \\d+ stored")
        .contains(": 0 stored, 0 duplicates stored once, 3000 already archived");
    assertThat(stored(read(log1))).isEqualTo(3000);

    config(true);
    new ProcessBuilder("kill", "-HUP", String.valueOf(daemon.pid())).start().waitFor();
    Path state = home.resolve("backup/state");
    JsonNode checkpoint = null;
    long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
    while (System.nanoTime() < deadline && daemon.isAlive()) {
      checkpoint = BackupCheckpoint.read(state);
      if (checkpoint != null && checkpoint.get("completed").size() >= 5) {
        break;
      }
      Thread.sleep(20);
    }
    assertThat(daemon.isAlive()).as(read(log1)).isTrue();
    daemon.toHandle().destroyForcibly(); // SIGKILL in the middle of the backup
    assertThat(daemon.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(read(log1)).contains("schedules and settings reloaded");
    checkpoint = BackupCheckpoint.read(state);
    String set = checkpoint.get("set").asString();
    Path sets = home.resolve("backups");
    assertThat(sets.resolve(set).resolve("manifest.json")).doesNotExist();
    Map<String, Object> finished = new TreeMap<>();
    for (JsonNode f : checkpoint.get("completed")) {
      Path tar = sets.resolve(set).resolve(f.get("dir").asString()).resolve("messages.tar.zst");
      if (Files.exists(tar)) {
        finished.put(tar.toString(), BackupCheckpoint.identity(tar));
      }
    }
    assertThat(finished).hasSizeGreaterThanOrEqualTo(3);
    assertThat(run("jobs", "history", "backup")).containsPattern("backup\\s+STARTED");

    config(false); // the restart alone must complete the set: no new backups
    Path log2 = home.resolve("daemon2.txt");
    Process again = mailops(log2, "daemon", "run");
    // the restarted execution's end, not only its manifest: a SIGTERM while it records COMPLETED would
    // (after stop-timeout) mark it STOPPED for the next start instead
    waitFor(Duration.ofMinutes(3), () -> RESTART_DONE.matcher(read(log2)).find() || !again.isAlive());
    assertThat(sets.resolve(set).resolve("manifest.json")).as(read(log2)).isRegularFile();
    waitFor(Duration.ofMinutes(1), () -> count(log2, "[archive-ingest] Ingested from ") >= 1);

    again.destroy(); // SIGTERM
    assertThat(again.waitFor(60, TimeUnit.SECONDS)).isTrue();
    String out2 = read(log2);
    assertThat(again.exitValue()).as(out2).isZero();
    assertThat(out2).containsPattern("\\[backup\\] execution \\d+ \\(restart of \\d+\\): COMPLETED \\(COMPLETED, set "
        + set + "\\)").contains("daemon stopping");
    for (Map.Entry<String, Object> e : finished.entrySet()) {
      assertThat(BackupCheckpoint.identity(Path.of(e.getKey()))).as("uploaded again: " + e.getKey()).isEqualTo(e.getValue());
    }
    try (Stream<Path> s = Files.list(sets)) {
      assertThat(s.map(p -> p.getFileName().toString()).toList()).containsExactly(set);
    }
    assertThat(run("backup", "verify", "--deep")).contains(": OK (deep check");
    assertThat(stored(read(log1)) + stored(out2)).as("messages stored by all ingests").isEqualTo(3000);
    String history = run("jobs", "history", "--limit", "100");
    assertThat(history).containsPattern("backup\\s+FAILED").containsPattern("backup\\s+COMPLETED")
        .containsPattern("archive-ingest\\s+COMPLETED").doesNotContainPattern("\\d+\\s+\\S+\\s+(STARTED|STARTING|STOPPING)\\s");
  }

  static void waitFor(Duration max, BooleanSupplier condition) throws InterruptedException {
    long end = System.nanoTime() + max.toNanos();
    while (!condition.getAsBoolean() && System.nanoTime() < end) {
      Thread.sleep(100);
    }
  }

  /** The sum of "N stored" over the ingest lines of a daemon log. */
  static long stored(String log) {
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("\\[archive-ingest\\] Ingested from \\S+: (\\d+) stored").matcher(log);
    long n = 0;
    while (m.find()) {
      n += Long.parseLong(m.group(1));
    }
    return n;
  }

  static String read(Path log) {
    try {
      return Files.readString(log, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "";
    }
  }

  static long count(Path log, String s) {
    return read(log).lines().filter(l -> l.contains(s)).count();
  }
}
