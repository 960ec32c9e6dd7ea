package io.mailops.storage.sample;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeUtility;
import java.util.List;
import org.junit.jupiter.api.Test;

class SampleEncodedWordsTest {

  static final List<String> TEXTS = List.of("Übersicht der Projekte 42", "Café & Bar: Réunion",
      "会議の議事録 1289", "Grüße aus München — ein sehr langer Betreff, der über mehrere"
          + " kodierte Wörter verteilt werden muss, weil er so lang ist", "Emoji 🎉 im Betreff 🎉🎉",
      "日本語のテストです日本語のテストです日本語のテストです日本語のテストです");

  @Test
  void everyEncodingShouldDecodeBackToTheTextWithWordsOfAtMost75Characters() throws Exception {
    for (EncodedWords enc : EncodedWords.values()) {
      for (String text : TEXTS) {
        if (!enc.canEncode(text)) {
          continue;
        }
        String encoded = enc.encode(text);

        assertThat(EncodedWords.isAscii(encoded)).as(encoded).isTrue();
        assertThat(encoded.split(" ")).allMatch(w -> w.length() <= 75 && w.startsWith("=?") && w.endsWith("?="));
        assertThat(MimeUtility.decodeText(encoded)).as("%s of %s", enc, text).isEqualTo(text);
      }
    }
  }

  @Test
  void latin1ShouldRefuseTextItCannotHold() {
    assertThat(EncodedWords.Q_LATIN1.canEncode("会議")).isFalse();
    assertThatThrownBy(() -> EncodedWords.Q_LATIN1.encode("会議"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ISO-8859-1 cannot hold '会議'");
  }

  @Test
  void displayNamesShouldBeAtomsQuotedStringsOrEncodedWords() throws Exception {
    assertThat(EncodedWords.Q_LATIN1.phrase("Alice Anderson")).isEqualTo("Alice Anderson");
    assertThat(EncodedWords.Q_LATIN1.phrase("Sybil Taylor, Dr.")).isEqualTo("\"Sybil Taylor, Dr.\"");
    assertThat(EncodedWords.Q_LATIN1.phrase("Carol Müller")).isEqualTo("=?ISO-8859-1?Q?Carol_M=FCller?=");
    assertThat(EncodedWords.Q_LATIN1.phrase("Иван Петров")).startsWith("=?UTF-8?B?");
    for (String name : List.of("Mallory (Security)", "Sybil Taylor, Dr.", "Victor 山田", "Dave O'Brien")) {
      InternetAddress parsed = new InternetAddress(EncodedWords.B_UTF8.phrase(name) + " <x@example.com>", true);
      assertThat(parsed.getPersonal()).isEqualTo(name);
    }
  }

  @Test
  void fileNamesShouldBecomeRfc2231Values() {
    assertThat(EncodedWords.rfc2231("Übersicht Q1.pdf")).isEqualTo("UTF-8''%C3%9Cbersicht%20Q1.pdf");
  }
}
