package io.mailops.storage.sample;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import jakarta.mail.internet.MimeUtility;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SampleMimeOutputTest {

  @Test
  void longHeadersShouldBeFoldedAtSpacesBelow78Columns() {
    MimeOutput out = new MimeOutput(false, 0);
    out.header("To", "Alice Anderson <alice@example.com>, Bob Brown <bob@example.com>, "
        + "Carol <carol@example.com>, Dave O'Brien <dave@example.com>");

    String text = new String(out.toByteArray(), StandardCharsets.US_ASCII);
    assertThat(text).endsWith("\n").doesNotContain("\r");
    assertThat(text.split("\n")).hasSizeGreaterThan(1).allMatch(l -> l.length() <= 78);
    assertThat(text.replace("\n ", " ")).isEqualTo("To: Alice Anderson <alice@example.com>, Bob Brown"
        + " <bob@example.com>, Carol <carol@example.com>, Dave O'Brien <dave@example.com>\n");
  }

  @Test
  void headersShouldRefuseNonAsciiValues() {
    assertThatThrownBy(() -> new MimeOutput(false, 0).header("Subject", "Grüße"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Subject");
  }

  @Test
  void quotedPrintableShouldDecodeBackWithLinesOfAtMost76() throws Exception {
    String text = "Grüße aus München = schön \n" + "x".repeat(200) + " \n日本語のテスト\n\nEnde.\n";
    for (boolean crlf : new boolean[] {false, true}) {
      MimeOutput out = new MimeOutput(crlf, 0);
      out.quotedPrintable(text, StandardCharsets.UTF_8);
      byte[] bytes = out.toByteArray();
      String encoded = new String(bytes, StandardCharsets.US_ASCII);

      assertThat(encoded.split(crlf ? "\r\n" : "\n")).allMatch(l -> l.length() <= 76 && !l.endsWith(" "));
      assertThat(encoded.replace("\r\n", "")).doesNotContain("\r");
      try (InputStream in = MimeUtility.decode(new ByteArrayInputStream(bytes), "quoted-printable")) {
        String decoded = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        assertThat(decoded).isEqualTo(crlf ? text.replace("\n", "\r\n") : text);
      }
    }
  }

  @Test
  void base64ShouldUse76CharacterLinesWithTheChosenLineEnd() {
    byte[] data = new byte[1000];
    new SplittableRandom(1).nextBytes(data);
    MimeOutput out = new MimeOutput(true, 0);
    out.base64(data);

    String encoded = new String(out.toByteArray(), StandardCharsets.US_ASCII);
    assertThat(encoded).endsWith("\r\n");
    assertThat(encoded.split("\r\n")).allMatch(l -> l.length() <= 76);
    assertThat(encoded.indexOf("\r\n")).isEqualTo(76);
    assertThat(Base64.getMimeDecoder().decode(encoded)).isEqualTo(data);
  }

  @Test
  void textShouldConvertLineEndsAndKeepEightBitBytes() {
    MimeOutput out = new MimeOutput(true, 0);
    out.text("Grüße\nzwei", StandardCharsets.UTF_8);

    assertThat(out.toByteArray()).isEqualTo("Grüße\r\nzwei\r\n".getBytes(StandardCharsets.UTF_8));
  }
}
