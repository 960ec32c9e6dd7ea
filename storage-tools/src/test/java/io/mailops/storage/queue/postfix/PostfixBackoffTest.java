package io.mailops.storage.queue.postfix;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class PostfixBackoffTest {

  static final Instant ARRIVAL = Instant.ofEpochSecond(1_795_000_000L);

  /** Replays qmgr exactly: attempt, next = t + clamp(age), picked up {@code lag} s later. */
  static Instant mtimeAfter(int attempts, Backoff b, long lag) {
    long t = ARRIVAL.getEpochSecond();
    long next = t;
    for (int i = 0; i < attempts; i++) {
      long age = t - ARRIVAL.getEpochSecond();
      next = t + Math.max(b.minimal().toSeconds(), Math.min(b.maximal().toSeconds(), age));
      t = next + lag;
    }
    return Instant.ofEpochSecond(next);
  }

  @Test
  void attemptsAreRecoveredFromTheMtimeWithPostfixDefaults() {
    Backoff b = Backoff.DEFAULTS;
    for (int n = 1; n <= 40; n++) {
      assertThat(b.estimateAttempts(ARRIVAL, mtimeAfter(n, b, 150))).as("attempt %d", n).isEqualTo(n);
    }
  }

  @Test
  void estimateStaysCloseWhenQueueScansComeEarlyOrLate() {
    Backoff b = Backoff.DEFAULTS;
    for (long lag : new long[] {0, 299}) {
      for (int n = 1; n <= 40; n++) {
        assertThat(b.estimateAttempts(ARRIVAL, mtimeAfter(n, b, lag))).as("lag %d attempt %d", lag, n)
            .isBetween(n - 2, n + 2);
      }
    }
  }

  @Test
  void theTestInstancesBackoffGivesOneAttemptForAMessageDeferredOnce() {
    Backoff b = PostfixQueueFixture.backoff();
    assertThat(b).isEqualTo(new Backoff(Duration.ofSeconds(60), Duration.ofSeconds(300), Duration.ofSeconds(60)));
    assertThat(b.estimateAttempts(ARRIVAL, ARRIVAL.plusSeconds(60))).isEqualTo(1);
    assertThat(b.estimateAttempts(ARRIVAL, ARRIVAL)).isZero();
  }

  @Test
  void negativeTimesAreRejectedWithTheParameterNames() {
    assertThatThrownBy(() -> new Backoff(Duration.ofSeconds(-1), Duration.ZERO, Duration.ZERO))
        .hasMessageStartingWith("backoff times must be zero or more, got minimal_backoff_time=PT-1S");
  }
}
