package io.mailops.archiver;

import io.mailops.archiver.index.LuceneArchiveIndex;
import io.mailops.archiver.index.MessageParser;
import io.mailops.storage.crypto.Argon2id;
import io.mailops.storage.memory.InMemoryMailStore;
import io.mailops.storage.model.AccountId;
import io.mailops.storage.model.Flags;
import io.mailops.storage.model.FolderPath;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import java.util.Random;

/** Test messages, stores and archive options. */
final class Mails {

  static final char[] PASSWORD = "Correct-Horse-42".toCharArray();
  static final AccountId ALICE = AccountId.of("alice@example.com");
  static final AccountId BOB = AccountId.of("bob@example.com");
  static final Instant T0 = Instant.parse("2026-03-10T10:00:00Z");

  private Mails() {}

  /** Fast KDF, the Lucene index and parser, a fixed clock. */
  static ArchiveOptions options() {
    return options(Clock.fixed(T0, ZoneOffset.UTC));
  }

  static ArchiveOptions options(Clock clock) {
    return ArchiveOptions.of(LuceneArchiveIndex::open, DocumentParser.of(MessageParser::parse,
        MessageParser::parse))
        .withKdf(new Argon2id.Params(64, 1, 1)).withClock(clock).withIndexBatch(7);
  }

  static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  static byte[] plain(int n) {
    return bytes("From: sender" + n + "@example.org\r\nTo: alice@example.com\r\nSubject: hello "
        + n + "\r\nDate: Tue, 10 Mar 2026 09:00:00 +0000\r\nMessage-ID: <m" + n
        + "@example.org>\r\n\r\nbody number " + n + "\r\n");
  }

  static String base64(byte[] data) {
    return Base64.getMimeEncoder().encodeToString(data);
  }

  static byte[] random(int n, long seed) {
    byte[] b = new byte[n];
    new Random(seed).nextBytes(b);
    return b;
  }

  /** A multipart/mixed message with a text part and one base64 attachment. */
  static byte[] withAttachment(String subject, String fileName, byte[] attachment) {
    return bytes("From: carol@example.org\r\nTo: alice@example.com\r\nSubject: " + subject
        + "\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"b1\"\r\n\r\n"
        + "preamble\r\n--b1\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nsee attached\r\n"
        + "--b1\r\nContent-Type: application/pdf; name=\"" + fileName + "\"\r\n"
        + "Content-Disposition: attachment; filename=\"" + fileName + "\"\r\n"
        + "Content-Transfer-Encoding: base64\r\n\r\n" + base64(attachment) + "\r\n--b1--\r\n"
        + "epilogue\r\n");
  }

  /** Varied messages: nested multiparts, 8-bit, LF line ends, not MIME, malformed, large. */
  static List<byte[]> varied() {
    byte[] nested = bytes("From: d@example.org\r\nSubject: nested\r\nMIME-Version: 1.0\r\n"
        + "Content-Type: multipart/mixed;\r\n boundary=outer\r\n\r\n--outer\r\n"
        + "Content-Type: multipart/alternative; boundary=\"inner\"\r\n\r\n--inner\r\n"
        + "Content-Type: text/plain\r\n\r\nplain\r\n--inner\r\nContent-Type: text/html\r\n\r\n"
        + "<p>html</p>\r\n--inner--\r\n--outer\r\nContent-Type: image/png; name=a.png\r\n"
        + "Content-Transfer-Encoding: base64\r\n\r\n" + base64(random(3000, 1))
        + "\r\n--outer\r\nContent-Type: message/rfc822\r\n\r\nSubject: inner\r\n"
        + "Content-Type: multipart/mixed; boundary=x\r\n\r\n--x\r\n"
        + "Content-Disposition: attachment; filename=notes.txt\r\n\r\nsome notes\r\n--x--\r\n"
        + "\r\n--outer--\r\n");
    byte[] eightBit = "From: é@example.org\nSubject: Grüße\nContent-Type: text/plain;"
        .concat(" charset=latin1\nContent-Transfer-Encoding: 8bit\n\nMit freundlichen Grüßen\n")
        .getBytes(StandardCharsets.ISO_8859_1);
    byte[] lfOnly = bytes("From: e@example.org\nMIME-Version: 1.0\nContent-Type: multipart/mixed;"
        + " boundary=zz\n\n--zz\nContent-Type: text/plain\n\nhi\n--zz\nContent-Type:"
        + " application/octet-stream; name=blob.bin\n\n" + base64(random(500, 2)) + "\n--zz--\n");
    byte[] notMime = bytes("just some bytes without headers or blank line");
    byte[] malformed = bytes("From: f@example.org\r\nContent-Type: multipart/mixed\r\n\r\n"
        + "--nob\r\nContent-Type: application/pdf; name=x.pdf\r\n\r\nAAAA\r\n");
    byte[] unclosed = bytes("From: g@example.org\r\nContent-Type: multipart/mixed; boundary=q\r\n"
        + "\r\n--q\r\nContent-Type: application/zip; name=z.zip\r\n\r\nUEsDBA==\r\n--q\r\n"
        + "Content-Type: application/zip; name=y.zip\r\n\r\ntrailing without close");
    byte[] binary = random(10_000, 3);
    byte[] large = withAttachment("large", "big.bin", random(3 * 1024 * 1024 + 17, 4));
    return List.of(plain(1), withAttachment("one", "a.pdf", random(1234, 5)), nested, eightBit,
        lfOnly, notMime, malformed, unclosed, binary, large, new byte[0]);
  }

  static InMemoryMailStore store(AccountId account, List<byte[]> messages) throws IOException {
    InMemoryMailStore s = InMemoryMailStore.of(account);
    for (byte[] m : messages) {
      append(s, account, FolderPath.INBOX, m);
    }
    return s;
  }

  static void append(InMemoryMailStore s, AccountId account, FolderPath folder, byte[] m)
      throws IOException {
    s.createFolder(account, folder);
    s.append(account, folder, new ByteArrayInputStream(m), Flags.NONE, T0);
  }
}
