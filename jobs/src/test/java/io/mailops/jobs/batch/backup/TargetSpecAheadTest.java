package io.mailops.jobs.batch.backup;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TargetSpecAheadTest {

  @TempDir Path tmp;

  /** An FTPS spec whose server does not exist (port 1 on loopback refuses at once). */
  private TargetSpec ftps(String path) {
    return new TargetSpec("ftps://u@127.0.0.1:1/" + path, tmp.resolve("pw"), null,
        List.of("TLSv1.2"), true);
  }

  @Test
  void theJobShouldTakeTheTargetOpenedAheadForAnEqualSpecOnce() throws Exception {
    TargetSpec spec = ftps("a");
    spec.openAhead(Map.of());
    assertThat(TargetSpec.openedAhead(spec)).isTrue();
    try (OpenTarget first = ftps("a").open(Map.of())) { // an equal spec, as the job rebuilds it
      assertThat(TargetSpec.openedAhead(spec)).isFalse();
      try (OpenTarget second = spec.open(Map.of())) {
        assertThat(second).isNotSameAs(first); // taken once: a second open is a new target
      }
      spec.dropAhead(); // nothing left to drop
    }
  }

  @Test
  void anotherSpecShouldNotGetTheTargetOpenedAheadAndDropShouldCloseIt() throws Exception {
    TargetSpec spec = ftps("a");
    spec.openAhead(Map.of());
    try (OpenTarget other = ftps("b").open(Map.of())) {
      assertThat(other.toString()).contains("/b");
      assertThat(TargetSpec.openedAhead(spec)).isTrue();
    } finally {
      spec.dropAhead();
    }
    assertThat(TargetSpec.openedAhead(spec)).isFalse();
  }

  @Test
  void aLocalTargetShouldNotBeOpenedAhead() throws Exception {
    TargetSpec local = new TargetSpec("file:" + tmp.resolve("sets"), null, null,
        List.of("TLSv1.2"), true);
    local.openAhead(Map.of());
    assertThat(TargetSpec.openedAhead(local)).isFalse();
    local.dropAhead();
  }
}
