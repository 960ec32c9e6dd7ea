package io.mailops.archiver.index;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.mail.internet.MimeUtility;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashSet;
import java.util.Random;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The index parser's shortcuts against what they replace: {@link QuotedPrintable} against Jakarta
 * Mail's decoder stream, the header unfolding against its regex, the plain-address test against
 * the loose address pattern.
 */
class ParserShortcutsTest {

  private static byte[] reference(byte[] encoded, int limit) throws Exception {
    try (InputStream in = MimeUtility.decode(new ByteArrayInputStream(encoded),
        "quoted-printable")) {
      return in.readNBytes(limit);
    }
  }

  private static void same(byte[] encoded, int limit) throws Exception {
    assertThat(QuotedPrintable.decode(encoded, limit))
        .as("decode of %s", new String(encoded, StandardCharsets.ISO_8859_1)
            .replace("\r", "\\r").replace("\n", "\\n"))
        .isEqualTo(reference(encoded, limit));
  }

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.ISO_8859_1);
  }

  @Test
  void ordinaryQuotedPrintableShouldDecodeAsRfc2045Says() throws Exception {
    byte[] text = ascii("Gr=C3=BC=C3=9Fe aus K=C3=B6ln,=\r\nbis bald.  \r\nTabs\tstay\t\r\n");
    assertThat(new String(QuotedPrintable.decode(text, 1000), StandardCharsets.UTF_8))
        .isEqualTo("Grüße aus Köln,bis bald.\r\nTabs\tstay\t\r\n");
    same(text, 1000);
  }

  @Test
  void malformedAndEdgeInputsShouldDecodeExactlyAsJakartaMailDoes() throws Exception {
    String[] cases = {"", "=", "==", "=A", "=\r", "=\n", "=\r=", "= \r\n", "=G1", "=4", "=4g",
      "=-1x", "=-5", "=-", "=-g", "a=-1b=-1c", "=-1=-1z", "x  ", "x  \n", "x  y", "  ", " = ",
      "=\r\r", "=\rA", "a =\r\n b", "=ff=FF=fF", "\r\n\r\n", "= =", "==41", "=0", "=\u00ff1"};
    for (String c : cases) {
      for (int limit : new int[] {0, 1, 2, 3, 100}) {
        same(ascii(c), limit);
      }
    }
  }

  @Test
  void randomInputsShouldDecodeExactlyAsJakartaMailDoes() throws Exception {
    byte[] alphabet = ascii("=  \r\n\t-1AfF09gx\u00ff\u00c3");
    Random random = new Random(6);
    for (int round = 0; round < 20_000; round++) {
      byte[] in = new byte[random.nextInt(40)];
      for (int i = 0; i < in.length; i++) {
        in[i] = alphabet[random.nextInt(alphabet.length)];
      }
      same(in, random.nextInt(4) == 0 ? random.nextInt(20) : 1000);
    }
  }

  @Test
  void longTextsShouldDecodeExactlyAsJakartaMailDoesAcrossItsReadBuffer() throws Exception {
    // readNBytes reads 8 kB at a time: "=-1" (-1 from the stream) stops it only at a call start
    Random random = new Random(60);
    for (int round = 0; round < 200; round++) {
      StringBuilder s = new StringBuilder();
      while (s.length() < 30_000) {
        switch (random.nextInt(8)) {
          case 0 -> s.append("=-1");
          case 1 -> s.append("=\r\n");
          case 2 -> s.append("  \r\n");
          case 3 -> s.append("=C3=A4");
          default -> s.append("word ");
        }
      }
      byte[] in = ascii(s.toString());
      same(in, 4 * 1024 * 1024);
      same(in, 8192 + random.nextInt(20_000));
    }
  }

  @Test
  void headerLinesShouldLoseTheirLineBreaksAsReplaceAllDid() {
    String[] cases = {"", "a", "\n", "\r", "\r\n", "a\r\n b", "a\n\tb\r", "\r\r\n\n",
      "x\ry\r\nz\n"};
    for (String c : cases) {
      assertThat(MessageParser.unfoldLines(c)).isEqualTo(c.replaceAll("\r?\n", ""));
    }
    Random random = new Random(7);
    for (int round = 0; round < 2_000; round++) {
      StringBuilder s = new StringBuilder();
      for (int i = random.nextInt(12); i > 0; i--) {
        s.append("ab\r\n \t".charAt(random.nextInt(6)));
      }
      String c = s.toString();
      assertThat(MessageParser.unfoldLines(c)).isEqualTo(c.replaceAll("\r?\n", ""));
    }
  }

  @Test
  void aPlainAddressShouldBeOneWhereTheLooseAddressPatternMatchesAllOfIt() {
    Pattern loose = MessageParser.LOOSE_ADDRESS;
    String alphabet = "ab@.-_ <>,;:\"()[]\t\u000b\u00e9";
    Random random = new Random(8);
    int plain = 0;
    for (int round = 0; round < 50_000; round++) {
      StringBuilder s = new StringBuilder();
      for (int i = random.nextInt(10); i > 0; i--) {
        s.append(alphabet.charAt(random.nextInt(random.nextBoolean() ? 5 : alphabet.length())));
      }
      String a = s.toString();
      Matcher m = loose.matcher(a);
      boolean whole = m.find() && m.start() == 0 && m.end() == a.length() && !m.find();
      assertThat(MessageParser.plainAddress(a)).as("'%s'", a).isEqualTo(whole);
      plain += whole ? 1 : 0;
    }
    assertThat(plain).isGreaterThan(1_000);
  }

  @Test
  void aCommonAddressListShouldGiveWhatJakartaMailsParserGives() {
    String[] names = {"", "Bob", "Dave O'Brien", "\"Martin, Sam (Accounts)\"", "=?UTF-8?B?w5Z6?=",
        "\"a<b\"", "J. Doe", "\"\"", "x@y", "(c)", "Ü", "\"q\\\"x\"", "a:b", "\"open"};
    String[] addresses = {"bob@example.org", "Carol@Example.NET", "a.b+c@d-e.f", "local",
        "@x", "a@", "a@b@c", "", "a b@c", "[1.2.3.4]", "\"q\"@x"};
    String[] separators = {", ", ",", " ,\t", ",,", ";"};
    Random random = new Random(9);
    int simple = 0;
    int rounds = 40_000;
    for (int round = 0; round < rounds; round++) {
      StringBuilder v = new StringBuilder();
      for (int k = random.nextInt(4) + (random.nextInt(10) == 0 ? 0 : 1); k > 0; k--) {
        if (v.length() > 0 || random.nextInt(20) == 0) {
          v.append(separators[random.nextInt(random.nextInt(4) == 0 ? separators.length : 1)]);
        }
        String a = addresses[random.nextInt(random.nextInt(3) == 0 ? addresses.length : 3)];
        String name = names[random.nextInt(names.length)];
        switch (random.nextInt(6)) {
          case 0 -> v.append(a);
          case 1 -> v.append(a).append(" (").append(name).append(')');
          case 2 -> v.append('<').append(a).append('>');
          case 3 -> v.append(name).append(" <").append(a).append(">").append(random.nextBoolean() ? "" : " ");
          default -> v.append(name).append(random.nextBoolean() ? " <" : "<").append(a).append('>');
        }
      }
      if (random.nextInt(30) == 0) {
        v.insert(random.nextInt(v.length() + 1), "<>\"(),:;".charAt(random.nextInt(8)));
      }
      String value = v.toString();
      Set<String> fast = new LinkedHashSet<>();
      Set<String> slow = new LinkedHashSet<>();
      MessageParser.parsedAddresses(value, slow);
      if (MessageParser.simpleAddresses(value, fast)) {
        simple++;
        assertThat(fast).as("'%s'", value).containsExactlyElementsOf(slow);
      } else {
        assertThat(fast).as("'%s' added nothing when it gave up", value).isEmpty();
      }
    }
    assertThat(simple).as("read without Jakarta Mail of %d", rounds).isGreaterThan(rounds / 8);
  }
}
