package io.mailops.storage.imap;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class SpecialUseTest {

  @Test
  void aListResponsesAttributesGiveTheirSpecialUseAsTheListOfThemWould() {
    for (String attrs : new String[] {"\\HasNoChildren \\Sent", "  \\sent  ", "\\HasChildren",
        "", "   ", "\\Sentx \\Junk", "\\Noselect\t\\DRAFTS", "\\All\\Archive", "\\Trash\n",
        "\\Marked \\Flagged \\Archive"}) {
      String expected = attrs.isBlank() ? SpecialUse.of(List.of(""))
          : SpecialUse.of(List.of(attrs.trim().split("\\s+")));
      assertThat(SpecialUse.ofList(attrs)).as("'%s'", attrs).isEqualTo(expected);
    }
    assertThat(SpecialUse.ofList("\\HasNoChildren \\sent")).isEqualTo("\\Sent");
    assertThat(SpecialUse.ofList("\\All\\Archive")).isNull();
    assertThat(SpecialUse.ofList("")).isNull();
  }
}
