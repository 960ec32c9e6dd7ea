package io.mailops.migrator.wire;

import java.util.ArrayDeque;
import java.util.function.Consumer;

/**
 * Arrays of {@link #CHUNK} bytes for the message literals of one thread, used again once a
 * message is done with (ADR 0045). A fresh array per message made the JVM touch new memory at
 * the pace of the copy (every page of a 600 MiB young generation, then of the survivors and the
 * old generation), which on a virtual machine costs as much CPU as a good share of the copy's own
 * work, and the messages in flight were copied by every young collection. A literal of at least
 * {@link #MIN} bytes is read into whole chunks (the last one partly used); smaller ones one after
 * the other into a shared chunk, the {@linkplain #slice slab}, which goes back to the pool once
 * it is full and the last of its messages was released (before, each went into an array of its
 * size: the messages in flight, most of them small, were copied by every young collection and
 * promoted by the tens of MiB). At most {@link #KEPT} bytes of free chunks are kept per thread;
 * chunks given back beyond that are left to the garbage collector. Not shared between threads:
 * each thread takes from and gives back to its own pool (a chunk given back on another thread
 * joins that thread's pool).
 */
final class LiteralPool {

  /** The size of every pooled array. */
  static final int CHUNK = 64 * 1024;

  /** Smallest literal read into chunks. */
  static final int MIN = 16 * 1024;

  /** Most bytes of free chunks kept per thread; system property {@code mailops.migrate.poolKept}. */
  static final long KEPT = Long.getLong("mailops.migrate.poolKept", 16L * 1024 * 1024);

  private static final ThreadLocal<LiteralPool> LOCAL = ThreadLocal.withInitial(LiteralPool::new);

  private final ArrayDeque<byte[]> free = new ArrayDeque<>();
  private final long kept;

  LiteralPool() {
    this(KEPT);
  }

  LiteralPool(long kept) {
    this.kept = kept;
  }

  /** This thread's pool. */
  static LiteralPool local() {
    return LOCAL.get();
  }

  /** A chunk of {@link #CHUNK} bytes, holding whatever it held before. */
  byte[] take() {
    byte[] b = free.pollLast();
    return b != null ? b : new byte[CHUNK];
  }

  /** Gives back a chunk from {@link #take}; anything else is ignored. */
  void give(byte[] b) {
    if (b.length == CHUNK && (free.size() + 1L) * CHUNK <= kept) {
      free.addLast(b);
    }
  }

  /** The chunk small literals are read into now; null before the first. */
  private Slab slab;

  /**
   * Room for a literal of {@code n} bytes (at most {@link #CHUNK}) in the current slab, or in a
   * new one when it has not that much left. The caller fills {@code array[offset, offset + n)}
   * and makes the message with {@code SpooledMessage.pooledSlice}, whose
   * release hands the array to {@code recycler}: the slab's chunk goes back to the pool when all
   * its messages were released and it is no longer the current one.
   */
  Slice slice(int n) {
    if (n < 0 || n > CHUNK) {
      throw new IllegalArgumentException("a slice of " + n + " bytes");
    }
    if (slab == null || CHUNK - slab.used < n) {
      if (slab != null) {
        slab.release(slab.chunk); // no longer current
      }
      slab = new Slab(take());
    }
    Slab s = slab;
    int offset = s.used;
    s.used += n;
    s.holders++;
    return new Slice(s.chunk, offset, s::release);
  }

  /** Part of a slab: {@code array[offset...]} for one literal. */
  record Slice(byte[] array, int offset, Consumer<byte[]> recycler) {}

  /** A chunk shared by small literals, and how many of them (plus the pool while current) hold it. */
  private final class Slab {
    final byte[] chunk;
    int used;
    int holders = 1;

    Slab(byte[] chunk) {
      this.chunk = chunk;
    }

    void release(byte[] ignored) {
      if (--holders == 0) {
        give(chunk);
      }
    }
  }

  /** Free chunks kept. */
  int free() {
    return free.size();
  }
}
