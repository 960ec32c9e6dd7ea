package io.mailops.jobs.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The one duration syntax of settings and flags (daemon schedules, SNMP alarms, ingest interval). */
class DurationSettingTest {

  @Test
  void everyWrittenFormShouldGiveItsDuration() {
    assertThat(MailOpsSettings.parseDuration("k", "0")).isEqualTo(Duration.ZERO);
    assertThat(MailOpsSettings.parseDuration("k", "500ms")).isEqualTo(Duration.ofMillis(500));
    assertThat(MailOpsSettings.parseDuration("k", " 30s ")).isEqualTo(Duration.ofSeconds(30));
    assertThat(MailOpsSettings.parseDuration("k", "10 m")).isEqualTo(Duration.ofMinutes(10));
    assertThat(MailOpsSettings.parseDuration("k", "24h")).isEqualTo(Duration.ofHours(24));
    assertThat(MailOpsSettings.parseDuration("k", "7d")).isEqualTo(Duration.ofDays(7));
    assertThat(MailOpsSettings.parseDuration("k", "1h30m")).isEqualTo(Duration.ofMinutes(90));
    assertThat(MailOpsSettings.parseDuration("k", "PT10M")).isEqualTo(Duration.ofMinutes(10));
  }

  @Test
  void aBadValueShouldBeNamedWithItsSetting() {
    assertThatThrownBy(() -> MailOpsSettings.parseDuration("mailops.daemon.stop-timeout", "soon"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("mailops.daemon.stop-timeout 'soon': give a duration such as 30s, 5m or 1h");
  }
}
