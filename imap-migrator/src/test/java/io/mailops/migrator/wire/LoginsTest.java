package io.mailops.migrator.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.Closeable;
import java.io.IOException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@link Logins#open}: two logins at once; on a failure nothing stays open. */
class LoginsTest {

  /** A connection that tells whether it was closed. */
  static final class Conn implements Closeable {
    final AtomicBoolean closed = new AtomicBoolean();
    final CountDownLatch closing = new CountDownLatch(1);

    @Override
    public void close() {
      closed.set(true);
      closing.countDown();
    }
  }

  @Test
  @Timeout(10)
  void bothAreOpenedAtTheSameTime() throws Exception {
    CountDownLatch both = new CountDownLatch(2);
    Logins.Opener<Conn> waitsForTheOther = () -> {
      both.countDown();
      try {
        if (!both.await(5, TimeUnit.SECONDS)) {
          throw new IOException("the other login did not start meanwhile");
        }
      } catch (InterruptedException e) {
        throw new IOException(e);
      }
      return new Conn();
    };

    Logins.Pair<Conn, Conn> p = Logins.open(waitsForTheOther, waitsForTheOther);

    assertThat(p.first()).isNotNull().isNotSameAs(p.second());
    assertThat(p.second()).isNotNull();
  }

  @Test
  void whenTheSecondFailsTheFirstIsClosedAndItsFailureThrown() {
    Conn first = new Conn();

    assertThatThrownBy(() -> Logins.open(() -> first, () -> {
      throw new IOException("cannot log in to the target");
    })).isInstanceOf(IOException.class).hasMessage("cannot log in to the target");
    assertThat(first.closed).isTrue();
  }

  @Test
  void whenTheFirstFailsTheSecondIsClosedAndBothFailingReportTheFirst() throws Exception {
    Conn second = new Conn();
    assertThatThrownBy(() -> Logins.open(() -> {
      throw new IOException("cannot log in to the source");
    }, () -> second)).hasMessage("cannot log in to the source");
    assertThat(second.closing.await(5, TimeUnit.SECONDS)).isTrue();

    assertThatThrownBy(() -> Logins.open(() -> {
      throw new IOException("source down");
    }, () -> {
      throw new IOException("target down");
    })).hasMessage("source down");
  }

  @Test
  void aSideWithNothingToOpenIsNull() throws Exception {
    Logins.Pair<Conn, Conn> p = Logins.open(Conn::new, () -> null);

    assertThat(p.first()).isNotNull();
    assertThat(p.second()).isNull();
  }
}
