package io.mailops.jobs.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import io.mailops.jobs.CliResult;
import io.mailops.jobs.MailOpsCli;
import io.mailops.jobs.backup.BackupCheckpoint;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * SIGTERM to {@code mailops daemon run} (in this process) in the middle of a scheduled backup: the
 * backup finishes the folders under way and ends STOPPED with the daemon's description well before
 * the stop-timeout, its checkpoint listing exactly the folders that are whole on the target; the next
 * daemon start restarts it and completes the same set, every folder once, and {@code backup verify
 * --deep} passes.
 */
class DaemonBackupStopTest {

  static final JsonMapper JSON = JsonMapper.builder().build();

  @TempDir
  Path home;

  Map<String, String> env;

  @BeforeEach
  void setUp() throws Exception {
    env = Map.of("MAILOPS_HOME", home.toString(), "HOME", home.toString());
    CliResult sample = CliResult.run(env, "storage", "sample", "--out", home.resolve("vmail").toString(),
        "--domains", "3", "--accounts", "4", "--messages", "15");
    assertThat(sample.code()).as(sample.err()).isZero();
  }

  void config(boolean backup) throws IOException {
    Files.writeString(home.resolve("mailops.yml"), "mailops:\n  storage: \"maildir:" + home.resolve("vmail") + "\"\n"
        + "  queue-dir: \"\"\n  backup:\n    target: \"file:" + home.resolve("backups") + "\"\n"
        + "  daemon:\n    collector: false\n    stop-timeout: 120s\n    schedules:\n"
        + (backup ? "      backup:\n        cron: \"*/2 * * * * *\"\n" : "      charts:\n        job: report-render\n"
            + "        cron: \"0 0 0 1 1 *\"\n        out: " + home.resolve("charts") + "\n"));
  }

  CompletableFuture<Integer> daemon(StringWriter out) {
    return CompletableFuture.supplyAsync(() -> MailOpsCli.execute(new PrintWriter(out, true),
        new PrintWriter(out, true), env, false, "daemon", "run"));
  }

  @Test
  void sigtermMidBackupEndsItStoppedWithWholeFoldersAndTheNextStartCompletesTheSetOnce() throws Exception {
    config(true);
    StringWriter log1 = new StringWriter();
    CompletableFuture<Integer> first = daemon(log1);
    Path state = home.resolve("backup/state");
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
    JsonNode seen = null;
    while (!first.isDone() && System.nanoTime() < deadline && (seen == null || seen.get("completed").isEmpty())) {
      Thread.sleep(2);
      seen = BackupCheckpoint.read(state);
    }
    assertThat(seen).as(log1.toString()).isNotNull();
    long t0 = System.nanoTime();
    sun.misc.Signal.raise(new sun.misc.Signal("TERM"));
    assertThat(first.get(3, TimeUnit.MINUTES)).as(log1.toString()).isZero();
    assertThat(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - t0)).as("stopped by the backup, not the"
        + " 120 s stop-timeout\n" + log1).isLessThan(100);
    assertThat(log1.toString()).doesNotContain("marked executions")
        .contains("[backup] mailops: backup of all to file:" + home.resolve("backups") + " stopped on request between folders");

    JsonNode execution = JSON.readTree(CliResult.run(env, "jobs", "history", "backup", "--json").out()).get(0);
    assertThat(execution.get("status").asString()).as(log1.toString()).isEqualTo("STOPPED");
    assertThat(execution.get("exit_description").asString()).isEqualTo(BatchJobRunner.STOPPED_BY_DAEMON);
    JsonNode checkpoint = BackupCheckpoint.read(state);
    assertThat(checkpoint).as("the checkpoint of the stopped set is kept").isNotNull();
    String set = checkpoint.get("set").asString();
    Path setDir = home.resolve("backups").resolve(set);
    assertThat(setDir.resolve("manifest.json")).doesNotExist();
    List<String> done = new ArrayList<>();
    checkpoint.get("completed").forEach(f -> done.add(f.get("dir").asString()));
    int total = folders(home.resolve("vmail"));
    assertThat(done).as("stopped between folders, not at the end").hasSizeBetween(1, total - 1);
    assertThat(folderManifests(setDir)).as("the folders on the target are exactly the checkpoint's")
        .containsExactlyInAnyOrderElementsOf(done);

    config(false);
    StringWriter log2 = new StringWriter();
    CompletableFuture<Integer> second = daemon(log2);
    Pattern restarted = Pattern.compile("\\[backup\\] execution \\d+ \\(restart of " + execution.get("execution_id")
        + "\\): (\\S+) \\((\\S+?)(, set (\\S+))?\\)");
    deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
    while (!second.isDone() && System.nanoTime() < deadline && !restarted.matcher(log2.toString()).find()) {
      Thread.sleep(50);
    }
    Matcher m = restarted.matcher(log2.toString());
    assertThat(m.find()).as(log2.toString()).isTrue();
    sun.misc.Signal.raise(new sun.misc.Signal("TERM"));
    assertThat(second.get(3, TimeUnit.MINUTES)).as(log2.toString()).isZero();
    assertThat(m.group(1) + " " + m.group(4)).as(log2.toString()).isEqualTo("COMPLETED " + set);

    try (Stream<Path> s = Files.list(home.resolve("backups"))) {
      assertThat(s.map(p -> p.getFileName().toString())).as("one set, no second one").containsExactly(set);
    }
    JsonNode manifest = JSON.readTree(Files.readString(setDir.resolve("manifest.json")));
    List<String> dirs = new ArrayList<>();
    manifest.get("folders").forEach(f -> dirs.add(f.get("dir").asString()));
    assertThat(dirs).as("every folder once").hasSize(total).doesNotHaveDuplicates().containsAll(done);
    assertThat(BackupCheckpoint.read(state)).as("checkpoint removed when the set completed").isNull();
    CliResult verify = CliResult.run(env, "backup", "verify", "--deep");
    assertThat(verify.code()).as(verify.out() + verify.err()).isZero();
    assertThat(verify.out()).contains(": OK (deep check");
  }

  /** The Maildir folders of a vmail tree (directories holding a cur/). */
  static int folders(Path vmail) throws IOException {
    try (Stream<Path> s = Files.walk(vmail)) {
      return (int) s.filter(p -> p.getFileName().toString().equals("cur") && Files.isDirectory(p)).count();
    }
  }

  /** The folder directories of a set that hold a folder manifest, relative to the set. */
  static List<String> folderManifests(Path setDir) throws IOException {
    try (Stream<Path> s = Files.walk(setDir)) {
      return s.filter(p -> p.getFileName().toString().equals("manifest.json"))
          .map(p -> setDir.relativize(p.getParent()).toString().replace('\\', '/')).toList();
    }
  }
}
