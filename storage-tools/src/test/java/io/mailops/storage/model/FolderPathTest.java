package io.mailops.storage.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
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

  @Test
  void foldersSortAsTheirJoinedNamesWithInboxFirst() {
    // the names share prefixes and use chars below and above '/' (0x2F): ' ', '.', '-', '0', 'Ü'
    String[] parts = {"a", "ab", "a b", "a.b", "a-", "a0", "b", "Ü", "Übersicht", "INBOX", "x"};
    Random r = new Random(53);
    List<FolderPath> paths = new ArrayList<>();
    for (int i = 0; i < 400; i++) {
      List<String> segments = new ArrayList<>();
      for (int k = 1 + r.nextInt(3); k > 0; k--) {
        segments.add(parts[r.nextInt(parts.length)]);
      }
      paths.add(new FolderPath(segments));
    }
    paths.add(FolderPath.INBOX);
    for (FolderPath x : paths) {
      for (FolderPath y : paths) {
        int expected = x.isInbox() != y.isInbox() ? (x.isInbox() ? -1 : 1)
            : x.toString().compareTo(y.toString());
        assertThat(Integer.signum(x.compareTo(y))).as("%s against %s", x, y)
            .isEqualTo(Integer.signum(expected));
      }
    }
  }
}
