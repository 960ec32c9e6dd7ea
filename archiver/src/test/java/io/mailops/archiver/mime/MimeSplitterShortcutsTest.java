package io.mailops.archiver.mime;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The splitter's header unfolding and lookup give what the regexes they replace gave. */
class MimeSplitterShortcutsTest {

  private static final String ALPHABET = "\r\n \t:aBc-;=\"x";
  private static final String[] NAMES = {"content-type", "content-disposition",
      "content-transfer-encoding", "abc", "x"};

  @Test
  void unfoldingShouldGiveWhatTheRegexGave() {
    assertThat(MimeSplitter.unfold("A: b\r\n\tc\n  d\r\ne\r\r\n f\n")).isEqualTo(
        "A: b c d\r\ne\r f\n");
    Random random = new Random(32);
    for (int i = 0; i < 200_000; i++) {
      String s = random(random);
      assertThat(MimeSplitter.unfold(s)).as("%s", s)
          .isEqualTo(s.replaceAll("\r?\n[ \t]+", " "));
    }
  }

  @Test
  void aHeaderShouldBeFoundAsOnTheLinesTheRegexSplitGave() {
    assertThat(MimeSplitter.header("X: 1\r\nContent-Type : text/plain \r\nContent-Type: b",
        "content-type")).isEqualTo("text/plain");
    assertThat(MimeSplitter.header("a\r\r\nb:1", "a\r")).isEmpty();
    Random random = new Random(33);
    for (int i = 0; i < 200_000; i++) {
      String s = random(random);
      String unfolded = s.replaceAll("\r?\n[ \t]+", " ");
      for (String name : NAMES) {
        assertThat(MimeSplitter.header(s, name)).as("%s in %s", name, s)
            .isEqualTo(headerByRegex(s, name));
        assertThat(MimeSplitter.header(unfolded, name)).as("%s in %s", name, unfolded)
            .isEqualTo(headerByRegex(unfolded, name));
      }
    }
  }

  /** The lookup as it was written with {@code String.split}. */
  private static String headerByRegex(String headers, String name) {
    for (String line : headers.split("\r?\n")) {
      int colon = line.indexOf(':');
      if (colon > 0 && line.substring(0, colon).trim().toLowerCase(Locale.ROOT).equals(name)) {
        return line.substring(colon + 1).trim();
      }
    }
    return "";
  }

  private static String random(Random random) {
    StringBuilder s = new StringBuilder();
    int n = random.nextInt(40);
    for (int i = 0; i < n; i++) {
      int pick = random.nextInt(ALPHABET.length() + NAMES.length + 2);
      if (pick < ALPHABET.length()) {
        s.append(ALPHABET.charAt(pick));
      } else if (pick < ALPHABET.length() + NAMES.length) {
        String name = NAMES[pick - ALPHABET.length()];
        s.append(random.nextBoolean() ? name : name.toUpperCase(Locale.ROOT));
      } else {
        s.append(pick == ALPHABET.length() + NAMES.length ? "\r\n" : ": ");
      }
    }
    return s.toString();
  }
}
