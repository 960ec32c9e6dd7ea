package io.mailops.archiver.index;

import static org.assertj.core.api.Assertions.assertThat;

import io.mailops.storage.FolderScan;
import io.mailops.storage.MailStore;
import io.mailops.storage.maildir.MaildirLayout;
import io.mailops.storage.maildir.MaildirStore;
import io.mailops.storage.model.AccountId;
import io.mailops.storage.model.FolderPath;
import io.mailops.storage.model.MessageRef;
import io.mailops.storage.sample.SampleGenerator;
import io.mailops.storage.sample.SampleSettings;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The index parser walks the MIME structure itself (ADR 0023); it must give the same document,
 * field for field, as the Jakarta Mail tree it replaced ({@link JakartaMessageParser}), so every
 * search finds what it found before: on the sample store, on hand-made MIME edge cases (HTML,
 * nested multiparts, attachments, non-UTF-8 charsets, encoded words, broken structures) and on
 * those cut and damaged at random.
 */
class MessageParserEquivalenceTest {

  private static final Instant ARCHIVED = Instant.parse("2025-01-02T03:04:05Z");

  /**
   * The same document as Jakarta Mail's tree over the whole message, and (unless {@code
   * damagedOnly}) as the parser before this one, which gave Jakarta Mail the message with its
   * large base64 attachments cut out where {@link io.mailops.archiver.mime.MimeSplitter} found
   * them: the two differ only where a damaged message makes the splitter and Jakarta Mail
   * disagree on where a part ends (a last line {@code --boundary} at the very end of the input
   * ends the part for the splitter, not for Jakarta Mail).
   */
  private static void assertSame(String what, byte[] raw, boolean damaged) {
    if (!damaged) {
      assertSame(what + " (as before)", raw,
          JakartaMessageParser.parse("id", raw, "src", ARCHIVED));
    }
    assertSame(what, raw, JakartaMessageParser.parse("id", raw, List.of(), "src", ARCHIVED));
  }

  private static void assertSame(String what, byte[] raw, MessageDocument before) {
    MessageDocument after = MessageParser.parse("id", raw, "src", ARCHIVED);
    if (!after.equals(before)) {   // short enough to read: the message's first and last bytes
      String text = new String(raw, StandardCharsets.ISO_8859_1);
      String shown = text.length() <= 1200 ? text
          : text.substring(0, 600) + "\n[...]\n" + text.substring(text.length() - 600);
      assertThat(brief(after)).as(what + ":\n" + shown).isEqualTo(brief(before));
      assertThat(after).as(what).isEqualTo(before);
    }
  }

  private static String brief(MessageDocument d) {
    String body = d.body().length() <= 400 ? d.body()
        : d.body().substring(0, 200) + "[...]" + d.body().substring(d.body().length() - 200);
    return d.subject() + " | " + d.from() + " | " + d.attachments() + " | " + body;
  }

  @Test
  void theSampleStoreShouldGiveTheSameDocumentsAsJakartaMail(@TempDir Path tmp)
      throws IOException {
    try (MaildirStore store = new MaildirStore(tmp, MaildirLayout.standard(),
        MaildirStore.Settings.defaults())) {
      SampleGenerator.generate(store, new SampleSettings(2, 3, 80, 7),
          SampleGenerator.Listener.NONE);
      compareAll(store);
    }
  }

  private static void compareAll(MailStore store) throws IOException {
    int messages = 0;
    int withAttachments = 0;
    for (AccountId account : store.accounts()) {
      for (FolderPath folder : store.folders(account)) {
        FolderScan scan = store.scan(account, folder);
        for (MessageRef m : scan.messages()) {
          byte[] raw;
          try (InputStream in = store.open(account, m)) {
            raw = in.readAllBytes();
          }
          assertSame(account + "/" + folder + "/" + m.key(), raw, false);
          messages++;
          if (!MessageParser.parse("id", raw, "src", ARCHIVED).attachments().isEmpty()) {
            withAttachments++;
          }
        }
      }
    }
    assertThat(messages).isGreaterThan(400);
    assertThat(withAttachments).isGreaterThan(20);
  }

  @Test
  void handMadeMimeCasesShouldGiveTheSameDocumentsAsJakartaMail() {
    List<byte[]> cases = cases();
    for (int i = 0; i < cases.size(); i++) {
      assertSame("case " + i, cases.get(i), false);
    }
  }

  @Test
  void cutAndDamagedMessagesShouldGiveTheSameDocumentsAsJakartaMail() {
    SplittableRandom random = new SplittableRandom(23);
    List<byte[]> cases = cases();
    for (int i = 0; i < cases.size(); i++) {
      byte[] raw = cases.get(i);
      for (int k = 0; k < 24 && raw.length > 0; k++) {
        byte[] damaged = switch (k % 4) {
          case 0 -> Arrays.copyOf(raw, random.nextInt(raw.length));       // cut off
          case 1 -> dropLine(raw, random);                                   // a line lost
          case 2 -> Arrays.copyOf(raw, raw.length - random.nextInt(1,
              Math.min(raw.length, 40) + 1));                                // the tail lost
          default -> flip(raw, random);                                      // a byte changed
        };
        assertSame("case " + i + " damaged " + k, damaged, true);
      }
    }
  }

  /** Both line-end styles of each message: CRLF as sent, LF as stored by many MTAs. */
  private static List<byte[]> cases() {
    List<String> texts = List.of(
        // HTML alternative with a stylesheet and entities
        """
        From: "Alice" <alice@example.com>
        To: bob@example.org
        Subject: html
        Content-Type: multipart/alternative; boundary="b1"

        --b1
        Content-Type: text/plain; charset=utf-8

        Plain words.
        --b1
        Content-Type: text/html; charset=utf-8
        Content-Transfer-Encoding: quoted-printable

        <html><head><style>p {color: red}</style></head><body><p>Html <b>bold</b> &amp; =
        words caf=C3=A9</p></body></html>
        --b1--
        """,
        // nested multiparts three deep, an inline image, a forwarded message with an attachment
        """
        From: a@example.com
        Subject: nested
        Content-Type: multipart/mixed; boundary=outer

        preamble text
        --outer
        Content-Type: multipart/related; boundary="rel"

        --rel
        Content-Type: multipart/alternative; boundary=alt

        --alt
        Content-Type: text/plain

        deep plain
        --alt
        Content-Type: text/html

        <p>deep html</p>
        --alt--
        --rel
        Content-Type: image/png
        Content-ID: <img1>
        Content-Transfer-Encoding: base64

        iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5E
        rkJggg==
        --rel--
        --outer
        Content-Type: message/rfc822

        From: inner@example.com
        Subject: inner
        Content-Type: multipart/mixed; boundary=in

        --in
        Content-Type: text/plain

        inner words
        --in
        Content-Type: application/pdf; name="inner.pdf"
        Content-Transfer-Encoding: base64

        JVBERi0xLjQKJcfsj6IKNSAwIG9iago8PC9MZW5ndGggNiAwIFI+PgpzdHJlYW0K
        --in--

        --outer--
        epilogue
        """,
        // attachments: disposition, name only, RFC 2231, encoded word, quoted-printable, 7bit,
        // unknown encoding, uuencode
        """
        From: a@example.com
        Content-Type: multipart/mixed; boundary="=_mix 1"

        --=_mix 1
        Content-Type: text/plain; charset=us-ascii

        See attached.
        --=_mix 1
        Content-Type: application/pdf; name="=?UTF-8?Q?Pr=C3=BCfbericht=2Epdf?="
        Content-Disposition: attachment
        Content-Transfer-Encoding: base64

        JVBERi0xLjQK
        --=_mix 1
        Content-Type: application/octet-stream
        Content-Disposition: attachment;
         filename*0*=iso-8859-1''Sch%F6ne%20lange%20;
         filename*1*=Datei.bin
        Content-Transfer-Encoding: base64

        AAEC
        --=_mix 1
        Content-Type: text/csv; name=table.csv
        Content-Disposition: attachment; filename=table.csv
        Content-Transfer-Encoding: quoted-printable

        a,b=3Dc,d=
        e
        --=_mix 1
        Content-Type: text/plain
        Content-Disposition: inline; filename="notes.txt"

        inline named text is an attachment
        --=_mix 1
        Content-Type: application/x-thing; name=odd.bin
        Content-Transfer-Encoding: x-weird

        whatever
        --=_mix 1
        Content-Type: application/octet-stream; name=uu.bin
        Content-Transfer-Encoding: uuencode

        begin 644 uu.bin
        #86)C
        `
        end
        --=_mix 1--
        """,
        // encoded-word subject and names, folded headers
        """
        From: =?UTF-8?Q?J=C3=BCrgen?= <juergen@example.de>
        To: =?ISO-8859-1?Q?Fran=E7ois?= <f@example.fr>
        Subject: =?UTF-8?B?R3LDvMOfZSBhdXMgTcO8bmNoZW4=?=
         =?ISO-8859-1?Q?_und_K=F6ln?=
        Content-Type: multipart/mixed;
         boundary=XYZ

        --XYZ
        Content-Type: text/plain; charset="iso-8859-15"
        Content-Transfer-Encoding: quoted-printable

        Gr=FC=DFe =A4 f=FCr alle
        --XYZ--
        """,
        // no boundary parameter: Jakarta Mail takes the first line starting with --
        """
        From: a@example.com
        Content-Type: multipart/mixed

        ------------------------------
        --guess
        Content-Type: text/plain

        guessed boundary text
        --guess
        Content-Type: application/zip; name=g.zip

        UEsDBA==
        --guess--
        """,
        // boundary lines with trailing blanks, a boundary-like line in a body, no end boundary
        "From: a@example.com\nContent-Type: multipart/mixed; boundary=tb\n\n--tb  \t\n"
            + "Content-Type: text/plain\n\nbody with --tb-not-a-boundary\n--tbx too\n--tb \n"
            + "Content-Type: application/zip; name=last.zip\n\nUEsDBA== and no end",
        // close delimiter first, then parts: no start boundary
        "From: a@example.com\nContent-Type: multipart/mixed; boundary=c\n\n--c--\n--c\n"
            + "Content-Type: text/plain\n\nafter close\n--c--\n",
        // a part without headers, an empty part, a part cut off inside its headers
        "From: a@example.com\nContent-Type: multipart/mixed; boundary=e\n\n--e\n\nno headers"
            + " at all\n--e\n--e\nContent-Type: text/plain\n\n--e\nContent-Type: text/plain\n"
            + "X-Cut: here",
        // multipart/digest (parts default to text/plain here, as in Jakarta Mail)
        """
        From: list@example.org
        Subject: digest
        Content-Type: multipart/digest; boundary=d

        --d

        From: one@example.org
        Subject: first

        first digest item
        --d
        Content-Type: message/rfc822

        From: two@example.org
        Subject: second

        second digest item
        --d--
        """,
        // a forwarded message labelled base64 (encoding ignored for message/*), Message/RFC822
        "From: a@example.com\nContent-Type: multipart/mixed; boundary=f\n\n--f\n"
            + "Content-Type: Message/RFC822\nContent-Transfer-Encoding: base64\n\n"
            + "From: x@example.com\nSubject: fwd\n\nforwarded plain\n--f\n"
            + "Content-Type: message/rfc822\nContent-Transfer-Encoding: quoted-printable\n\n"
            + "From: y@example.com\n\nq=3Dp forwarded\n--f--\n",
        // raw 8-bit header values in a part (read as ISO-8859-1 there) and in the message (UTF-8)
        "From: Jürgen <j@example.de>\nSubject: Größe\nContent-Type: multipart/mixed; boundary=u\n\n"
            + "--u\nContent-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: 8bit\n\n"
            + "Schöne Grüße, 你好\n--u\nContent-Type: application/pdf; name=\"Übersicht.pdf\"\n\n"
            + "%PDF\n--u--\n",
        // unknown charset, charset with quotes and a comment, a broken content type
        """
        From: a@example.com
        Content-Type: multipart/mixed; boundary=k

        --k
        Content-Type: text/plain; charset="x-no-such-charset"

        still readable
        --k
        Content-Type: text/plain; charset="windows-1252" (comment)
        Content-Transfer-Encoding: quoted-printable

        =93quoted=94 =80 price
        --k
        Content-Type: text/plain; charset=
        Content-Transfer-Encoding: base64

        aGVsbG8gYmFzZTY0IHRleHQ=
        --k
        Content-Type: ;;;broken

        broken type read as text
        --k
        Content-Type: text/html

        <div>unclosed <p>html
        --k--
        """,
        // not MIME, a single-part HTML message, a single-part attachment message
        "From: a@example.com\nSubject: plain\n\njust text\n",
        "From: a@example.com\nContent-Type: text/html; charset=utf-8\n"
            + "Content-Transfer-Encoding: base64\n\nPHA+SGFsbG8gPGI+V2VsdDwvYj48L3A+\n",
        "From: a@example.com\nContent-Type: application/pdf; name=whole.pdf\n"
            + "Content-Transfer-Encoding: base64\n\nJVBERi0xLjQK\n",
        "no headers or blank line",
        "",
        // garbage headers, a boundary in quotes with spaces, a preamble full of dashes
        ">From nobody\nthis is no header\nFrom: \"Broken <q@example.com>, <<oops@example.com\n"
            + "Content-Type: multipart/mixed; boundary=\"with space\"\n\n-----\n"
            + "--with space\nContent-Type: text/plain\n\nspaced\n--with space--\n");
    List<byte[]> out = new ArrayList<>();
    for (String t : texts) {
      out.add(t.getBytes(StandardCharsets.UTF_8));
      out.add(t.replace("\n", "\r\n").getBytes(StandardCharsets.UTF_8));
    }
    byte[] latin1 = ("From: a@example.com\nSubject: caf\u00e9\nContent-Type: text/plain;"
        + " charset=ISO-8859-1\nContent-Transfer-Encoding: 8bit\n\nCr\u00e8me br\u00fbl\u00e9e\n")
        .getBytes(StandardCharsets.ISO_8859_1);
    out.add(latin1);
    out.add(("From: a@example.com\nContent-Type: text/plain; charset=koi8-r\n\n")
        .concat("\u041f\u0440\u0438\u0432\u0435\u0442 \u043c\u0438\u0440\n")
        .getBytes(Charset.forName("KOI8-R")));
    out.add(("From: a@example.com\nContent-Type: multipart/mixed; boundary=j\n\n--j\n"
        + "Content-Type: text/plain; charset=Shift_JIS\n\n\u3053\u3093\u306b\u3061\u306f\n--j\n"
        + "Content-Type: text/plain; charset=ISO-2022-JP\nContent-Transfer-Encoding: base64\n\n"
        + Base64.getMimeEncoder().encodeToString("\u65e5\u672c\u8a9e\u306e\u30c6\u30ad\u30b9\u30c8"
            .getBytes(Charset.forName("ISO-2022-JP"))) + "\n--j--\n")
        .getBytes(Charset.forName("Shift_JIS")));
    byte[] big = new byte[200_000];
    new SplittableRandom(5).nextBytes(big);
    out.add(("From: a@example.com\r\nContent-Type: multipart/mixed; boundary=big\r\n\r\n--big\r\n"
        + "Content-Type: text/plain\r\n\r\nlarge one\r\n--big\r\nContent-Type: application/"
        + "octet-stream; name=big.bin\r\nContent-Transfer-Encoding: base64\r\n\r\n"
        + Base64.getMimeEncoder().encodeToString(big) + "\r\n--big--\r\n")
        .getBytes(StandardCharsets.US_ASCII));
    return out;
  }

  private static byte[] dropLine(byte[] raw, SplittableRandom random) {
    List<Integer> starts = new ArrayList<>();
    starts.add(0);
    for (int i = 0; i < raw.length; i++) {
      if (raw[i] == '\n' && i + 1 < raw.length) {
        starts.add(i + 1);
      }
    }
    int k = random.nextInt(starts.size());
    int from = starts.get(k);
    int to = k + 1 < starts.size() ? starts.get(k + 1) : raw.length;
    byte[] out = new byte[raw.length - (to - from)];
    System.arraycopy(raw, 0, out, 0, from);
    System.arraycopy(raw, to, out, from, raw.length - to);
    return out;
  }

  private static byte[] flip(byte[] raw, SplittableRandom random) {
    byte[] out = raw.clone();
    byte[] nasty = {'\n', '\r', '-', ' ', ':', ';', '"', '=', 'x'};
    out[random.nextInt(out.length)] = nasty[random.nextInt(nasty.length)];
    return out;
  }
}
