package io.mailops.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PathGuardTest {

  static final Path ROOT = Path.of("/srv/backup");

  @Test
  void keepsOrdinaryAndHiddenNamesInsideTheRoot() throws Exception {
    assertThat(PathGuard.resolveInside(ROOT, "example.com/alice/.Sent", "t"))
        .isEqualTo(Path.of("/srv/backup/example.com/alice/.Sent"));
    assertThat(PathGuard.resolveInside(ROOT, "Café & Bar/日本語", "t")).isEqualTo(ROOT.resolve("Café & Bar/日本語"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "/etc/passwd", "../etc", "a/../../b", "a//b", "a/./b", "a\\b", "a\u0000b", "a\nb", ".."})
  void rejectsNamesThatCouldLeaveTheRootNamingThem(String bad) {
    assertThatThrownBy(() -> PathGuard.resolveInside(ROOT, bad, "tar entry in set X"))
        .isInstanceOf(MailStoreException.class)
        .hasMessageStartingWith("tar entry in set X: unsafe name '" + bad + "'");
  }
}
