package io.mailops.storage.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class FolderPathTest {

  @Test
  void aServerNameIsSplitAtItsSeparatorAsTheQuotedExpressionSplitsIt() {
    for (String[] c : new String[][] {{"INBOX.Sent", "."}, {"Projekte/Übersicht/2024", "/"},
        {"A||B||C", "||"}, {"a.b", "+"}, {"x.y*z", "*"}, {"Archiv", "."}}) {
      assertThat(FolderPath.separated(c[0], c[1]).segments())
          .as("%s at %s", c[0], c[1])
          .isEqualTo(List.of(c[0].split(Pattern.quote(c[1]), -1)));
    }
    assertThat(FolderPath.separated("Sent Items", null)).isEqualTo(new FolderPath(List.of("Sent Items")));
    assertThat(FolderPath.separated("a.b", "")).isEqualTo(new FolderPath(List.of("a.b")));
    assertThat(FolderPath.separated("inbox", ".")).isEqualTo(FolderPath.INBOX);
  }

  @Test
  void anEmptySegmentIsRefusedAsBefore() {
    assertThatThrownBy(() -> FolderPath.separated("Sent.", "."))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("segment ''");
    assertThatThrownBy(() -> FolderPath.separated(".Sent", "."))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> FolderPath.separated("a/b", "."))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
