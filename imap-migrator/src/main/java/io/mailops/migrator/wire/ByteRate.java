package io.mailops.migrator.wire;

import java.io.InterruptedIOException;
import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * A token bucket of {@code bytesPerSecond} with a burst of one second's worth
 * ({@code --bytes-per-second}): {@link #take} returns at once while tokens are left and
 * otherwise sleeps until the bytes are paid for. Used on the source connection's reads, so the
 * fetch stream stays at the rate on average. Not thread-safe (one connection).
 */
public final class ByteRate {

  /** Sleeps the given nanoseconds. */
  interface Sleeper {
    void sleep(long nanos) throws InterruptedException;
  }

  private final long rate;
  private final LongSupplier nanoTime;
  private final Sleeper sleeper;
  private double tokens;
  private long last;

  /** {@code bytesPerSecond} (> 0) on the system's monotonic clock. */
  public ByteRate(long bytesPerSecond) {
    this(bytesPerSecond, System::nanoTime, nanos -> Thread.sleep(nanos / 1_000_000,
        (int) (nanos % 1_000_000)));
  }

  ByteRate(long bytesPerSecond, LongSupplier nanoTime, Sleeper sleeper) {
    if (bytesPerSecond <= 0) {
      throw new IllegalArgumentException("bytes per second must be > 0, got " + bytesPerSecond);
    }
    this.rate = bytesPerSecond;
    this.nanoTime = Objects.requireNonNull(nanoTime, "nanoTime");
    this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
    this.last = nanoTime.getAsLong();
    this.tokens = bytesPerSecond;
  }

  /** Pays for {@code bytes} just read, sleeping while the bucket is in debt. */
  public void take(long bytes) throws InterruptedIOException {
    long now = nanoTime.getAsLong();
    tokens = Math.min(rate, tokens + (now - last) * (double) rate / 1e9);
    last = now;
    tokens -= bytes;
    if (tokens < 0) {
      long nanos = (long) (-tokens * 1e9 / rate);
      try {
        sleeper.sleep(nanos);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new InterruptedIOException("interrupted while throttled to " + rate + " bytes/s");
      }
      long after = nanoTime.getAsLong();
      tokens = Math.min(rate, tokens + (after - last) * (double) rate / 1e9);
      last = after;
    }
  }
}
