package io.mailops.jobs.backup;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * {@code kill -9} of a running {@code bin/mailops backup run} between folder uploads; the next
 * run continues the same set, uploads none of the finished folders again, and the history shows
 * the killed execution as failed. Runs the packaged jar, so it is an IT (needs no server).
 */
class BackupKillIT {

  @TempDir
  Path home;

  Process mailops(Path log, String... args) throws IOException {
    Path root = Path.of(System.getProperty("user.dir")).getParent();
    List<String> cmd = new java.util.ArrayList<>(List.of(root.resolve("bin/mailops").toString()));
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
    pb.environment().put("MAILOPS_HOME", home.toString());
    return pb.start();
  }

  String run(String... args) throws Exception {
    Path log = Files.createTempFile(home, "out", ".txt");
    Process p = mailops(log, args);
    assertThat(p.waitFor(5, TimeUnit.MINUTES)).isTrue();
    String out = Files.readString(log, StandardCharsets.UTF_8);
    assertThat(p.exitValue()).as(out).isZero();
    return out;
  }

  @Test
  void aKilledBackupIsContinuedByTheNextRunWithoutUploadingFinishedFoldersAgain() throws Exception {
    run("storage", "sample", "--domains", "3", "--accounts", "4", "--messages", "250");
    Path log = home.resolve("killed.txt");
    Process p = mailops(log, "backup", "run");
    Path state = home.resolve("backup/state");
    JsonNode checkpoint = null;
    long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
    while (System.nanoTime() < deadline && p.isAlive()) {
      checkpoint = BackupCheckpoint.read(state);
      if (checkpoint != null && checkpoint.get("completed").size() >= 5) {
        break;
      }
      Thread.sleep(20);
    }
    assertThat(p.isAlive()).as("the backup ended before it could be killed: "
        + Files.readString(log)).isTrue();
    p.toHandle().destroyForcibly(); // SIGKILL: no shutdown hooks, no clean-up
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    checkpoint = BackupCheckpoint.read(state);
    String set = checkpoint.get("set").asString();
    assertThat(home.resolve("backups").resolve(set).resolve("manifest.json")).doesNotExist();
    Map<String, Object> finished = new TreeMap<>();
    for (JsonNode f : checkpoint.get("completed")) {
      Path tar = home.resolve("backups").resolve(set).resolve(f.get("dir").asString()).resolve("messages.tar.zst");
      if (Files.exists(tar)) {
        finished.put(tar.toString(), BackupCheckpoint.identity(tar));
      }
    }
    assertThat(finished).hasSizeGreaterThanOrEqualTo(3);

    String again = run("backup", "run");

    assertThat(again).contains("continuing the interrupted set " + set)
        .contains("Backup set " + set + " on file:");
    assertThat(home.resolve("backups").resolve(set).resolve("manifest.json")).isRegularFile();
    for (Map.Entry<String, Object> e : finished.entrySet()) {
      assertThat(BackupCheckpoint.identity(Path.of(e.getKey()))).as("uploaded again: " + e.getKey()).isEqualTo(e.getValue());
    }
    try (Stream<Path> sets = Files.list(home.resolve("backups"))) {
      assertThat(sets.map(s -> s.getFileName().toString()).toList()).containsExactly(set);
    }
    assertThat(run("backup", "verify", "--deep")).contains(": OK (deep check");
    String history = run("jobs", "history", "backup");
    assertThat(history).containsPattern("backup\\s+FAILED").containsPattern("backup\\s+COMPLETED");
    try (Stream<Path> left = Files.list(state)) {
      assertThat(left.filter(f -> f.toString().endsWith(BackupCheckpoint.SUFFIX)
          || f.toString().endsWith(".json")).toList()).isEmpty();
    }
  }
}
