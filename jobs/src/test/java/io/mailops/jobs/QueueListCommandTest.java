package io.mailops.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import io.mailops.storage.queue.postfix.PostfixQueueFixture;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code mailops queue list} on the real queue files of a Postfix 3.7 (storage-tools test
 * resources, made by scripts/testdata/make-postfix-queue.sh), against what Postfix's own
 * {@code postqueue -j} printed for the same files.
 */
class QueueListCommandTest {

  @TempDir
  Path tmp;

  Path queue;
  Map<String, String> env = new HashMap<>();

  @BeforeEach
  void setUp() throws Exception {
    queue = PostfixQueueFixture.copyTo(Files.createDirectory(tmp.resolve("spool")));
    env.put("MAILOPS_HOME", tmp.resolve("home").toString());
    env.put("PATH", "/nonexistent");
  }

  CliResult run(String... args) {
    List<String> all = new ArrayList<>(Arrays.asList(args));
    all.addAll(List.of("--queue-dir", queue.toString()));
    return CliResult.run(env, all.toArray(String[]::new));
  }

  @Test
  void jsonLinesAreTheLinesPostqueueJsonPrintedForTheSameFiles() {
    CliResult r = run("queue", "list", "--json");
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.err()).isEmpty();
    assertThat(r.out().split("\n")).containsExactlyInAnyOrderElementsOf(PostfixQueueFixture.expected("postqueue-j.jsonl"));
  }

  @Test
  void jsonOfOneQueueIsThatQueuesPartOfPostqueueJson() {
    CliResult r = run("queue", "list", "--json", "--queue", "hold");
    List<String> hold = PostfixQueueFixture.expected("postqueue-j.jsonl").stream()
        .filter(l -> l.startsWith("{\"queue_name\": \"hold\"")).toList();
    assertThat(hold).hasSize(2);
    assertThat(r.out().split("\n")).containsExactlyInAnyOrderElementsOf(hold);
  }

  @Test
  void tableShowsIdQueueFlagsSizeSenderRecipientsAndTheFirstReason() {
    CliResult r = run("queue", "list");
    assertThat(r.code()).as(r.err()).isZero();
    String hold = PostfixQueueFixture.id("nullsender").value();
    assertThat(r.out()).containsPattern("(?m)^ID\\s+QUEUE\\s+FLAGS\\s+SIZE\\s+ARRIVED\\s+SENDER\\s+RCPTS\\s+REASON$")
        .containsPattern("(?m)^" + hold + "\\s+hold\\s+hold,expire\\s+260\\s+\\S+ \\S+\\s+<>\\s+1\\s+host 127\\.0\\.0\\.1")
        .containsPattern("(?m)^" + PostfixQueueFixture.id("multi") + "\\s+deferred\\s+-\\s+269\\s+.*sender@mailhost\\.test\\s+2\\s+host")
        .contains("11 messages, 5.9 KiB in " + queue + " (maildrop, incoming, active, deferred, hold)");
  }

  @Test
  void csvHasOneRowPerRecipientStillToDeliver() {
    CliResult r = run("queue", "list", "--csv", "--queue", "deferred");
    List<String> lines = r.out().lines().toList();
    assertThat(lines.get(0)).isEqualTo("queue_name,queue_id,arrival_time,message_size,forced_expire,sender,address,delay_reason");
    String multi = PostfixQueueFixture.id("multi").value();
    assertThat(lines).filteredOn(l -> l.contains(multi)).hasSize(2)
        .allMatch(l -> l.startsWith("deferred," + multi + ",") && l.contains(",269,false,sender@mailhost.test,"));
    assertThat(r.out()).contains("\"\"\"john doe\"\"@quoted.invalid\"");   // CSV doubles the quotes
  }

  @Test
  void filtersSelectByRecipientReasonSenderSizeAndAge() {
    String first = Long.toString(PostfixQueueFixture.firstArrival().getEpochSecond());
    assertThat(ids(run("queue", "list", "--json", "--to", "@NOWHERE\\.invalid$"))).containsExactlyInAnyOrder(
        PostfixQueueFixture.id("multi").value(), PostfixQueueFixture.id("bounce").value());
    assertThat(ids(run("queue", "list", "--json", "--from", "^MAILER-DAEMON$")))
        .containsExactly(PostfixQueueFixture.id("nullsender").value());
    assertThat(ids(run("queue", "list", "--json", "--min-size", "3k")))
        .containsExactly(PostfixQueueFixture.id("long").value());
    assertThat(ids(run("queue", "list", "--json", "--reason", "said: 450", "--queue", "hold"))).hasSize(2);
    assertThat(ids(run("queue", "list", "--json", "--older-than", "1h", "--now", first))).isEmpty();
    assertThat(ids(run("queue", "list", "--json", "--younger-than", "1h", "--now", first))).hasSize(11);
  }

  private static List<String> ids(CliResult r) {
    assertThat(r.code()).as(r.err()).isZero();
    return r.out().lines().map(l -> l.replaceAll(".*\"queue_id\": \"([^\"]+)\".*", "$1")).toList();
  }

  @Test
  void damagedFilesAreReportedWithIdPathAndOffsetTheRestIsListedAndTheExitCodeIs3() throws Exception {
    queue = PostfixQueueFixture.copyWithBrokenFilesTo(Files.createDirectory(tmp.resolve("broken")));
    CliResult table = run("queue", "list");
    assertThat(table.code()).isEqualTo(3);
    assertThat(table.out()).contains("11 messages")
        .contains("Skipped 2 damaged queue files (inspect with postcat -o, remove with postsuper -d):")
        .contains("  " + queue.resolve("deferred/B/B0BAD000001") + " (queue ID B0BAD000001) at offset 272: "
            + "pointer to offset 618 beyond the end of the file (300 bytes)")
        .contains("(queue ID B0BAD000002) at offset 0: not a Postfix queue file");
    CliResult json = run("queue", "list", "--json");
    assertThat(json.code()).isEqualTo(3);
    assertThat(json.out().lines()).hasSize(11);
    assertThat(json.err().lines()).hasSize(2).allMatch(l -> l.startsWith("mailops: skipped damaged queue file "));
  }

  @Test
  void anUnknownQueueNameIsAUsageErrorThatListsTheValidOnes() {
    CliResult r = run("queue", "list", "--queue", "deferred,held");
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("unknown Postfix queue 'held'; use one of maildrop, incoming, active, deferred, hold, corrupt");
  }

  @Test
  void aBadRegularExpressionIsAOneLineUsageError() {
    CliResult r = run("queue", "list", "--to", "(ab");
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).isEqualTo("mailops: --to '(ab' is not a regular expression (Unclosed group near index 3); "
        + "quote it for the shell and escape . and +\n");
  }

  @Test
  void aMissingQueueDirectoryFailsWithOneLineThatSaysWhatToPass() {
    queue = tmp.resolve("nope");
    CliResult r = run("queue", "list");
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err()).isEqualTo("mailops: no Postfix queue directory at " + queue
        + "; pass --queue-dir, or --config-dir of the instance (postconf -h queue_directory)\n");
  }

  @Test
  void queueDirectoryComesFromPostconfOfTheConfigDirectoryWhenNotGiven() throws Exception {
    Path bin = Files.createDirectory(tmp.resolve("bin"));
    Path postconf = Files.writeString(bin.resolve("postconf"), "#!/bin/sh\n[ \"$2\" = /etc/pf-test ] || exit 1\n"
        + "printf '%s\\n60s\\n300s\\n60s\\n' " + queue + "\n");
    postconf.toFile().setExecutable(true);
    env.put("PATH", bin.toString());
    CliResult r = CliResult.run(env, "queue", "list", "--json", "--queue", "hold", "--config-dir", "/etc/pf-test");
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out().lines()).hasSize(2);
  }
}
