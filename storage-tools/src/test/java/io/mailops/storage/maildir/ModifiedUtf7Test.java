package io.mailops.storage.maildir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ModifiedUtf7Test {

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      // RFC 3501 §5.1.3 example, Dovecot's test-imap-utf7.c and names seen on a real Dovecot
      "~peter/mail/台北/日本語|~peter/mail/&U,BTFw-/&ZeVnLIqe-",
      "Übersicht|&ANw-bersicht",
      "Entwürfe|Entw&APw-rfe",
      "Café & Bar|Caf&AOk- &- Bar",
      "&|&-",
      "plain ASCII 2024|plain ASCII 2024",
      "𝄞 music|&2DTdHg- music",
  })
  void encodesAndDecodesLikeDovecot(String unicode, String encoded) {
    assertThat(ModifiedUtf7.encode(unicode)).isEqualTo(encoded);
    assertThat(ModifiedUtf7.decode(encoded)).isEqualTo(unicode);
  }

  @ParameterizedTest
  @CsvSource({"&Jjo", "&U,BTFw", "&AGE-", "&ANw", "&A-", "abc&"})
  void rejectsInvalidNamesWithTheNameInTheMessage(String bad) {
    assertThatThrownBy(() -> ModifiedUtf7.decode(bad))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(bad);
  }

  @Test
  void rejectsRawNonAsciiInEncodedNames() {
    assertThatThrownBy(() -> ModifiedUtf7.decode("Übersicht")).hasMessageContaining("must be encoded");
  }
}
