package io.mailops.archiver.index;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class MessageParserTest {

  private static final Instant ARCHIVED = Instant.parse("2025-01-02T03:04:05Z");

  private static MessageDocument parse(String raw) {
    return MessageParser.parse("id-1", raw.replace("\n", "\r\n").getBytes(StandardCharsets.UTF_8),
        "maildir:/var/vmail", ARCHIVED);
  }

  @Test
  void multipartAlternativeShouldIndexPlainTextAndHtmlReducedToText() {
    MessageDocument doc = parse("""
        From: "Alice Example" <Alice@Example.COM>
        To: bob@example.org, "Carol, Q." <carol@example.net>
        Cc: Dave <dave@example.com>
        Subject: Quarterly report
        Date: Tue, 5 Mar 2024 10:15:00 +0100
        Message-ID: <abc.123@mail.example.com>
        MIME-Version: 1.0
        Content-Type: multipart/alternative; boundary="b1"

        --b1
        Content-Type: text/plain; charset=utf-8

        Plain words here.
        --b1
        Content-Type: text/html; charset=utf-8

        <html><head><style>p {color: red}</style></head><body><p>Html <b>bold</b> words</p></body></html>
        --b1--
        """);

    assertThat(doc.id()).isEqualTo("id-1");
    assertThat(doc.from()).containsExactly("alice@example.com");
    assertThat(doc.to()).containsExactly("bob@example.org", "carol@example.net");
    assertThat(doc.cc()).containsExactly("dave@example.com");
    assertThat(doc.subject()).isEqualTo("Quarterly report");
    assertThat(doc.date()).isEqualTo(Instant.parse("2024-03-05T09:15:00Z"));
    assertThat(doc.messageId()).isEqualTo("abc.123@mail.example.com");
    assertThat(doc.body()).contains("Plain words here.").contains("Html bold words")
        .doesNotContain("<b>").doesNotContain("color");
    assertThat(doc.attachments()).isEmpty();
    assertThat(doc.source()).isEqualTo("maildir:/var/vmail");
    assertThat(doc.archivedAt()).isEqualTo(ARCHIVED);
  }

  @Test
  void encodedWordsShouldBeDecodedInSubjectAndAttachmentName() {
    MessageDocument doc = parse("""
        From: =?UTF-8?Q?J=C3=BCrgen?= <juergen@example.de>
        To: team@example.de
        Subject: =?UTF-8?B?R3LDvMOfZSBhdXMgTcO8bmNoZW4=?=
         =?ISO-8859-1?Q?_und_K=F6ln?=
        Content-Type: multipart/mixed; boundary=XYZ

        --XYZ
        Content-Type: text/plain

        Hallo
        --XYZ
        Content-Type: application/pdf; name="=?UTF-8?Q?Pr=C3=BCfbericht=2Epdf?="
        Content-Disposition: attachment
        Content-Transfer-Encoding: base64

        JVBERi0xLjQK
        --XYZ--
        """);

    assertThat(doc.subject()).isEqualTo("Grüße aus München und Köln");
    assertThat(doc.from()).containsExactly("juergen@example.de");
    assertThat(doc.attachments()).containsExactly(
        new MessageDocument.Attachment("Prüfbericht.pdf", "application/pdf", 9));
  }

  @Test
  void attachmentSizesShouldBeTheDecodedSizesWithoutDecodingBase64() {
    StringBuilder raw = new StringBuilder("""
        From: a@example.com
        Content-Type: multipart/mixed; boundary="b"

        --b
        Content-Type: text/plain

        Three files.
        """);
    for (int size : new int[] {0, 1, 2, 3, 1000}) {
      raw.append("--b\nContent-Type: application/octet-stream; name=f").append(size)
          .append("\nContent-Transfer-Encoding: base64\n\n")
          .append(Base64.getMimeEncoder().encodeToString(new byte[size]).replace("\r\n", "\n"))
          .append('\n');
    }
    raw.append("""
        --b
        Content-Type: application/octet-stream; name=q
        Content-Transfer-Encoding: quoted-printable

        a=3Db=
        c
        --b
        Content-Type: application/octet-stream; name=s

        seven
        --b--
        """);

    assertThat(parse(raw.toString()).attachments()).extracting(MessageDocument.Attachment::size)
        .containsExactly(0L, 1L, 2L, 3L, 1000L, 4L, 5L);
  }

  @Test
  void rfc2231FileNameShouldBeDecodedAndSizeBeTheDecodedSize() {
    byte[] payload = new byte[300_000];
    for (int i = 0; i < payload.length; i++) {
      payload[i] = (byte) (i * 31);
    }
    String base64 = Base64.getMimeEncoder().encodeToString(payload).replace("\r\n", "\n");
    MessageDocument doc = parse("""
        From: a@example.com
        Content-Type: multipart/mixed; boundary="outer"

        --outer
        Content-Type: text/plain; charset=us-ascii

        See attached.
        --outer
        Content-Type: application/vnd.openxmlformats-officedocument.spreadsheetml.sheet
        Content-Disposition: attachment;
         filename*=utf-8''%C3%9Cbersicht%202024.xlsx
        Content-Transfer-Encoding: base64

        """ + base64 + """

        --outer--
        """);

    assertThat(doc.attachments()).containsExactly(new MessageDocument.Attachment(
        "Übersicht 2024.xlsx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", 300_000));
    assertThat(doc.body()).isEqualTo("See attached.");
  }

  @Test
  void eightBitLatin1BodyShouldBeReadWithAndWithoutCharsetLabel() {
    String labelled = """
        From: a@example.com
        Subject: caf\u00e9
        Content-Type: text/plain; charset=ISO-8859-1
        Content-Transfer-Encoding: 8bit

        Cr\u00e8me br\u00fbl\u00e9e \u00e0 la fran\u00e7aise
        """;
    MessageDocument doc = MessageParser.parse("l", labelled.getBytes(StandardCharsets.ISO_8859_1),
        "src", ARCHIVED);
    assertThat(doc.body()).contains("Crème brûlée à la française");
    assertThat(doc.subject()).isEqualTo("café");

    String unlabelled = labelled.replace("Content-Type: text/plain; charset=ISO-8859-1\n", "");
    MessageDocument guessed = MessageParser.parse("u",
        unlabelled.getBytes(StandardCharsets.ISO_8859_1), "src", ARCHIVED);
    assertThat(guessed.body()).contains("Crème brûlée à la française");
  }

  @Test
  void rawUtf8HeadersAndEightBitBodyShouldBeReadAsUtf8() {
    MessageDocument doc = parse("""
        From: Jürgen Müller <jm@example.de>
        Subject: Größe der Übersicht
        Content-Type: text/plain; charset=utf-8
        Content-Transfer-Encoding: 8bit

        Schöne Grüße, 你好
        """);

    assertThat(doc.subject()).isEqualTo("Größe der Übersicht");
    assertThat(doc.from()).containsExactly("jm@example.de");
    assertThat(doc.body()).isEqualTo("Schöne Grüße, 你好");
  }

  @Test
  void rfc2231ContinuedFileNameShouldBeJoined() {
    MessageDocument doc = parse("""
        From: a@example.com
        Content-Type: multipart/mixed; boundary=c

        --c
        Content-Type: application/octet-stream
        Content-Disposition: attachment;
         filename*0*=iso-8859-1''Sch%F6ne%20lange%20;
         filename*1*=Datei.bin
        Content-Transfer-Encoding: base64

        AAEC
        --c--
        """);

    assertThat(doc.attachments()).containsExactly(
        new MessageDocument.Attachment("Schöne lange Datei.bin", "application/octet-stream", 3));
  }

  @Test
  void unknownCharsetShouldFallBackWithoutThrowing() {
    MessageDocument doc = parse("""
        From: a@example.com
        Subject: =?x-unknown-9?Q?abc?=
        Content-Type: text/plain; charset="x-no-such-charset"

        still readable
        """);

    assertThat(doc.body()).isEqualTo("still readable");
    assertThat(doc.subject()).isNotNull();
  }

  @Test
  void missingMessageIdAndDateShouldGiveEmptyIdAndTheArchiveTime() {
    MessageDocument doc = parse("""
        From: a@example.com
        Subject: no id

        body
        """);

    assertThat(doc.messageId()).isEmpty();
    assertThat(doc.date()).isEqualTo(ARCHIVED);
  }

  @Test
  void sloppyButReadableDatesShouldBeParsed() {
    assertThat(dateOf("5 Mar 2024 10:15 +0100")).isEqualTo(Instant.parse("2024-03-05T09:15:00Z"));
    assertThat(dateOf("Tue, 05 Mar 2024 10:15:00 GMT"))
        .isEqualTo(Instant.parse("2024-03-05T10:15:00Z"));
    assertThat(dateOf("Tue,  5 Mar 2024 10:15:00 +0100 (CET)"))
        .isEqualTo(Instant.parse("2024-03-05T09:15:00Z"));
    assertThat(dateOf("Tue, 5 Mar 2024\n 10:15:00 -0500"))
        .isEqualTo(Instant.parse("2024-03-05T15:15:00Z"));
  }

  private static Instant dateOf(String header) {
    return parse("From: a@example.com\nDate: " + header + "\n\nbody\n").date();
  }

  @Test
  void unreadableDateShouldFallBackToTheArchiveTime() {
    MessageDocument doc = parse("""
        From: a@example.com
        Date: sometime last week

        body
        """);

    assertThat(doc.date()).isEqualTo(ARCHIVED);
  }

  @Test
  void garbageHeaderLinesAndBrokenAddressesShouldBeSkippedNotFatal() {
    MessageDocument doc = parse("""
        >From nobody Mon Jan  1 00:00:00 2024
        this line is not a header
        From: "Broken <quote@example.com>, <<oops@example.com
        To: ;;; bob@EXAMPLE.org ((comment
        Subject: survives
         folded onto two lines
        Content-Type: multipart/mixed

        no boundary at all
        """);

    assertThat(doc.subject()).isEqualTo("survives folded onto two lines");
    assertThat(doc.from()).contains("oops@example.com");
    assertThat(doc.to()).containsExactly("bob@example.org");
    assertThat(doc.size()).isPositive();
  }

  @Test
  void bccAndEnvelopeRecipientsShouldBeRead() {
    MessageDocument doc = parse("""
        Return-Path: <a@example.com>
        Delivered-To: hidden@example.com
        Delivered-To: Alias@Example.com
        X-Original-To: alias@example.com
        X-Envelope-To: <list-member@example.net>
        From: a@example.com
        To: undisclosed-recipients:;
        Bcc: Secret Person <secret@example.org>

        hi
        """);

    assertThat(doc.bcc()).containsExactly("secret@example.org");
    assertThat(doc.envelopeTo())
        .containsExactly("alias@example.com", "hidden@example.com", "list-member@example.net");
    assertThat(doc.to()).isEmpty();
  }

  @Test
  void nestedMessageShouldBeAnAttachmentAndItsTextIndexed() {
    MessageDocument doc = parse("""
        From: a@example.com
        Content-Type: multipart/mixed; boundary=m

        --m
        Content-Type: text/plain

        forwarding this
        --m
        Content-Type: message/rfc822

        From: inner@example.com
        Subject: inner

        inner words
        --m--
        """);

    assertThat(doc.body()).contains("forwarding this").contains("inner words");
    assertThat(doc.attachments()).extracting(MessageDocument.Attachment::type)
        .containsExactly("message/rfc822");
  }

  private static String forwarded(String type) {
    byte[] data = new byte[3000];
    new java.util.Random(7).nextBytes(data);
    return "From: a@example.com\n"
        + "Content-Type: multipart/mixed; boundary=m\n\n"
        + "--m\nContent-Type: text/plain\n\nsee below\n"
        + "--m\nContent-Type: " + type + "\n\n"
        + "From: inner@example.com\nContent-Type: multipart/mixed; boundary=n\n\n"
        + "--n\nContent-Type: text/plain\n\ninner words\n"
        + "--n\nContent-Type: application/octet-stream; name=a.bin\n"
        + "Content-Transfer-Encoding: base64\n\n" + Base64.getMimeEncoder().encodeToString(data)
        + "\n--n--\n--m--\n";
  }

  @Test
  void givenTheAttachmentsItShouldGiveTheSameDocumentAsFindingThemItself() {
    for (String m : java.util.List.of(forwarded("message/rfc822"), forwarded("text/plain"),
        forwarded("multipart/mixed; boundary=n"), "From: a@example.com\n\nplain\n")) {
      byte[] raw = m.getBytes(StandardCharsets.UTF_8);
      assertThat(MessageParser.parse("i", raw, io.mailops.archiver.mime.MimeSplitter
          .attachments(raw), "src", ARCHIVED)).isEqualTo(MessageParser.parse("i", raw, "src",
          ARCHIVED));
    }
  }

  @Test
  void aForwardedMessageShouldCountTheAttachmentsInsideItWhateverTheCaseOfItsType() {
    String encoded = Base64.getMimeEncoder().encodeToString(new byte[3000]);
    MessageDocument doc = parse(forwarded("Message/RFC822"));

    assertThat(doc.body()).contains("see below").contains("inner words");
    assertThat(doc.attachments()).extracting(MessageDocument.Attachment::type)
        .containsExactly("message/rfc822", "application/octet-stream");
    assertThat(doc.attachments().get(0).size()).isGreaterThan(encoded.length());
    assertThat(doc.attachments().get(1).size()).isEqualTo(3000);
  }

  @Test
  void bodyTextShouldBeCappedSoHugeMailDoesNotBlowMemory() {
    String line = "lorem ipsum dolor sit amet ".repeat(40) + "\n";
    String raw = "From: a@example.com\nContent-Type: text/plain\n\n"
        + line.repeat(3 * MessageParser.MAX_BODY_CHARS / line.length());
    MessageDocument doc = parse(raw);

    assertThat(doc.body().length()).isEqualTo(MessageParser.MAX_BODY_CHARS);
    assertThat(doc.size()).isGreaterThan(2L * MessageParser.MAX_BODY_CHARS);
  }

  @Test
  void emptyInputShouldGiveAnEmptyDocument() {
    MessageDocument doc = MessageParser.parse("e", new byte[0], "src", ARCHIVED);

    assertThat(doc.from()).isEmpty();
    assertThat(doc.subject()).isEmpty();
    assertThat(doc.body()).isEmpty();
    assertThat(doc.date()).isEqualTo(ARCHIVED);
    assertThat(doc.size()).isZero();
  }
}
