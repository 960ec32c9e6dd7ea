package io.mailops.snmp;

import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A read of the store that runs on an executor, at most one at a time: requests keep being
 * answered from the last values while it runs. Thread-safe.
 */
final class BackgroundRead {

  private final Executor executor;
  private final Runnable read;
  private final AtomicBoolean running = new AtomicBoolean();

  BackgroundRead(Executor executor, Runnable read) {
    this.executor = executor;
    this.read = read;
  }

  /** Starts the read unless one is running already or the executor is shutting down. */
  void start() {
    if (!running.compareAndSet(false, true)) {
      return;
    }
    try {
      executor.execute(() -> {
        try {
          read.run();
        } finally {
          running.set(false);
        }
      });
    } catch (RejectedExecutionException stopping) {
      running.set(false);
    }
  }
}
