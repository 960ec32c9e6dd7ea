package io.mailops.storage.queue.postfix;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** postconf and postsuper as external programs: fakes that record what they were given. */
class PostfixCommandsTest {

  @TempDir
  Path dir;

  Path script(String name, String body) throws Exception {
    Path p = dir.resolve(name);
    Files.writeString(p, "#!/bin/sh\n" + body);
    Files.setPosixFilePermissions(p, PostfixQueueFixture.permissions(0755));
    return p;
  }

  @Test
  void postsuperGetsTheConfigDirectoryTheFlagAndTheIdsOnStandardInput() throws Exception {
    Path fake = script("postsuper", "echo \"$@\" > " + dir.resolve("args") + "\ncat > " + dir.resolve("stdin")
        + "\necho 'postsuper: C2F7D410866: placed on hold' >&2\necho 'postsuper: Placed on hold: 1 message' >&2\n");
    PostSuper.Outcome o = new PostSuper(fake, Path.of("/etc/pf2")).run(PostSuper.Action.HOLD,
        List.of(QueueId.of("C2F7D410866"), QueueId.of("4jXBJ06SKnzc6NS")));
    assertThat(Files.readString(dir.resolve("args"))).isEqualTo("-c /etc/pf2 -h -\n");
    assertThat(Files.readString(dir.resolve("stdin"))).isEqualTo("C2F7D410866\n4jXBJ06SKnzc6NS\n");
    assertThat(o.messages()).containsExactly("postsuper: C2F7D410866: placed on hold",
        "postsuper: Placed on hold: 1 message");
    assertThat(o.command()).containsExactly(fake.toString(), "-c", "/etc/pf2", "-h", "-");
  }

  @Test
  void aFailingPostsuperGivesItsLastErrorLineAndAdvice() throws Exception {
    Path fake = script("postsuper", "cat >/dev/null; echo 'postsuper: fatal: use of this command is reserved for the superuser' >&2; exit 1\n");
    assertThatThrownBy(() -> new PostSuper(fake, Path.of("/etc/postfix")).run(PostSuper.Action.DELETE, List.of()))
        .isInstanceOf(QueueException.class)
        .hasMessage("postsuper -d failed: postsuper: fatal: use of this command is reserved for the superuser; "
            + "run as root, and check --config-dir");
  }

  @Test
  void postconfValuesAreReadWithTheirTimeUnits() throws Exception {
    Path fake = script("postconf", "printf '/var/spool/pf2\\n5m\\n1h\\n300\\n'\n");
    PostfixConfig c = PostfixConfig.read(fake, Path.of("/etc/pf2"));
    assertThat(c.queueDirectory()).isEqualTo(Path.of("/var/spool/pf2"));
    assertThat(c.backoff()).isEqualTo(new Backoff(Duration.ofMinutes(5), Duration.ofHours(1), Duration.ofSeconds(300)));
  }

  @Test
  void aBadTimeValueNamesTheParameter() {
    assertThatThrownBy(() -> PostfixConfig.time("5x", "queue_run_delay"))
        .hasMessage("postconf: queue_run_delay = '5x' is not a Postfix time value (number with s, m, h, d or w); fix it in main.cf");
  }

  @Test
  void theRealPostconfReadsAnInstanceConfiguration() throws Exception {
    Path postconf = Path.of("/usr/sbin/postconf");
    assumeTrue(Files.isExecutable(postconf), "Postfix is not installed");
    Files.writeString(dir.resolve("main.cf"), "queue_directory = /srv/pfq\nminimal_backoff_time = 2m\n");
    PostfixConfig c = PostfixConfig.read(postconf, dir);
    assertThat(c.queueDirectory()).isEqualTo(Path.of("/srv/pfq"));
    assertThat(c.backoff().minimal()).isEqualTo(Duration.ofMinutes(2));
    assertThatThrownBy(() -> PostfixConfig.read(postconf, dir.resolve("missing")))
        .isInstanceOf(QueueException.class).hasMessageStartingWith("postconf -c " + dir.resolve("missing") + " failed: ")
        .hasMessageEndingWith("; check --config-dir (the directory with main.cf)");
  }
}
