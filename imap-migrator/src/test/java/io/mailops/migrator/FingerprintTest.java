package io.mailops.migrator;

import static org.assertj.core.api.Assertions.assertThat;

import io.mailops.migrator.Fingerprint.Mode;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class FingerprintTest {

  private static final String MESSAGE = "Message-ID: <abc@example.com>\r\n"
      + "Date: Mon, 1 Jan 2024 10:00:00 +0000\r\n"
      + "From: Alice <alice@example.com>\r\n"
      + "Subject: Hello world\r\n"
      + "\r\n"
      + "body of the message\r\n";

  /** {@code message} with its body cut or padded so it is as long as {@link #MESSAGE}. */
  private static String sameSize(String message) {
    int body = message.indexOf("\r\n\r\n") + 4;
    int len = MESSAGE.length() - body - 2;
    return message.substring(0, body) + "x".repeat(len) + "\r\n";
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.ISO_8859_1);
  }

  private static String sha256(byte[] b) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
  }

  @Test
  void foldedAndUnfoldedHeadersShouldGiveTheSameFingerprint() {
    String folded =
        sameSize(MESSAGE.replace("Subject: Hello world", "Subject: Hello\r\n\t  world"));

    assertThat(Fingerprint.of(bytes(folded), Mode.HEADERS))
        .isEqualTo(Fingerprint.of(bytes(MESSAGE), Mode.HEADERS));
  }

  @Test
  void headerNamesShouldBeCaseInsensitiveAndValuesTrimmedAndCollapsed() {
    String other = sameSize(MESSAGE.replace("Message-ID:", "message-id:  ")
        .replace("From:", "FROM:")
        .replace("Subject: Hello world", "Subject:   Hello \t world   "));

    assertThat(Fingerprint.of(bytes(other), Mode.HEADERS))
        .isEqualTo(Fingerprint.of(bytes(MESSAGE), Mode.HEADERS));
  }

  @Test
  void otherHeadersAndHeaderOrderShouldNotMatterButTheSizeShould() {
    String reordered = sameSize("X-Spam: no\r\nSubject: Hello world\r\n"
        + "From: Alice <alice@example.com>\r\nDate: Mon, 1 Jan 2024 10:00:00 +0000\r\n"
        + "Message-ID: <abc@example.com>\r\n\r\nbody\r\n");

    assertThat(Fingerprint.of(bytes(reordered), Mode.HEADERS))
        .isEqualTo(Fingerprint.of(bytes(MESSAGE), Mode.HEADERS));
    assertThat(Fingerprint.of(bytes(MESSAGE + "more\r\n"), Mode.HEADERS))
        .isNotEqualTo(Fingerprint.of(bytes(MESSAGE), Mode.HEADERS));
    assertThat(Fingerprint.of(bytes(MESSAGE.replace("Hello", "Bello")), Mode.HEADERS))
        .isNotEqualTo(Fingerprint.of(bytes(MESSAGE), Mode.HEADERS));
  }

  @Test
  void sameHeadersAndSizeButOtherBodyShouldBeTheSameMessageInHeaderMode() {
    String other = MESSAGE.replace("body", "BODY");

    assertThat(Fingerprint.of(bytes(other), Mode.HEADERS))
        .isEqualTo(Fingerprint.of(bytes(MESSAGE), Mode.HEADERS));
    assertThat(Fingerprint.of(bytes(other), Mode.CONTENT))
        .isNotEqualTo(Fingerprint.of(bytes(MESSAGE), Mode.CONTENT));
  }

  @Test
  void aMessageWithoutMessageIdShouldBeIdentifiedByItsContent() throws Exception {
    String noId = MESSAGE.replace("Message-ID: <abc@example.com>\r\n", "");
    String otherBody = noId.replace("body", "BODY");

    assertThat(Fingerprint.of(bytes(noId), Mode.HEADERS)).isEqualTo(sha256(bytes(noId)))
        .isNotEqualTo(Fingerprint.of(bytes(otherBody), Mode.HEADERS));
    assertThat(Fingerprint.of(bytes(MESSAGE.replace("<abc@example.com>", " ")), Mode.HEADERS))
        .isEqualTo(sha256(bytes(MESSAGE.replace("<abc@example.com>", " "))));
  }

  @Test
  void contentModeShouldAlwaysHashTheWholeMessage() throws Exception {
    assertThat(Fingerprint.of(bytes(MESSAGE), Mode.CONTENT)).isEqualTo(sha256(bytes(MESSAGE)));
  }

  @Test
  void bareLineFeedsShouldCountAsCrlf() {
    String lf = MESSAGE.replace("\r\n", "\n");
    String noId = MESSAGE.replace("Message-ID: <abc@example.com>\r\n", "");

    assertThat(Fingerprint.of(bytes(lf), Mode.HEADERS))
        .isEqualTo(Fingerprint.of(bytes(MESSAGE), Mode.HEADERS));
    assertThat(Fingerprint.of(bytes(lf), Mode.CONTENT))
        .isEqualTo(Fingerprint.of(bytes(MESSAGE), Mode.CONTENT));
    assertThat(Fingerprint.of(bytes(noId.replace("\r\n", "\n")), Mode.HEADERS))
        .isEqualTo(Fingerprint.of(bytes(noId), Mode.HEADERS));
  }

  @Test
  void eightBitHeadersShouldBeHashedByteForByte() {
    byte[] utf8 = MESSAGE.replace("Hello world", "Grüße aus Köln")
        .getBytes(StandardCharsets.UTF_8);
    byte[] latin1 = MESSAGE.replace("Hello world", "Grüße aus Köln")
        .getBytes(StandardCharsets.ISO_8859_1);
    byte[] utf8Again = MESSAGE.replace("Hello world", "Grüße  aus Köln")
        .getBytes(StandardCharsets.UTF_8);

    String a = Fingerprint.of(utf8, Mode.HEADERS);
    assertThat(a).hasSize(64).isNotEqualTo(Fingerprint.of(latin1, Mode.HEADERS));
    assertThat(Fingerprint.of(utf8Again, Mode.HEADERS)).isNotEqualTo(a); // one more byte: size
    assertThat(Fingerprint.of(utf8.clone(), Mode.HEADERS)).isEqualTo(a);
  }

  @Test
  void headerModeShouldNotReadTheBodyIntoMemoryButCountIt() throws IOException {
    long[] read = {0};
    int bodySize = 50 * 1024 * 1024;
    byte[] head = bytes(MESSAGE.replace("body of the message\r\n", ""));
    InputStream big = new InputStream() {
      @Override
      public int read() {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
      }

      @Override
      public int read(byte[] b, int off, int len) {
        long total = head.length + (long) bodySize;
        if (read[0] >= total) {
          return -1;
        }
        int n = (int) Math.min(len, total - read[0]);
        for (int i = 0; i < n; i++) {
          long p = read[0] + i;
          b[off + i] = p < head.length ? head[(int) p] : (byte) 'x';
        }
        read[0] += n;
        return n;
      }
    };

    String print = Fingerprint.of(big, Mode.HEADERS);

    assertThat(read[0]).isEqualTo(head.length + (long) bodySize);
    assertThat(print).hasSize(64);
  }

  @Test
  void aStreamAndItsBytesShouldGiveTheSameFingerprint() throws IOException {
    assertThat(Fingerprint.of(new ByteArrayInputStream(bytes(MESSAGE)), Mode.HEADERS))
        .isEqualTo(Fingerprint.of(bytes(MESSAGE), Mode.HEADERS));
  }

  @Test
  void headerParsingShouldGiveWhatTheRegularExpressionParserGave() {
    String[] headers = {
        "Message-ID: <a@b>\r\nDate: Mon, 1 Jan 2024 00:00:00 +0000\r\nFrom: a@b\r\nSubject: hi\r\n\r\n",
        "Subject: folded\r\n\tover  two\r\n  lines\r\nmessage-id:<x@y>\nFROM :  Al \t Bo \n\n",
        "X: 1\r\n continuation of x\r\nSubject: first\r\nSubject: second\r\nDate:\r\n",
        " leading continuation\r\n:no name\r\nno colon line\r\nMessage-Id: <m>\r\r\nFrom: c\r",
        "Subject: \u0001 control \u0007\r\nFrom: x\r\nDate: d\r\nMessage-ID: m\r\n\r\nbody: not a header",
        "Message-ID: <a>\r\nFrom: f\r\nDate: d\r\nSubject: s\r\n continued after all four\r\n\r\n",
        "", "\r\n", "Subject", "Subject:", "Subject: \u00e9t\u00e9 8-bit \u00ff\r\n"};
    for (String h : headers) {
      byte[] b = h.getBytes(StandardCharsets.ISO_8859_1);
      assertThat(Fingerprint.parseHeaders(b)).as(h).isEqualTo(regexParser(b));
    }
  }

  /** The parser before it lost its regular expressions (kept here as the reference). */
  private static java.util.Map<String, String> regexParser(byte[] header) {
    java.util.List<String> names = java.util.List.of("message-id", "date", "from", "subject");
    java.util.Map<String, String> out = new java.util.HashMap<>();
    String name = null;
    StringBuilder value = new StringBuilder();
    for (String line : new String(header, StandardCharsets.ISO_8859_1).split("\r?\n", -1)) {
      if (!line.isEmpty() && (line.charAt(0) == ' ' || line.charAt(0) == '\t')) {
        if (name != null) {
          value.append(line);
        }
        continue;
      }
      if (name != null && names.contains(name) && !out.containsKey(name)) {
        out.put(name, value.toString().replaceAll("[ \t\r\n]+", " ").trim());
      }
      name = null;
      value.setLength(0);
      int colon = line.indexOf(':');
      if (colon > 0) {
        name = line.substring(0, colon).trim().toLowerCase(java.util.Locale.ROOT);
        value.append(line, colon + 1, line.length());
      }
    }
    if (name != null && names.contains(name) && !out.containsKey(name)) {
      out.put(name, value.toString().replaceAll("[ \t\r\n]+", " ").trim());
    }
    return out;
  }
}
