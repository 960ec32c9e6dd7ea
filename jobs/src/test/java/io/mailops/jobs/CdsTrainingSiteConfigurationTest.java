package io.mailops.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import io.mailops.jobs.config.MailOpsSettings;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The trainings' {@code mailops.yml} (ADR 0052) sets the shipped defaults' own values. */
class CdsTrainingSiteConfigurationTest {

  @TempDir
  Path home;

  @Test
  void theTrainingsSiteFileChangesNoSetting() throws Exception {
    Map<String, String> env = Map.of("MAILOPS_HOME", home.toString());
    Map<String, Object> shipped = MailOpsSettings.load(env, null).asProperties();
    CdsTraining.siteConfiguration(home);
    assertThat(home.resolve("mailops.yml")).exists();
    assertThat(MailOpsSettings.load(env, null).asProperties()).isEqualTo(shipped);
  }
}
