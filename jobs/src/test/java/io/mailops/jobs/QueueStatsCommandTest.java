package io.mailops.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import io.mailops.jobs.cli.QueueStatsCommand;
import io.mailops.storage.queue.postfix.PostfixQueueFixture;
import io.mailops.storage.queue.postfix.QueueShape;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code mailops queue stats} prints what qshape printed on the same queue files, with qshape's
 * clock pinned to the same second (expected/qshape-*.txt). Rows with equal counts and name
 * lengths come in Perl hash order in qshape, so the lines are compared as a multiset after the
 * heading and TOTAL lines.
 */
class QueueStatsCommandTest {

  @TempDir
  Path tmp;

  @Test
  void everyQshapeCaseIsReproducedCharacterForCharacter() throws Exception {
    Path queue = PostfixQueueFixture.copyTo(Files.createDirectory(tmp.resolve("spool")));
    Map<String, String> env = new HashMap<>(Map.of("MAILOPS_HOME", tmp.toString(), "PATH", "/nonexistent"));
    for (String[] c : PostfixQueueFixture.qshapeCases()) {
      List<String> args = new ArrayList<>(List.of("queue", "stats", "--queue-dir", queue.toString(), "--now", c[1]));
      for (int i = 2; i < c.length; i++) {
        args.add(switch (c[i]) {
          case "-s" -> "--by=sender";
          case "-l" -> "--linear";
          default -> c[i];
        });
      }
      CliResult r = CliResult.run(env, args.toArray(String[]::new));
      assertThat(r.code()).as(c[0] + ": " + r.err()).isZero();
      List<String> expected = PostfixQueueFixture.expected("qshape-" + c[0] + ".txt");
      List<String> ours = r.out().lines().toList();
      assertThat(ours.subList(0, 2)).as(c[0]).isEqualTo(expected.subList(0, 2));
      assertThat(ours).as(c[0]).containsExactlyInAnyOrderElementsOf(expected);
    }
  }

  @Test
  void forceExpiredMessagesAreNotCountedAndStderrSaysSo() throws Exception {
    Path queue = PostfixQueueFixture.copyTo(Files.createDirectory(tmp.resolve("spool")));
    CliResult r = CliResult.run(Map.of("MAILOPS_HOME", tmp.toString(), "PATH", "/nonexistent"),
        "queue", "stats", "--queue-dir", queue.toString(), "--queue", "hold");
    assertThat(r.out().lines().toList().get(1)).matches("\\s+TOTAL\\s+1\\s+.*");
    assertThat(r.err()).isEqualTo("mailops: 1 message not counted, as qshape does not count them "
        + "(forced expire, or no recipient left)\n");
  }

  @Test
  void longDomainsAreCutToTheirEndAfterAPlusAsQshapeCutsThem() {
    String domain = "d".repeat(70) + ".example";
    QueueShape shape = new QueueShape(List.of("T", "5", "10", "10+"), List.of(
        new QueueShape.Row("TOTAL", List.of(1, 1, 0, 0)), new QueueShape.Row(domain, List.of(1, 1, 0, 0)),
        new QueueShape.Row("." + domain, List.of(1, 1, 0, 0))), 1, 0);
    List<String> lines = QueueStatsCommand.format(shape, 80);
    // columns: 3 + 3 + 3 + 4 = 13, so the domain column is 67 wide
    assertThat(lines.get(0)).isEqualTo(" ".repeat(67) + "  T  5 10 10+");
    assertThat(lines.get(1)).isEqualTo(" ".repeat(62) + "TOTAL  1  1  0   0");
    assertThat(lines.get(2)).isEqualTo("+" + domain.substring(domain.length() - 66) + "  1  1  0   0");
    assertThat(lines.get(3)).isEqualTo(".+" + domain.substring(domain.length() - 65) + "  1  1  0   0");
  }

  @Test
  void badOptionsAreUsageErrors() throws Exception {
    Path queue = PostfixQueueFixture.copyTo(Files.createDirectory(tmp.resolve("spool")));
    for (String[] bad : List.of(new String[] {"--by", "domain"}, new String[] {"-t", "0"}, new String[] {"--queue", "x"})) {
      List<String> args = new ArrayList<>(List.of("queue", "stats", "--queue-dir", queue.toString()));
      args.addAll(Arrays.asList(bad));
      assertThat(CliResult.run(Map.of("MAILOPS_HOME", tmp.toString()), args.toArray(String[]::new)).code())
          .as(String.join(" ", bad)).isEqualTo(2);
    }
  }
}
