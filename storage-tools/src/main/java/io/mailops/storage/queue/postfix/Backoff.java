package io.mailops.storage.queue.postfix;

import java.time.Duration;
import java.time.Instant;

/**
 * The queue manager's retry settings, and the retry count they imply. Postfix stores no retry
 * count. After each failed attempt at time t it sets the file's mtime to t + the message's age,
 * bounded by {@code minimal_backoff_time} and {@code maximal_backoff_time}
 * ({@code qmgr_active.c}), and a deferred queue scan every {@code queue_run_delay} picks the
 * file up after that time. {@link #estimateAttempts} replays that schedule.
 *
 * @param minimal {@code minimal_backoff_time}
 * @param maximal {@code maximal_backoff_time}
 * @param queueRunDelay {@code queue_run_delay}
 */
public record Backoff(Duration minimal, Duration maximal, Duration queueRunDelay) {

  /** Postfix's defaults ({@code mail_params.h}): 300s, 4000s, 300s. */
  public static final Backoff DEFAULTS =
      new Backoff(Duration.ofSeconds(300), Duration.ofSeconds(4000), Duration.ofSeconds(300));

  public Backoff {
    if (minimal == null || maximal == null || queueRunDelay == null || minimal.isNegative()
        || maximal.isNegative() || queueRunDelay.isNegative()) {
      throw new IllegalArgumentException("backoff times must be zero or more, got minimal_backoff_time="
          + minimal + " maximal_backoff_time=" + maximal + " queue_run_delay=" + queueRunDelay);
    }
  }

  /**
   * Estimates how many delivery attempts produced {@code nextAttempt} (a deferred file's mtime)
   * for a message that arrived at {@code arrival}: the first attempt at arrival, each later one
   * half a queue run after the previous attempt's scheduled time. Approximate by nature (a
   * {@code postqueue -f} or a restart adds attempts); 0 if {@code nextAttempt} is not after
   * {@code arrival}.
   */
  public int estimateAttempts(Instant arrival, Instant nextAttempt) {
    long a = arrival.getEpochSecond();
    long m = nextAttempt.getEpochSecond();
    if (m <= a) {
      return 0;
    }
    long min = minimal.toSeconds();
    long max = maximal.toSeconds();
    long half = queueRunDelay.toSeconds() / 2;
    long t = a;
    long previous = Long.MIN_VALUE;
    for (int n = 1; n < 1_000_000; n++) {
      long age = t - a;
      long scheduled = t + Math.max(min, Math.min(max, age));
      if (scheduled >= m) {
        return previous != Long.MIN_VALUE && m - previous < scheduled - m ? n - 1 : n;
      }
      previous = scheduled;
      t = scheduled + Math.max(1, half);
    }
    return 1_000_000;
  }
}
