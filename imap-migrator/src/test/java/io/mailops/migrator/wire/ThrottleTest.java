package io.mailops.migrator.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mailops.storage.MailStoreException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** {@link HostLimits} ({@code --max-connections-per-host}) and {@link ByteRate} ({@code --bytes-per-second}). */
class ThrottleTest {

  @Test
  void aSecondAccountOnTheSameHostShouldWaitUntilTheFirstGivesItsPermitBack() throws Exception {
    HostLimits limits = new HostLimits(2);
    HostLimits.Permit first = limits.acquire(List.of("old.example.com", "old.example.com"), "a");
    AtomicBoolean got = new AtomicBoolean();
    CountDownLatch done = new CountDownLatch(1);
    Thread t = new Thread(() -> {
      try (HostLimits.Permit p = limits.acquire(List.of("OLD.example.com", "new.example.com"),
          "b")) {
        got.set(true);
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
      done.countDown();
    });
    t.start();
    assertThat(done.await(300, TimeUnit.MILLISECONDS)).isFalse();
    assertThat(got).isFalse();

    first.close();

    assertThat(done.await(5, TimeUnit.SECONDS)).isTrue();
    assertThat(got).isTrue();
    // another host is not limited by the first
    limits.acquire(List.of("new.example.com", "new.example.com"), "c").close();
  }

  @Test
  void anAccountNeedingMoreConnectionsToOneHostThanAllowedShouldBeRefusedNotWaitForever() {
    assertThatThrownBy(() -> new HostLimits(1).acquire(List.of("mail.example.com",
        "mail.example.com"), "account alice@example.com (line 3)"))
        .isInstanceOf(MailStoreException.class)
        .hasMessage("account alice@example.com (line 3) needs 2 connections to mail.example.com"
            + " at once (source and target) but --max-connections-per-host is 1; use 2 or more");
  }

  @Test
  void noLimitShouldNeverWait() throws Exception {
    for (int i = 0; i < 100; i++) {
      HostLimits.NONE.acquire(List.of("h", "h"), "x");
    }
  }

  @Test
  void theByteRateShouldSleepForTheBytesBeyondTheOneSecondBurst() throws Exception {
    AtomicLong now = new AtomicLong();
    List<Long> slept = new ArrayList<>();
    ByteRate rate = new ByteRate(1000, now::get, nanos -> {
      slept.add(nanos);
      now.addAndGet(nanos);
    });

    rate.take(1000); // the burst
    assertThat(slept).isEmpty();
    rate.take(500);
    assertThat(slept).containsExactly(500_000_000L);
    now.addAndGet(2_000_000_000L); // idle: the bucket refills to one second, not more
    rate.take(1000);
    rate.take(2000);
    assertThat(slept).containsExactly(500_000_000L, 2_000_000_000L);
    // 4500 bytes took 4.5 s of clock time: 1000 bytes/s once the burst is spent
    assertThat(now.get()).isEqualTo(4_500_000_000L);
  }
}
