package io.mailops.migrator.wire;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
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

  @Test
  void smallLiteralsShouldShareASlabThatGoesBackAfterItsLastMessageOnceFull() {
    LiteralPool pool = new LiteralPool(4L * LiteralPool.CHUNK);
    int third = LiteralPool.CHUNK / 3;
    LiteralPool.Slice a = pool.slice(third);
    LiteralPool.Slice b = pool.slice(third);
    LiteralPool.Slice c = pool.slice(third);
    assertThat(b.array()).isSameAs(a.array()).isSameAs(c.array());
    assertThat(List.of(a.offset(), b.offset(), c.offset())).containsExactly(0, third, 2 * third);

    a.recycler().accept(a.array());
    b.recycler().accept(b.array());
    c.recycler().accept(c.array());
    assertThat(pool.free()).as("the current slab stays out of the pool").isZero();

    LiteralPool.Slice d = pool.slice(third); // the slab has 1 byte left: a new one
    assertThat(d.array()).as("the full slab, all of its messages released, is taken again")
        .isSameAs(a.array());
    assertThat(d.offset()).isZero();
    assertThat(pool.free()).isZero();

    LiteralPool.Slice e = pool.slice(third);
    LiteralPool.Slice f = pool.slice(third);
    LiteralPool.Slice g = pool.slice(third); // a third slab; the second still has e and f
    assertThat(g.array()).isNotSameAs(d.array());
    d.recycler().accept(d.array());
    e.recycler().accept(e.array());
    assertThat(pool.free()).isZero();
    f.recycler().accept(f.array());
    assertThat(pool.free()).isEqualTo(1);
    assertThat(pool.take()).isSameAs(d.array());
  }
}
