package io.mailops.jobs.batch.migrate;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Which command lines let {@link LookWarmup} look at the servers ahead (docs/adr/0039). */
class LookWarmupTest {

  @Test
  void onlyAnAccountsFileWithParallelAndConfigStartsLooksAhead() {
    assertThat(LookWarmup.line("migrate", "run", "--accounts", "a.csv"))
        .isEqualTo(new LookWarmup.Line(Path.of("a.csv"), null));
    assertThat(LookWarmup.line("migrate", "run", "--parallel", "10", "--accounts=a.csv",
        "--config", "m.yml")).isEqualTo(new LookWarmup.Line(Path.of("a.csv"), "10"));
    assertThat(LookWarmup.line("migrate", "run", "--parallel=3", "--accounts", "b.csv"))
        .isEqualTo(new LookWarmup.Line(Path.of("b.csv"), "3"));
  }

  @Test
  void anyOtherOptionOrCommandStartsNone() {
    assertThat(LookWarmup.line("migrate", "run", "--accounts", "a.csv", "--insecure"))
        .isNull();
    assertThat(LookWarmup.line("migrate", "run", "--accounts", "a.csv", "--dry-run"))
        .isNull();
    assertThat(LookWarmup.line("migrate", "run", "--accounts", "a.csv",
        "--max-connections-per-host", "4")).isNull();
    assertThat(LookWarmup.line("migrate", "run", "--source", "imap://u@h",
        "--target", "imap://v@h")).isNull();
    assertThat(LookWarmup.line("migrate", "run", "--parallel", "2")).isNull();
    assertThat(LookWarmup.line("migrate", "run", "--accounts")).isNull();
    assertThat(LookWarmup.line("migrate", "verify", "--accounts", "a.csv")).isNull();
    assertThat(LookWarmup.line("migrate")).isNull();
  }
}
