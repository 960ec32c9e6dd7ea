package io.mailops.jobs.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Only {@code migrate run} with work to do opens its repository beside the parsing (ADR 0028). */
class MailOpsCommandWarmupTest {

  @Test
  void onlyMigrateRunWarmsUp() {
    assertThat(MailOpsCommand.warmsUp("migrate", "run", "--accounts", "a.csv")).isTrue();
    assertThat(MailOpsCommand.warmsUp("migrate", "run", "--accounts", "a.csv", "--dry-run")).isTrue();
    assertThat(MailOpsCommand.warmsUp("migrate", "run", "--help")).isFalse();
    assertThat(MailOpsCommand.warmsUp("migrate", "run", "-h")).isFalse();
    assertThat(MailOpsCommand.warmsUp("migrate", "verify", "--accounts", "a.csv")).isFalse();
    assertThat(MailOpsCommand.warmsUp("migrate", "status")).isFalse();
    assertThat(MailOpsCommand.warmsUp("jobs", "list")).isFalse();
    assertThat(MailOpsCommand.warmsUp("migrate")).isFalse();
  }
}
