package io.mailops.archiver.index;

import static org.assertj.core.api.Assertions.assertThat;

import io.mailops.archiver.mime.MimeSplitter;
import io.mailops.storage.maildir.MaildirLayout;
import io.mailops.storage.maildir.MaildirStore;
import io.mailops.storage.sample.SampleGenerator;
import io.mailops.storage.sample.SampleSettings;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The MIME structure read on the bytes ({@link RawMime}, ADR 0044) gives the same index document
 * as Jakarta Mail's parse, message by message: on a generated sample store, on random messages
 * full of the edge cases of {@code MimeMultipart.parse}, and on the benchmark stores when they
 * are there. Where {@link RawMime} is unsure, the parser falls back to Jakarta Mail, so those
 * messages are equal by construction; the share read on the bytes is asserted too, so that the
 * fast path cannot quietly stop being taken.
 */
class MessageParserOnTheBytesTest {

  private static final Instant ARCHIVED = Instant.parse("2025-01-02T03:04:05Z");

  @TempDir
  Path tmp;

  /** Messages compared, and how many of them were read on the bytes. */
  private record Tally(int messages, int onTheBytes) {}

  private static boolean sameDocument(byte[] raw, String what) {
    List<MimeSplitter.Attachment> attachments = MimeSplitter.attachments(raw);
    MessageDocument jakarta = MessageParser.parse("id", raw, attachments, "src", ARCHIVED, true);
    MessageDocument bytes = MessageParser.parse("id", raw, attachments, "src", ARCHIVED, false);
    assertThat(bytes).as(what).isEqualTo(jakarta);
    return MessageParser.readsOnTheBytes(raw, attachments);
  }

  private static Tally compareFiles(Path root) throws IOException {
    List<Path> files;
    try (Stream<Path> walk = Files.walk(root)) {
      files = walk.filter(Files::isRegularFile)
          .filter(p -> p.getParent().getFileName().toString().matches("cur|new"))
          .sorted().toList();
    }
    int fast = 0;
    for (Path f : files) {
      if (sameDocument(Files.readAllBytes(f), f.toString())) {
        fast++;
      }
    }
    return new Tally(files.size(), fast);
  }

  @Test
  void theSampleStoreShouldGiveTheSameDocumentsAndNearlyAllOnTheBytes() throws IOException {
    try (MaildirStore store = new MaildirStore(tmp.resolve("sample"), MaildirLayout.standard(),
        MaildirStore.Settings.defaults())) {
      SampleGenerator.generate(store, new SampleSettings(2, 3, 120, 11L),
          SampleGenerator.Listener.NONE);
    }
    Tally t = compareFiles(tmp.resolve("sample"));
    assertThat(t.messages()).isGreaterThan(600);
    // the sample's message/rfc822 forwards go to Jakarta Mail on purpose; nothing else should
    assertThat(t.onTheBytes()).as("read on the bytes of %d", t.messages())
        .isGreaterThan(t.messages() * 9 / 10);
  }

  /** The benchmark stores (bench/archive.sh), when a developer has them. */
  @Test
  void theBenchmarkStoresShouldGiveTheSameDocuments() throws IOException {
    for (String name : List.of("mixed", "big")) {
      Path store = Path.of("..", "bench", "out", "archive", name);
      if (!Files.isDirectory(store)) {
        continue;
      }
      Tally t = compareFiles(store);
      System.out.printf("MessageParserOnTheBytesTest: %s store: %d messages, %d read on the bytes%n",
          name, t.messages(), t.onTheBytes());
      assertThat(t.onTheBytes()).as(name).isGreaterThan(t.messages() * 9 / 10);
    }
  }

  @Test
  void randomMessagesFullOfEdgeCasesShouldGiveTheSameDocuments() {
    Random r = new Random(20261123L);
    int fast = 0;
    int n = 6000;
    for (int i = 0; i < n; i++) {
      String eol = r.nextInt(4) == 0 ? "\n" : "\r\n";
      StringBuilder m = new StringBuilder();
      m.append("From: a@example.org").append(eol).append("Subject: m").append(i).append(eol);
      if (r.nextInt(8) == 0) {
        m.append("X-Long: first").append(eol).append("\tsecond").append(eol);
      }
      entity(r, m, eol, 0);
      byte[] raw = mangle(r, m.toString()).getBytes(StandardCharsets.UTF_8);
      if (sameDocument(raw, "message " + i + ":\n" + new String(raw, StandardCharsets.UTF_8))) {
        fast++;
      }
    }
    assertThat(fast).as("read on the bytes of %d", n).isGreaterThan(n / 3);
  }

  private static final String[] LEAF_TYPES = {"text/plain; charset=utf-8",
      "text/plain; charset=\"iso-8859-1\"", "text/plain", "text/html; charset=utf-8",
      "TEXT/HTML", "image/png; name=\"a b.png\"", "application/pdf; name=r.pdf",
      "application/octet-stream", "text/plain; name=notes.txt", "text/plain; charset=x-unknown",
      "text/plain;\r\n charset=utf-8", "image/gif; name*=UTF-8''%C3%A4.gif", "text/plain; (c) x",
      "text/plain; charset=utf-8; format=flowed"};
  private static final String[] ENCODINGS = {null, "7bit", "8bit", "quoted-printable", "base64",
      "Base64 ", "QUOTED-PRINTABLE", "binary", "x-uuencode", "base64 (comment)", ""};
  private static final String[] DISPOSITIONS = {null, "inline", "attachment",
      "attachment; filename=\"x.bin\"", "ATTACHMENT; filename=y.txt", "inline; filename=z.png",
      "attachment; filename*=UTF-8''%E2%82%AC.txt", "attachment; filename=\"=?UTF-8?Q?=C3=A4?=.txt\"",
      "attach;;ment"};
  private static final String[] MULTIPARTS = {"mixed", "alternative", "related", "signed"};

  private static void entity(Random r, StringBuilder m, String eol, int depth) {
    boolean multipart = depth < 3 && r.nextInt(depth == 0 ? 2 : 4) == 0;
    if (multipart) {
      String boundary = r.nextInt(6) == 0 ? "b" + depth : "----=_Part_" + depth + "_" + r.nextInt(1000);
      String quoted = r.nextBoolean() ? "\"" + boundary + "\"" : boundary;
      switch (r.nextInt(10)) {
        case 0 -> m.append("Content-Type: multipart/").append(pick(r, MULTIPARTS)).append(eol)
            .append(" ; boundary=").append(quoted).append(eol);
        case 1 -> m.append("Content-Type: multipart/mixed").append(eol);   // no boundary
        default -> m.append("content-type: multipart/").append(pick(r, MULTIPARTS))
            .append("; boundary=").append(quoted).append(eol);
      }
      if (r.nextInt(10) == 0) {
        m.append("Content-Transfer-Encoding: base64").append(eol);
      }
      m.append(eol);
      if (r.nextBoolean()) {
        m.append("This is a multi-part message in MIME format.").append(eol);
      }
      if (r.nextInt(10) == 0) {
        m.append("--").append(boundary).append("x not it").append(eol);
      }
      int parts = r.nextInt(4);
      for (int p = 0; p < parts; p++) {
        m.append("--").append(boundary);
        if (r.nextInt(8) == 0) {
          m.append(r.nextBoolean() ? "  " : " \t");
        }
        m.append(eol);
        if (r.nextInt(12) == 0) {
          m.append(eol).append("no headers in this part").append(eol);
        } else {
          entity(r, m, eol, depth + 1);
        }
        if (r.nextInt(10) == 0) {
          m.append("--").append(boundary).append("-not-the-end").append(eol);
        }
        if (r.nextInt(6) == 0) {
          m.append(eol);
        }
      }
      switch (r.nextInt(12)) {
        case 0 -> { }   // no close delimiter
        case 1 -> m.append("--").append(boundary).append("--");
        case 2 -> m.append("--").append(boundary).append("--  trailing").append(eol)
            .append("epilogue").append(eol);
        default -> m.append("--").append(boundary).append("--").append(eol);
      }
      return;
    }
    String type = r.nextInt(10) == 0 ? null : pick(r, LEAF_TYPES);
    if (type != null) {
      m.append(r.nextInt(5) == 0 ? "Content-type : " : "Content-Type: ")
          .append(type.replace("\r\n", eol)).append(eol);
    }
    String encoding = pick(r, ENCODINGS);
    if (encoding != null) {
      m.append("Content-Transfer-Encoding: ").append(encoding).append(eol);
    }
    String disposition = pick(r, DISPOSITIONS);
    if (disposition != null) {
      m.append("Content-Disposition: ").append(disposition).append(eol);
    }
    if (r.nextInt(15) == 0) {
      m.append("Content-Type: text/html").append(eol);   // a second one: the first counts
    }
    m.append(eol);
    String e = encoding == null ? "" : encoding.strip().toLowerCase();
    String text = "Grüße, <b>bold</b> & Zeile " + r.nextInt(1_000_000);
    if (e.startsWith("base64")) {
      String b64 = java.util.Base64.getMimeEncoder(r.nextBoolean() ? 76 : 20,
          eol.getBytes(StandardCharsets.US_ASCII)).encodeToString(
          (text + " " + "x".repeat(r.nextInt(3000))).getBytes(StandardCharsets.UTF_8));
      m.append(r.nextInt(10) == 0 ? b64.substring(0, b64.length() / 2) + "*!" : b64);
    } else if (e.equals("quoted-printable")) {
      m.append("Gr=C3=BC=C3=9Fe, soft=").append(eol).append("break =3D ").append(text);
    } else {
      m.append(text).append(eol).append("--not a boundary").append(eol).append("last line");
    }
    if (r.nextInt(5) != 0) {
      m.append(eol);
    }
  }

  /** Now and then a lone CR, a header line without a colon, or a truncation. */
  private static String mangle(Random r, String m) {
    return switch (r.nextInt(30)) {
      case 0 -> m.replaceFirst("\n", "\r");
      case 1 -> m.replaceFirst("Subject:", "Subject");
      case 2 -> m.substring(0, m.length() * 3 / 4);
      case 3 -> m.replaceFirst("\r?\n\r?\n", "\n \n");
      default -> m;
    };
  }

  private static String pick(Random r, String[] values) {
    return values[r.nextInt(values.length)];
  }

  @Test
  void theEdgesOfTheBoundaryShouldBeJakartaMails() {
    List<String> cases = new ArrayList<>();
    cases.add("Content-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\n\r\nbody\r\n--b--\r\n");
    cases.add("Content-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\n\r\n--b\r\n\r\nx\r\n--b--");
    cases.add("Content-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\n\r\nx\r--b--\r\n");
    cases.add("Content-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\n\r\nx\n\r\n--b--\r\n");
    cases.add("Content-Type: multipart/mixed; boundary=b\r\n\r\n--b--\r\n");
    cases.add("Content-Type: multipart/mixed; boundary=b\r\n\r\n--b \r\n\r\nx\r\n--b\t\r\n\r\ny\r\n--b--");
    cases.add("Content-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\n\r\nx--b\r\ny\r\n--b--\r\n");
    cases.add("Content-Type: multipart/mixed; boundary=\"\"\r\n\r\n--\r\n\r\nx\r\n----\r\n");
    cases.add("Content-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\nContent-Type: text/plain\r\n"
        + "\r\n\r\n--b--\r\n");
    for (String c : cases) {
      sameDocument(c.getBytes(StandardCharsets.UTF_8), c);
    }
  }
}
