package io.mailops.storage.queue.postfix;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PostfixQueueFilterTest {

  @TempDir
  Path dir;

  List<QueuedMessage> all;
  Instant now;

  @BeforeEach
  void setUp() throws Exception {
    all = PostfixQueue.at(PostfixQueueFixture.copyTo(dir), Clock.systemUTC(), 1).list(QueueName.SHOWQ).messages();
    now = PostfixQueueFixture.firstArrival().plusSeconds(3600);
  }

  List<String> ids(QueueFilter f) {
    return all.stream().filter(m -> f.test(m, now)).map(m -> m.id().value()).toList();
  }

  @Test
  void toAndReasonMustMatchTheSameOpenRecipient() {
    QueueFilter f = new QueueFilter(null, Pattern.compile("@nowhere\\.invalid$"), Pattern.compile("450"),
        -1, -1, null, null);
    assertThat(ids(f)).containsExactlyInAnyOrder(PostfixQueueFixture.id("multi").value(),
        PostfixQueueFixture.id("bounce").value());
    QueueFilter delivered = new QueueFilter(null, Pattern.compile("^bob@"), null, -1, -1, null, null);
    assertThat(ids(delivered)).isEmpty();   // bob is done
  }

  @Test
  void theNullSenderMatchesAsMailerDaemon() {
    QueueFilter f = new QueueFilter(Pattern.compile("^MAILER-DAEMON$"), null, null, -1, -1, null, null);
    assertThat(ids(f)).containsExactly(PostfixQueueFixture.id("nullsender").value());
  }

  @Test
  void sizeAndAgeBoundsAreInclusiveBelowAndExclusiveForYoungerThan() {
    assertThat(ids(new QueueFilter(null, null, null, 3000, -1, null, null)))
        .containsExactly(PostfixQueueFixture.id("long").value());
    assertThat(ids(new QueueFilter(null, null, null, -1, -1, Duration.ofHours(2), null))).isEmpty();
    assertThat(ids(new QueueFilter(null, null, null, -1, -1, null, Duration.ofHours(2)))).hasSize(all.size());
    assertThat(QueueFilter.ALL.matchesEverything()).isTrue();
  }

  @Test
  void impossibleSizeRangeIsRejected() {
    assertThatThrownBy(() -> new QueueFilter(null, null, null, 10, 5, null, null))
        .hasMessage("--min-size 10 is larger than --max-size 5; no message can match");
  }
}
