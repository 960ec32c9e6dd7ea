package io.mailops.storage.sample;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class SampleSettingsTest {

  @Test
  void defaultsShouldBeThreeDomainsOfFourAccountsWithSixtyMessagesAndSeed42() {
    SampleSettings d = SampleSettings.defaults();

    assertThat(d).isEqualTo(new SampleSettings(3, 4, 60, 42L));
    assertThat(d.accounts()).isEqualTo(12);
    assertThat(d.messages()).isEqualTo(720L);
  }

  @Test
  void settingsShouldAcceptTheLimits() {
    assertThat(new SampleSettings(1, 1, 0, 0L).messages()).isZero();
    assertThat(new SampleSettings(1000, 10_000, 1_000_000, -1L).messages())
        .isEqualTo(10_000_000_000_000L);
  }

  @Test
  void settingsShouldRejectOutOfRangeCountsNamingTheValue() {
    assertThatThrownBy(() -> new SampleSettings(0, 4, 60, 1))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("domains must be 1..1000, got 0");
    assertThatThrownBy(() -> new SampleSettings(1001, 4, 60, 1))
        .hasMessageContaining("got 1001");
    assertThatThrownBy(() -> new SampleSettings(3, 0, 60, 1))
        .hasMessageContaining("accounts per domain must be 1..10000, got 0");
    assertThatThrownBy(() -> new SampleSettings(3, 10_001, 60, 1))
        .hasMessageContaining("got 10001");
    assertThatThrownBy(() -> new SampleSettings(3, 4, -1, 1))
        .hasMessageContaining("messages per account must be 0..1000000, got -1");
    assertThatThrownBy(() -> new SampleSettings(3, 4, 1_000_001, 1))
        .hasMessageContaining("got 1000001");
  }

  @Test
  void reportShouldRejectNegativeCounts() {
    assertThatThrownBy(() -> new SampleReport(1, 1, 1, -1, 0))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("messages=-1");
  }
}
