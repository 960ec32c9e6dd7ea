package io.mailops.storage.queue.postfix;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The same numbers as qshape: each case of expected/qshape-cases.txt is qshape's own output on
 * the test queue, with its clock pinned (see make-postfix-queue.sh).
 */
class PostfixQueueShapeTest {

  @TempDir
  Path dir;

  @Test
  void everyQshapeCaseHasTheSameHeadingsAndCountsPerDomain() throws Exception {
    PostfixQueue queue = PostfixQueue.at(PostfixQueueFixture.copyTo(dir), Clock.systemUTC(), 1);
    List<String[]> cases = PostfixQueueFixture.qshapeCases();
    assertThat(cases).hasSizeGreaterThanOrEqualTo(5);
    for (String[] c : cases) {
      int tick = 5;
      int buckets = 10;
      boolean linear = false;
      QueueShape.By by = QueueShape.By.RECIPIENT;
      Set<QueueName> queues = EnumSet.noneOf(QueueName.class);
      for (int i = 2; i < c.length; i++) {
        switch (c[i]) {
          case "-t" -> tick = Integer.parseInt(c[++i]);
          case "-b" -> buckets = Integer.parseInt(c[++i]);
          case "-l" -> linear = true;
          case "-s" -> by = QueueShape.By.SENDER;
          default -> queues.add(QueueName.of(c[i]));
        }
      }
      if (queues.isEmpty()) {
        queues = QueueName.QSHAPE_DEFAULT;
      }
      QueueShape shape = QueueShape.of(queue.list(queues).messages(), by, tick, buckets, linear,
          Instant.ofEpochSecond(Long.parseLong(c[1])));
      List<String> expected = PostfixQueueFixture.expected("qshape-" + c[0] + ".txt");
      assertThat(shape.headings()).as(c[0]).containsExactly(expected.get(0).trim().split("\\s+"));
      Map<String, List<Integer>> want = new LinkedHashMap<>();
      for (String line : expected.subList(1, expected.size())) {
        String[] f = line.trim().split("\\s+");
        List<Integer> n = new ArrayList<>();
        for (int i = 1; i < f.length; i++) {
          n.add(Integer.parseInt(f[i]));
        }
        want.put(f[0], n);
      }
      Map<String, List<Integer>> got = new LinkedHashMap<>();
      shape.rows().forEach(r -> got.put(r.domain(), r.counts()));
      assertThat(got).as(c[0]).isEqualTo(want);
      assertThat(shape.rows().get(0).domain()).isEqualTo("TOTAL");
    }
  }

  @Test
  void forceExpiredFilesAreLeftOutAsQshapeLeavesThemOut() throws Exception {
    PostfixQueue queue = PostfixQueue.at(PostfixQueueFixture.copyTo(dir), Clock.systemUTC(), 1);
    QueueShape s = QueueShape.of(queue.list(EnumSet.of(QueueName.HOLD)).messages(), QueueShape.By.RECIPIENT,
        5, 10, false, Instant.now());
    assertThat(s.counted()).isEqualTo(1);
    assertThat(s.leftOut()).isEqualTo(1);   // the held null-sender message has mode 0710
  }

  @Test
  void bucketsDoubleFromTheFirstLimitAndTheLastIsOpen() {
    assertThat(QueueShape.bucket(0, 5, 10, false)).isEqualTo(1);
    assertThat(QueueShape.bucket(299, 5, 10, false)).isEqualTo(1);
    assertThat(QueueShape.bucket(300, 5, 10, false)).isEqualTo(2);
    assertThat(QueueShape.bucket(599, 5, 10, false)).isEqualTo(2);
    assertThat(QueueShape.bucket(600, 5, 10, false)).isEqualTo(3);
    assertThat(QueueShape.bucket(1200, 5, 10, false)).isEqualTo(4);
    assertThat(QueueShape.bucket(10_000_000, 5, 10, false)).isEqualTo(10);
    assertThat(QueueShape.bucket(-60, 5, 10, false)).isEqualTo(1);
    assertThat(QueueShape.bucket(600, 5, 10, true)).isEqualTo(3);
    assertThat(QueueShape.bucket(899, 5, 10, true)).isEqualTo(3);
  }

  @Test
  void headingsFollowQshape() {
    assertThat(QueueShape.headings(5, 10, false))
        .containsExactly("T", "5", "10", "20", "40", "80", "160", "320", "640", "1280", "1280+");
    assertThat(QueueShape.headings(1, 4, true)).containsExactly("T", "1", "2", "3", "3+");
    assertThat(QueueShape.headings(5, 1, false)).containsExactly("T", "0+");
  }

  @Test
  void domainsAreNormalisedAsQshapeDoes() {
    assertThat(QueueShape.domain("Bob@Example.COM")).isEqualTo("example.com");
    assertThat(QueueShape.domain("")).isEqualTo("MAILER-DAEMON");
    assertThat(QueueShape.domain("root")).isEqualTo("root");
    assertThat(QueueShape.domain("a@b@.x..y.")).isEqualTo("x.y");
    assertThat(QueueShape.domain("\"john doe\"@Quoted.Invalid")).isEqualTo("quoted.invalid");
    assertThat(QueueShape.domain("u@.")).isEqualTo(".");
  }
}
