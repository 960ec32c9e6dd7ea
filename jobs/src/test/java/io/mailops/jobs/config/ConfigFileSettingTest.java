package io.mailops.jobs.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code MAILOPS_CONFIG}: a file read after the home's, and an empty value the same as none. */
class ConfigFileSettingTest {

  @TempDir
  Path dir;

  @Test
  void anEmptyMailopsConfigIsNoConfigurationFile() throws Exception {
    String home = dir.resolve("home").toString();
    // 'MAILOPS_CONFIG= mailops …' in a script: before, "cannot read configuration : Is a directory"
    MailOpsSettings empty = MailOpsSettings.load(Map.of("MAILOPS_HOME", home,
        "MAILOPS_CONFIG", ""), null);
    MailOpsSettings none = MailOpsSettings.load(Map.of("MAILOPS_HOME", home), null);
    assertThat(empty.get("mailops.migrate.parallel", "?"))
        .isEqualTo(none.get("mailops.migrate.parallel", "?"));

    Path file = Files.writeString(dir.resolve("site.yml"), "mailops:\n  migrate:\n    parallel: 9\n");
    assertThat(MailOpsSettings.load(Map.of("MAILOPS_HOME", home, "MAILOPS_CONFIG",
        file.toString()), null).get("mailops.migrate.parallel", "?")).isEqualTo("9");
    assertThatThrownBy(() -> MailOpsSettings.load(Map.of("MAILOPS_HOME", home, "MAILOPS_CONFIG",
        dir.resolve("missing.yml").toString()), null))
        .isInstanceOf(IOException.class).hasMessageContaining("does not exist");
  }
}
