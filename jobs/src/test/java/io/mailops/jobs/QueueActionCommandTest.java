package io.mailops.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import io.mailops.storage.queue.postfix.PostfixQueueFixture;
import java.io.PrintWriter;
import java.io.StringWriter;
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
 * {@code mailops queue hold|release|delete|requeue}: what reaches postsuper (a fake on PATH that
 * records its arguments and standard input and answers like postsuper 3.7), and what is printed.
 * The real postsuper against a real Postfix is QueueInteropIT's part.
 */
class QueueActionCommandTest {

  @TempDir
  Path tmp;

  Path queue;
  Path bin;
  Map<String, String> env = new HashMap<>();

  @BeforeEach
  void setUp() throws Exception {
    queue = PostfixQueueFixture.copyTo(Files.createDirectory(tmp.resolve("spool")));
    bin = Files.createDirectory(tmp.resolve("bin"));
    script("postconf", "printf '%s\\n60s\\n300s\\n60s\\n' " + queue + "\n");
    script("postsuper", "echo \"$@\" > " + tmp.resolve("args") + "\ncat > " + tmp.resolve("stdin") + "\n"
        + "while read id; do echo \"postsuper: $id: placed on hold\" >&2; done < " + tmp.resolve("stdin") + "\n"
        + "echo \"postsuper: Placed on hold: $(wc -l < " + tmp.resolve("stdin") + ") messages\" >&2\n");
    env.put("MAILOPS_HOME", tmp.resolve("home").toString());
    env.put("PATH", bin.toString());
  }

  void script(String name, String body) throws Exception {
    Path p = Files.writeString(bin.resolve(name), "#!/bin/sh\n" + body);
    p.toFile().setExecutable(true);
  }

  CliResult run(String... args) {
    List<String> all = new ArrayList<>(Arrays.asList(args));
    all.addAll(List.of("--queue-dir", queue.toString(), "--config-dir", "/etc/pf-test"));
    return CliResult.run(env, all.toArray(String[]::new));
  }

  String id(String scenario) {
    return PostfixQueueFixture.id(scenario).value();
  }

  @Test
  void holdSendsTheIdsToPostsuperOnStandardInputAndPrintsWhatItDid() throws Exception {
    CliResult r = run("queue", "hold", id("alice"), id("multi") + "*");
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(Files.readString(tmp.resolve("args"))).isEqualTo("-c /etc/pf-test -h -\n");
    assertThat(Files.readString(tmp.resolve("stdin"))).isEqualTo(id("alice") + "\n" + id("multi") + "\n");
    assertThat(r.out()).contains("hold " + id("alice") + "  (deferred, sender@mailhost.test -> alice@unreachable.example)\n")
        .contains("hold " + id("multi") + "  (deferred, sender@mailhost.test -> carol@nowhere.invalid, dave@other.invalid)\n")
        .contains("postsuper: " + id("alice") + ": placed on hold\n")
        .endsWith("Hold: 2 messages through 'postsuper -c /etc/pf-test -h -'.\n");
  }

  @Test
  void eachActionUsesItsPostsuperFlag() throws Exception {
    for (String[] a : List.of(new String[] {"release", "-H"}, new String[] {"delete", "-d"}, new String[] {"requeue", "-r"})) {
      CliResult r = run("queue", a[0], id("longhold"));
      assertThat(r.code()).as(a[0] + ": " + r.err()).isZero();
      assertThat(Files.readString(tmp.resolve("args"))).isEqualTo("-c /etc/pf-test " + a[1] + " -\n");
    }
  }

  @Test
  void dryRunOfAllMatchingNamesExactlyTheMatchingMessagesAndRunsNothing() {
    CliResult r = run("queue", "delete", "--all-matching", "--to", "@nowhere\\.invalid$", "--dry-run");
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out().lines().filter(l -> l.startsWith("would delete ")).map(l -> l.split(" ")[2]))
        .containsExactlyInAnyOrder(id("multi"), id("bounce"));
    assertThat(r.out()).contains("Dry run: 2 messages would go to 'postsuper -c /etc/pf-test -d -'; nothing was changed.");
    assertThat(tmp.resolve("args")).doesNotExist();
  }

  @Test
  void releaseAllMatchingLooksInTheHoldQueue() throws Exception {
    CliResult r = run("queue", "release", "--all-matching", "--from", ".");
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(Files.readAllLines(tmp.resolve("stdin"))).containsExactlyInAnyOrder(id("nullsender"), id("longhold"));
  }

  @Test
  void idsAndAllMatchingTogetherOrNeitherAreUsageErrors() {
    CliResult both = run("queue", "hold", id("alice"), "--all-matching");
    assertThat(both.code()).isEqualTo(2);
    assertThat(both.err()).isEqualTo("mailops: give queue IDs or --all-matching, not both\n");
    CliResult neither = run("queue", "hold");
    assertThat(neither.code()).isEqualTo(2);
    CliResult filterWithIds = run("queue", "hold", id("alice"), "--to", "x");
    assertThat(filterWithIds.err()).isEqualTo("mailops: filters (--queue, --from, --to, ...) need --all-matching\n");
  }

  @Test
  void anIdThatIsNotQueuedIsReportedAndTheOthersAreStillActedOn() throws Exception {
    CliResult r = run("queue", "hold", "ABCDEF12345", id("alice"));
    assertThat(r.code()).isEqualTo(3);
    assertThat(r.err()).contains("mailops: no message ABCDEF12345 in the Postfix queue " + queue);
    assertThat(Files.readString(tmp.resolve("stdin"))).isEqualTo(id("alice") + "\n");
    CliResult none = run("queue", "hold", "ABCDEF12345");
    assertThat(none.code()).isEqualTo(1);
  }

  @Test
  void onATerminalMoreThanOneMessageNeedsConfirmationOrYes() throws Exception {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = MailOpsCli.execute(new PrintWriter(out), new PrintWriter(err), env, true, "queue", "hold",
        id("alice"), id("multi"), "--queue-dir", queue.toString(), "--config-dir", "/etc/pf-test");
    // tests have no console to ask on: nothing may happen
    assertThat(code).isEqualTo(1);
    assertThat(err.toString()).contains("will not hold 2 messages without confirmation");
    assertThat(tmp.resolve("args")).doesNotExist();
    int yes = MailOpsCli.execute(new PrintWriter(out), new PrintWriter(err), env, true, "queue", "hold",
        id("alice"), id("multi"), "--yes", "--queue-dir", queue.toString(), "--config-dir", "/etc/pf-test");
    assertThat(yes).isZero();
    assertThat(tmp.resolve("args")).exists();
  }

  @Test
  void aConfigurationOfAnotherQueueIsRefusedBeforePostsuperRuns() throws Exception {
    script("postconf", "printf '/var/spool/other\\n60s\\n300s\\n60s\\n'\n");
    CliResult r = run("queue", "delete", id("alice"));
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err()).isEqualTo("mailops: the Postfix configuration in /etc/pf-test uses the queue /var/spool/other, not "
        + queue + "; pass --config-dir of the instance that owns " + queue + "\n");
    assertThat(tmp.resolve("args")).doesNotExist();
  }

  @Test
  void aFailingPostsuperIsAOneLineFailure() throws Exception {
    script("postsuper", "cat > /dev/null; echo 'postsuper: fatal: queue_directory: permission denied' >&2; exit 1\n");
    CliResult r = run("queue", "delete", id("alice"));
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err()).isEqualTo("mailops: postsuper -d failed: postsuper: fatal: queue_directory: permission denied; "
        + "run as root, and check --config-dir\n");
  }
}
