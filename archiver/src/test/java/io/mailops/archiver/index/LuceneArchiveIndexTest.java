package io.mailops.archiver.index;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mailops.archiver.index.ArchiveIndex.Criterion;
import io.mailops.archiver.index.ArchiveIndex.Hit;
import io.mailops.archiver.index.ArchiveIndex.Match;
import io.mailops.archiver.index.ArchiveIndex.SearchRequest;
import io.mailops.archiver.index.MessageDocument.Attachment;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LuceneArchiveIndexTest {

  @TempDir
  Path dir;

  private LuceneArchiveIndex index;

  @BeforeEach
  void fillIndex() throws IOException {
    index = LuceneArchiveIndex.open(dir);
    index.add(doc("m1", "q1@example.com", "2024-03-05T10:00:00Z", List.of("alice@example.com"),
        List.of("bob@example.org"), List.of("carol@example.net"), List.of(), List.of(),
        "Quarterly report Q1", 48_000, "Revenue grew in the northern region.",
        List.of(new Attachment("report-q1.pdf", "application/pdf", 40_000)),
        "maildir:/var/vmail/example.com/alice"));
    index.add(doc("m2", "re-q1@example.org", "2024-03-06T08:30:00Z", List.of("bob@example.org"),
        List.of("alice@example.com"), List.of(), List.of(), List.of(),
        "Re: Quarterly report Q1", 3_000, "Thanks, looks good.", List.of(),
        "imap://archive.example.org/INBOX"));
    index.add(doc("m3", "lunch@example.net", "2024-01-10T12:00:00Z", List.of("carol@example.net"),
        List.of("dave@example.com"), List.of(), List.of("secret@example.org"), List.of(),
        "Lunch plans", 5 * 1024 * 1024, "Pizza on Friday?",
        List.of(new Attachment("menu.jpg", "image/jpeg", 5_000_000)),
        "maildir:/var/vmail/example.net/carol"));
    index.add(doc("m4", "xmas@other.test", "2023-12-24T18:00:00Z", List.of("eve@other.test"),
        List.of("list@example.com"), List.of(), List.of(), List.of("hidden@example.com"),
        "Grüße aus München", 2_500, "Frohe Weihnachten", List.of(),
        "mbox:/srv/lists/list.mbox"));
    index.add(doc("m5", "inv-7@evil.test", "2024-06-01T09:00:00Z", List.of("mallory@evil.test"),
        List.of("frank@example.com"), List.of(), List.of(), List.of(), "Invoice", 20_000,
        "Please pay the attached invoice today.",
        List.of(new Attachment("Invoice 2024.xlsx",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", 15_000)),
        "eml:/import"));
    index.commit();
  }

  @AfterEach
  void closeIndex() throws IOException {
    index.close();
  }

  private static MessageDocument doc(String id, String messageId, String date, List<String> from,
      List<String> to, List<String> cc, List<String> bcc, List<String> envelope, String subject,
      long size, String body, List<Attachment> attachments, String source) {
    return new MessageDocument(id, messageId, Instant.parse(date), from, to, cc, bcc, envelope,
        subject, size, body, attachments, source, Instant.parse("2025-01-01T00:00:00Z"));
  }

  private List<String> where(String... specs) throws IOException {
    return ids(new SearchRequest(Criteria.parseAll(Arrays.asList(specs)), Match.ALL, null, null,
        100));
  }

  private List<String> ids(SearchRequest request) throws IOException {
    return index.search(request).stream().map(Hit::id).toList();
  }

  private List<String> query(String query) throws IOException {
    return ids(new SearchRequest(List.of(), Match.ALL, query, null, 100));
  }

  @Test
  void addressIsShouldMatchTheWholeAddressTheLocalPartAndTheDomain() throws IOException {
    assertThat(where("from:is:alice@example.com")).containsExactly("m1");
    assertThat(where("from:is:ALICE@Example.com")).containsExactly("m1");
    assertThat(where("from:is:alice")).containsExactly("m1");
    assertThat(where("from:is:example.org")).containsExactly("m2");
    assertThat(where("from:is:ali")).isEmpty();
  }

  @Test
  void addressContainsShouldMatchAnySubstringOfAnAddress() throws IOException {
    assertThat(where("from:contains:ali")).containsExactly("m1");
    assertThat(where("from:contains:example.com")).containsExactly("m1");
    assertThat(where("to:contains:example.com")).containsExactly("m5", "m2", "m3", "m4");
    assertThat(where("from:contains:*")).isEmpty();
  }

  @Test
  void eachAddressFieldShouldSearchItsOwnHeader() throws IOException {
    assertThat(where("to:is:dave@example.com")).containsExactly("m3");
    assertThat(where("cc:is:carol@example.net")).containsExactly("m1");
    assertThat(where("bcc:is:secret@example.org")).containsExactly("m3");
    assertThat(where("envelope:is:hidden@example.com")).containsExactly("m4");
    assertThat(where("recipient:is:secret")).containsExactly("m3");
    assertThat(where("recipient:is:hidden@example.com")).containsExactly("m4");
    assertThat(where("recipient:is:carol@example.net")).containsExactly("m1");
    assertThat(where("address:is:carol@example.net")).containsExactly("m1", "m3");
  }

  @Test
  void subjectContainsShouldMatchWordsAsAPhraseAndIsTheWholeSubject() throws IOException {
    assertThat(where("subject:contains:quarterly")).containsExactly("m2", "m1");
    assertThat(where("subject:contains:Report Q1")).containsExactly("m2", "m1");
    assertThat(where("subject:contains:Q1 report")).isEmpty();
    assertThat(where("subject:contains:grüße")).containsExactly("m4");
    assertThat(where("subject:is:quarterly report q1")).containsExactly("m1");
  }

  @Test
  void bodyAndTextShouldSearchTheIndexedText() throws IOException {
    assertThat(where("body:contains:northern region")).containsExactly("m1");
    assertThat(where("body:contains:pizza")).containsExactly("m3");
    assertThat(where("body:contains:quarterly")).isEmpty();
    assertThat(where("text:contains:quarterly")).containsExactly("m2", "m1");
    assertThat(where("text:contains:menu")).containsExactly("m3");
  }

  @Test
  void dateBeforeShouldBeExclusiveAfterInclusiveAndIsTheUtcDay() throws IOException {
    assertThat(where("date:before:2024-03-05")).containsExactly("m3", "m4");
    assertThat(where("date:after:2024-03-06")).containsExactly("m5", "m2");
    assertThat(where("date:after:2024-03-06T08:30:00Z")).containsExactly("m5", "m2");
    assertThat(where("date:before:2024-03-06T08:30:00Z")).containsExactly("m1", "m3", "m4");
    assertThat(where("date:is:2024-03-05")).containsExactly("m1");
    assertThat(where("date:after:2024-01-01", "date:before:2024-04-01"))
        .containsExactly("m2", "m1", "m3");
  }

  @Test
  void sizeLargerAndSmallerShouldTakeSuffixes() throws IOException {
    assertThat(where("size:larger:1M")).containsExactly("m3");
    assertThat(where("size:larger:5M")).isEmpty();
    assertThat(where("size:is:5M")).containsExactly("m3");
    assertThat(where("size:smaller:3000")).containsExactly("m4");
    assertThat(where("size:smaller:3k")).containsExactly("m2", "m4");
    assertThat(where("size:larger:10kB", "size:smaller:1G")).containsExactly("m5", "m1", "m3");
  }

  @Test
  void messageIdAttachmentTypeAndSourceShouldBeSearchable() throws IOException {
    assertThat(where("message-id:is:<xmas@other.test>")).containsExactly("m4");
    assertThat(where("message-id:is:XMAS@other.test")).containsExactly("m4");
    assertThat(where("message-id:contains:evil")).containsExactly("m5");
    assertThat(where("attachment:is:invoice 2024.xlsx")).containsExactly("m5");
    assertThat(where("attachment:contains:report")).containsExactly("m1");
    assertThat(where("attachment:contains:xlsx")).containsExactly("m5");
    assertThat(where("type:is:application/pdf")).containsExactly("m1");
    assertThat(where("type:contains:spreadsheet")).containsExactly("m5");
    assertThat(where("type:contains:image/")).containsExactly("m3");
    assertThat(where("source:is:eml:/import")).containsExactly("m5");
    assertThat(where("source:contains:/var/vmail/")).containsExactly("m1", "m3");
  }

  @Test
  void fiveCriteriaShouldBeJoinedByAllOrAny() throws IOException {
    List<Criterion> five = Criteria.parseAll(List.of("from:contains:example",
        "subject:contains:report", "date:after:2024-03-01", "size:smaller:50k",
        "attachment:contains:pdf"));

    assertThat(ids(new SearchRequest(five, Match.ALL, null, null, 10))).containsExactly("m1");
    assertThat(ids(new SearchRequest(five, Match.ANY, null, null, 10)))
        .containsExactly("m5", "m2", "m1", "m3", "m4");
    List<Criterion> disjoint = Criteria.parseAll(List.of("from:is:eve", "from:is:mallory",
        "bcc:is:secret@example.org", "cc:is:nobody", "body:contains:no such words"));
    assertThat(ids(new SearchRequest(disjoint, Match.ALL, null, null, 10))).isEmpty();
    assertThat(ids(new SearchRequest(disjoint, Match.ANY, null, null, 10)))
        .containsExactly("m5", "m3", "m4");
  }

  @Test
  void moreThanFiveCriteriaShouldBeRefusedWithAClearMessage() {
    List<String> six = List.of("from:is:a", "from:is:b", "from:is:c", "from:is:d", "from:is:e",
        "from:is:f");
    assertThatThrownBy(() -> Criteria.parseAll(six)).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("too many criteria: 6; at most 5 --where criteria per search"
            + " (use --query for more complex searches)");
    List<Criterion> parsed = six.stream().map(Criteria::parse).toList();
    assertThatThrownBy(() -> index.search(new SearchRequest(parsed, Match.ANY, null, null, 10)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("too many criteria");
  }

  @Test
  void criteriaParseShouldKeepColonsInTheValueAndNameTheValidChoices() {
    assertThat(Criteria.parse("source:is:imap://archive.example.org/INBOX")).isEqualTo(
        new Criterion("source", ArchiveIndex.Op.IS, "imap://archive.example.org/INBOX"));
    assertThat(Criteria.parse("Message_ID:IS:<a@b>"))
        .isEqualTo(new Criterion("message-id", ArchiveIndex.Op.IS, "<a@b>"));
    assertThatThrownBy(() -> Criteria.parse("sender:is:a"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("unknown search field 'sender'; valid fields: from, to, cc, bcc, envelope,"
            + " recipient, address, subject, body, text, date, size, message-id, attachment,"
            + " type, source");
    assertThatThrownBy(() -> Criteria.parse("from:matches:a"))
        .hasMessage("unknown operator 'matches'; valid operators: contains, is, before, after,"
            + " larger, smaller");
    assertThatThrownBy(() -> Criteria.parse("from:larger:a"))
        .hasMessage("operator 'larger' does not apply to field 'from';"
            + " valid operators for from: contains, is");
    assertThatThrownBy(() -> Criteria.parse("from"))
        .hasMessageStartingWith("bad criterion 'from'; use FIELD:OP:VALUE");
    assertThatThrownBy(() -> Criteria.parse("from:is: "))
        .hasMessage("bad criterion 'from:is: ': the value is empty");
    assertThatThrownBy(() -> where("date:before:yesterday"))
        .hasMessageStartingWith("bad date 'yesterday'; use YYYY-MM-DD");
    assertThatThrownBy(() -> where("size:larger:lots"))
        .hasMessageStartingWith("bad size 'lots'");
  }

  @Test
  void queryShouldTakeLuceneSyntaxWithBodyAsTheDefaultField() throws IOException {
    assertThat(query("pizza")).containsExactly("m3");
    assertThat(query("subject:quarterly AND from:alice@example.com")).containsExactly("m1");
    assertThat(query("subject:\"report q1\" -from:bob")).containsExactly("m1");
    assertThat(query("from:example.org OR from:evil.test")).containsExactly("m5", "m2");
    assertThat(query("recipient:secret@example.org")).containsExactly("m3");
    assertThat(query("address:carol")).containsExactly("m1", "m3");
    assertThat(query("from:*lic*")).containsExactly("m1");
    assertThat(query("attachment:report")).containsExactly("m1");
    assertThat(query("text:menu")).containsExactly("m3");
    assertThat(query("type:image*")).containsExactly("m3");
    assertThat(query("message-id:xmas@other.test")).containsExactly("m4");
    assertThat(query("date:[2024-03-01 TO 2024-04-01}")).containsExactly("m2", "m1");
    assertThat(query("size:[1M TO *]")).containsExactly("m3");
  }

  @Test
  void querySyntaxErrorShouldBeAOneLineIllegalArgument() {
    assertThatThrownBy(() -> query("subject:(unclosed AND"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("bad --query 'subject:(unclosed AND': ")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    assertThatThrownBy(() -> query("date:[soon TO *]"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("bad date 'soon'");
  }

  @Test
  void criteriaAndQueryShouldBeJoinedByAnd() throws IOException {
    SearchRequest both = new SearchRequest(Criteria.parseAll(List.of("subject:contains:report")),
        Match.ALL, "from:bob", null, 10);
    assertThat(ids(both)).containsExactly("m2");
  }

  @Test
  void asUserShouldSeeOnlyMailTheyTookPartInIncludingBccAndEnvelope() throws IOException {
    SearchRequest all = new SearchRequest(List.of(), Match.ALL, null, null, 10);
    assertThat(ids(all)).containsExactly("m5", "m2", "m1", "m3", "m4");
    assertThat(ids(new SearchRequest(List.of(), Match.ALL, null, "alice@example.com", 10)))
        .containsExactly("m2", "m1");
    assertThat(ids(new SearchRequest(List.of(), Match.ALL, null, "Secret@Example.org", 10)))
        .containsExactly("m3");
    assertThat(ids(new SearchRequest(List.of(), Match.ALL, null, "hidden@example.com", 10)))
        .containsExactly("m4");
    assertThat(ids(new SearchRequest(List.of(), Match.ALL, "pizza", "dave@example.com", 10)))
        .containsExactly("m3");
    assertThat(ids(new SearchRequest(List.of(), Match.ALL, "pizza", "alice@example.com", 10)))
        .isEmpty();
    assertThat(ids(new SearchRequest(Criteria.parseAll(List.of("bcc:is:secret@example.org")),
        Match.ANY, null, "bob@example.org", 10))).isEmpty();
    assertThat(ids(new SearchRequest(List.of(), Match.ALL, null, "example.com", 10))).isEmpty();
    assertThat(ids(new SearchRequest(List.of(), Match.ALL, null, "alice", 10))).isEmpty();
  }

  @Test
  void hitsShouldCarryWhatSearchPrintsNewestFirstUpToTheLimit() throws IOException {
    List<Hit> hits = index.search(new SearchRequest(List.of(), Match.ALL, null, null, 2));

    assertThat(hits).extracting(Hit::id).containsExactly("m5", "m2");
    Hit m1 = index.search(new SearchRequest(Criteria.parseAll(List.of("from:is:alice")),
        Match.ALL, null, null, 10)).get(0);
    assertThat(m1).isEqualTo(new Hit("m1", "q1@example.com",
        Instant.parse("2024-03-05T10:00:00Z"), List.of("alice@example.com"),
        List.of("bob@example.org"), List.of("carol@example.net"), "Quarterly report Q1", 48_000));
    assertThatThrownBy(() -> index.search(new SearchRequest(List.of(), Match.ALL, null, null, 0)))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("bad limit 0; use 1 or more");
  }

  @Test
  void changesShouldBeVisibleOnlyAfterCommit() throws IOException {
    index.add(doc("m6", "", "2025-01-01T00:00:00Z", List.of("zed@example.com"), List.of(),
        List.of(), List.of(), List.of(), "late", 10, "late", List.of(), "eml:/import"));
    assertThat(index.count()).isEqualTo(5);
    assertThat(where("from:is:zed")).isEmpty();

    index.commit();
    assertThat(index.count()).isEqualTo(6);
    assertThat(where("from:is:zed")).containsExactly("m6");
  }

  @Test
  void deleteShouldRemoveAndIgnoreUnknownIds() throws IOException {
    index.delete(List.of("m1", "m3", "no-such-id"));
    index.delete(List.of());
    index.commit();

    assertThat(index.count()).isEqualTo(3);
    assertThat(where("from:contains:example")).containsExactly("m2");
  }

  @Test
  void addingTheSameIdAgainShouldReplaceTheMessage() throws IOException {
    index.add(doc("m1", "q1@example.com", "2024-03-05T10:00:00Z", List.of("alice@example.com"),
        List.of("bob@example.org"), List.of(), List.of(), List.of(), "Quarterly report Q1 (fixed)",
        48_000, "corrected numbers", List.of(), "maildir:/var/vmail/example.com/alice"));
    index.commit();

    assertThat(index.count()).isEqualTo(5);
    assertThat(where("body:contains:corrected")).containsExactly("m1");
    assertThat(where("body:contains:northern")).isEmpty();
    assertThat(where("cc:is:carol@example.net")).isEmpty();
  }

  @Test
  void reopeningAfterCloseShouldKeepTheDataAndASecondOpenShouldFailClearly() throws IOException {
    index.add(doc("m7", "", "2020-01-01T00:00:00Z", List.of("old@example.com"), List.of(),
        List.of(), List.of(), List.of(), "old", 10, "old", List.of(), "eml:/import"));
    assertThatThrownBy(() -> LuceneArchiveIndex.open(dir)).isInstanceOf(IOException.class)
        .hasMessageContaining("is open in another process");
    index.close();

    index = LuceneArchiveIndex.open(dir);
    assertThat(index.count()).isEqualTo(6);
    assertThat(where("from:is:old")).containsExactly("m7");
    assertThat(index.sizeOnDisk()).isPositive();
  }

  @Test
  void concurrentAddsAndSearchesShouldAllLand() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<?>> futures = new ArrayList<>();
      for (int t = 0; t < 3; t++) {
        int thread = t;
        futures.add(pool.submit(() -> {
          for (int i = 0; i < 100; i++) {
            index.add(doc("t" + thread + "-" + i, "", "2022-01-01T00:00:00Z",
                List.of("load@example.com"), List.of(), List.of(), List.of(), List.of(), "load",
                10, "load", List.of(), "eml:/load"));
          }
          return null;
        }));
      }
      futures.add(pool.submit(() -> {
        for (int i = 0; i < 50; i++) {
          index.search(new SearchRequest(List.of(), Match.ALL, "load", null, 10));
          index.commit();
        }
        return null;
      }));
      for (Future<?> future : futures) {
        future.get();
      }
    } finally {
      pool.shutdown();
    }
    index.commit();

    assertThat(index.count()).isEqualTo(305);
    assertThat(index.search(new SearchRequest(List.of(), Match.ALL, "from:load@example.com",
        null, 1000))).hasSize(300);
  }

  @Test
  void compactShouldKeepEveryMessageAndCommitWhatIsPending() throws IOException {
    index.delete(List.of("m2"));
    index.compact();

    assertThat(index.count()).isEqualTo(4);
    assertThat(where("subject:contains:quarterly")).containsExactly("m1");
  }

  @Test
  void parsedRawMessagesShouldBeFoundByEveryHeaderTheyCarry() throws IOException {
    String raw = """
        Delivered-To: bcc-only@example.com
        From: =?UTF-8?Q?J=C3=BCrgen?= <Juergen@Example.DE>
        To: team@example.de
        Subject: =?UTF-8?B?R3LDvMOfZSBhdXMgTcO8bmNoZW4=?=
        Date: Fri, 7 Jun 2024 16:20:00 +0200
        Message-ID: <raw-1@example.de>
        Content-Type: multipart/mixed; boundary=XYZ

        --XYZ
        Content-Type: text/html; charset=iso-8859-1

        <p>Sch=F6ne Gr=FC=DFe</p>
        --XYZ
        Content-Type: application/pdf; name="=?UTF-8?Q?Pr=C3=BCfbericht=2Epdf?="
        Content-Disposition: attachment
        Content-Transfer-Encoding: base64

        JVBERi0xLjQK
        --XYZ--
        """.replace("\n", "\r\n").replace("charset=iso-8859-1\r\n",
        "charset=iso-8859-1\r\nContent-Transfer-Encoding: quoted-printable\r\n");
    index.add(MessageParser.parse("raw-1", raw.getBytes(StandardCharsets.UTF_8), "eml:/raw",
        Instant.parse("2025-01-01T00:00:00Z")));
    index.commit();

    assertThat(where("from:is:juergen@example.de", "subject:contains:münchen",
        "body:contains:schöne grüße", "attachment:contains:prüfbericht",
        "date:is:2024-06-07")).containsExactly("raw-1");
    assertThat(ids(new SearchRequest(List.of(), Match.ALL, null, "bcc-only@example.com", 10)))
        .containsExactly("raw-1");
  }
}
