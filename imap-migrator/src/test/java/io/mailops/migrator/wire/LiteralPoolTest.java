package io.mailops.migrator.wire;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LiteralPoolTest {

  @Test
  void aChunkGivenBackShouldBeTakenAgainUpToTheKeptBytes() {
    LiteralPool pool = new LiteralPool(2L * LiteralPool.CHUNK);
    byte[] a = pool.take();
    byte[] b = pool.take();
    byte[] c = pool.take();
    assertThat(a).hasSize(LiteralPool.CHUNK);
    pool.give(a);
    pool.give(b);
    pool.give(c); // beyond the two kept: left to the garbage collector
    pool.give(new byte[100]); // not a chunk
    assertThat(pool.free()).isEqualTo(2);
    assertThat(pool.take()).isSameAs(b);
    assertThat(pool.take()).isSameAs(a);
    assertThat(pool.take()).isNotSameAs(c).hasSize(LiteralPool.CHUNK);
  }

  @Test
  void eachThreadShouldHaveItsOwnPool() throws InterruptedException {
    LiteralPool[] other = new LiteralPool[1];
    Thread t = new Thread(() -> other[0] = LiteralPool.local());
    t.start();
    t.join();
    assertThat(LiteralPool.local()).isSameAs(LiteralPool.local()).isNotSameAs(other[0]);
  }
}
