package io.mailops.migrator.wire;

import java.io.Closeable;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * Two logins at once: an account's source and target connections are independent, and each
 * login costs two or three round trips (connect, greeting, authentication), ~70 ms at 20 ms RTT.
 */
public final class Logins {

  private Logins() {}

  /** Opens something that has to be closed (or gives null: nothing to open). */
  @FunctionalInterface
  public interface Opener<T extends Closeable> {
    T open() throws IOException;
  }

  /** Both opened (each may be null), in the order given. */
  public record Pair<A extends Closeable, B extends Closeable>(A first, B second) {}

  /**
   * Opens {@code second} on a thread of its own while this thread opens {@code first}. If either
   * fails, the other is closed and the failure thrown: that of {@code first} when both failed,
   * as one after the other would have reported.
   */
  public static <A extends Closeable, B extends Closeable> Pair<A, B> open(Opener<A> first,
      Opener<B> second) throws IOException {
    CompletableFuture<B> b = new CompletableFuture<>();
    Thread t = new Thread(() -> {
      try {
        b.complete(second.open());
      } catch (Throwable e) {
        b.completeExceptionally(e);
      }
    }, "login");
    t.setDaemon(true);
    t.start();
    A a;
    try {
      a = first.open();
    } catch (IOException | RuntimeException | Error e) {
      b.thenAccept(Logins::closeQuietly);
      throw e;
    }
    try {
      return new Pair<>(a, b.get());
    } catch (ExecutionException e) {
      closeQuietly(a);
      Throwable cause = e.getCause();
      if (cause instanceof IOException io) {
        throw io;
      }
      if (cause instanceof RuntimeException re) {
        throw re;
      }
      if (cause instanceof Error err) {
        throw err;
      }
      throw new IOException(cause);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      closeQuietly(a);
      b.thenAccept(Logins::closeQuietly);
      throw new InterruptedIOException("interrupted while logging in");
    }
  }

  private static void closeQuietly(Closeable c) {
    if (c != null) {
      try {
        c.close();
      } catch (IOException ignored) {
        // the failure being thrown is the one to report
      }
    }
  }
}
