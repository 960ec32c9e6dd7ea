package io.mailops.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import io.mailops.storage.queue.postfix.PostfixQueueFixture;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code mailops queue show ID}: the mqview fields of real queue files. */
class QueueShowCommandTest {

  @TempDir
  Path tmp;

  Path queue;
  Map<String, String> env = new HashMap<>();
  String now;

  @BeforeEach
  void setUp() throws Exception {
    queue = PostfixQueueFixture.copyTo(Files.createDirectory(tmp.resolve("spool")));
    // postconf of the instance that made the queue: its queue and backoff settings
    Path bin = Files.createDirectory(tmp.resolve("bin"));
    Path postconf = Files.writeString(bin.resolve("postconf"), "#!/bin/sh\nprintf '%s\\n' " + queue + " "
        + String.join(" ", PostfixQueueFixture.expected("postconf.txt")) + "\n");
    postconf.toFile().setExecutable(true);
    env.put("MAILOPS_HOME", tmp.resolve("home").toString());
    env.put("PATH", bin.toString());
    now = Long.toString(PostfixQueueFixture.firstArrival().getEpochSecond() + 30);
  }

  CliResult show(String scenario, String... more) {
    String[] args = new String[4 + more.length];
    args[0] = "queue";
    args[1] = "show";
    args[2] = scenario.startsWith("=") ? scenario.substring(1) : PostfixQueueFixture.id(scenario).value();
    args[3] = "--now=" + now;
    System.arraycopy(more, 0, args, 4, more.length);
    return CliResult.run(env, args);
  }

  @Test
  void showHasTheMqviewFieldsAndTheHeaders() {
    CliResult r = show("alice");
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).containsPattern("(?m)^ID:\\s+" + PostfixQueueFixture.id("alice") + "$")
        .containsPattern("(?m)^State:\\s+deferred$")
        .containsPattern("(?m)^Flags:\\s+-$")
        .containsPattern("(?m)^Number of RCPTs:\\s+1 \\(1 to deliver, 0 done\\)$")
        .containsPattern("(?m)^Next Send Schedule:\\s+\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d [+-]\\d{4} \\(in \\d+ s\\)$")
        .containsPattern("(?m)^Retry Count \\(approx\\.\\):\\s+1 \\(Postfix keeps no count; estimated from arrival, next attempt "
            + "and backoff 60s-300s, queue_run_delay 60s from postconf\\)$")
        .containsPattern("(?m)^Reverse Path:\\s+<sender@mailhost\\.test>$")
        .containsPattern("(?m)^  From:\\s+Alice Sender <sender@mailhost\\.test>$")
        .containsPattern("(?m)^  To:\\s+Alice <alice@unreachable\\.example>$")
        .containsPattern("(?m)^  Subject:\\s+Quarterly report$")
        .containsPattern("(?m)^  Message-ID:\\s+<alice-1@mailhost\\.test>$")
        .containsPattern("(?m)^  Date:\\s+Sun, 22 Nov 2026 02:49:00 \\+0000$")
        .containsPattern("(?m)^Recipient 1: alice@unreachable\\.example$")
        .containsPattern("(?m)^  State:\\s+deferred$")
        .containsPattern("(?m)^  Filter Info:\\s+-$")
        .containsPattern("(?m)^  Destination:\\s+unreachable\\.example \\(last tried 127\\.0\\.0\\.1\\)$")
        .containsPattern("(?m)^  Failure Info:\\s+4\\.2\\.0 host 127\\.0\\.0\\.1\\[127\\.0\\.0\\.1\\] said: 450 4\\.2\\.0 mailbox busy");
    assertThat(r.out()).doesNotContain("Content:");
  }

  @Test
  void partialDeliveryShowsDoneAndDeferredRecipients() {
    CliResult r = show("multi");
    assertThat(r.out()).containsPattern("(?m)^Number of RCPTs:\\s+3 \\(2 to deliver, 1 done\\)$")
        .containsPattern("(?m)^Recipient 1: bob@nowhere\\.invalid\\n  State:\\s+done$")
        .containsPattern("(?m)^Recipient 2: carol@nowhere\\.invalid\\n  State:\\s+deferred$");
  }

  @Test
  void bouncedRecipientShowsItsPermanentFailure() {
    CliResult r = show("bounce");
    assertThat(r.out()).containsPattern("(?m)^Recipient 1: reject@nowhere\\.invalid\\n  State:\\s+bounced, notice pending$")
        .contains("5.1.1 host 127.0.0.1[127.0.0.1] said: 550 5.1.1 no such user here");
  }

  @Test
  void heldForceExpiredMessageShowsItsFlagsAndNoSchedule() {
    CliResult r = show("nullsender");
    assertThat(r.out()).containsPattern("(?m)^State:\\s+hold$")
        .containsPattern("(?m)^Flags:\\s+on hold, forced expire \\(returned to the sender on the next attempt\\)$")
        .containsPattern("(?m)^Next Send Schedule:\\s+none while on hold \\('mailops queue release "
            + PostfixQueueFixture.id("nullsender") + "'\\)$")
        .containsPattern("(?m)^Reverse Path:\\s+<>$");
  }

  @Test
  void bodyPrintsTheContentFollowingPointerRecords() {
    CliResult r = show("milter", "--body");
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).contains("\nContent:\nReceived: by mailhost.test (Postfix, from userid 0)\n")
        .endsWith("From: root <sender@mailhost.test>\nX-Milter: added by the test milter\n\nmilter\n");
  }

  @Test
  void longQueueIdsAndMailqMarkersAreAccepted() {
    CliResult r = show("=" + PostfixQueueFixture.id("longhold") + "!");
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).containsPattern("(?m)^ID:\\s+" + PostfixQueueFixture.id("longhold") + " \\(long queue ID\\)$");
  }

  @Test
  void aMessageThatIsNotQueuedFailsWithOneLine() {
    CliResult r = show("=ABCDEF12345");
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err()).isEqualTo("mailops: no message ABCDEF12345 in the Postfix queue " + queue
        + " (delivered, deleted, or another instance); see 'mailops queue list'\n");
  }

  @Test
  void somethingThatIsNotAQueueIdIsAUsageError() {
    CliResult r = show("=../../etc/passwd");
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).startsWith("mailops: not a Postfix queue ID: '../../etc/passwd'");
  }
}
