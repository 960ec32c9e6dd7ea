package io.mailops.migrator.wire;

import io.mailops.storage.MailStoreException;
import java.io.Closeable;
import java.io.InterruptedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;

/**
 * At most {@code max} IMAP connections to one host at once, over all accounts of a run
 * ({@code --max-connections-per-host}). An account takes the permits for all its connections in
 * one go, hosts in name order, so two accounts never wait for each other's second host. Safe
 * for use by several threads; one instance per run.
 */
public final class HostLimits {

  /** No limit. */
  public static final HostLimits NONE = new HostLimits(0);

  private final int max;
  private final Map<String, Semaphore> hosts = new ConcurrentHashMap<>();

  /** A limit of {@code max} connections per host; 0 for none. */
  public HostLimits(int max) {
    if (max < 0) {
      throw new IllegalArgumentException("connections per host must be >= 0, got " + max);
    }
    this.max = max;
  }

  /** The limit, 0 for none. */
  public int max() {
    return max;
  }

  /** Permits taken; {@link #close} gives them back. */
  public interface Permit extends Closeable {
    @Override
    void close();
  }

  /**
   * Waits until one connection to each of {@code hosts} (a host named twice counts twice) may be
   * opened, and takes the permits; {@code what} names the account in messages.
   *
   * @throws MailStoreException if one account alone needs more connections to a host than allowed
   */
  public Permit acquire(List<String> hostNames, String what) throws MailStoreException,
      InterruptedIOException {
    if (max == 0 || hostNames.isEmpty()) {
      return () -> {};
    }
    TreeMap<String, Integer> need = new TreeMap<>();
    for (String h : hostNames) {
      need.merge(h.toLowerCase(Locale.ROOT), 1, Integer::sum);
    }
    for (Map.Entry<String, Integer> e : need.entrySet()) {
      if (e.getValue() > max) {
        throw new MailStoreException(what + " needs " + e.getValue() + " connections to "
            + e.getKey() + " at once (source and target) but --max-connections-per-host is "
            + max + "; use " + e.getValue() + " or more");
      }
    }
    List<Map.Entry<Semaphore, Integer>> taken = new ArrayList<>();
    try {
      for (Map.Entry<String, Integer> e : need.entrySet()) {
        Semaphore s = hosts.computeIfAbsent(e.getKey(), k -> new Semaphore(max, true));
        s.acquire(e.getValue());
        taken.add(Map.entry(s, e.getValue()));
      }
    } catch (InterruptedException e) {
      taken.forEach(t -> t.getKey().release(t.getValue()));
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while waiting for a connection to "
          + need.keySet());
    }
    return new Permit() {
      private boolean closed;

      @Override
      public synchronized void close() {
        if (!closed) {
          closed = true;
          taken.forEach(t -> t.getKey().release(t.getValue()));
        }
      }
    };
  }
}
