package io.mailops.migrator.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.mailops.migrator.MessageReader;
import io.mailops.migrator.MessageWriter;
import io.mailops.storage.SpooledMessage;
import io.mailops.storage.imap.ImapLocation;
import io.mailops.storage.model.AccountId;
import io.mailops.storage.model.Flag;
import io.mailops.storage.model.Flags;
import io.mailops.storage.model.FolderPath;
import io.mailops.storage.model.MessageKey;
import io.mailops.storage.model.MessageRef;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** The wire layer against a scripted server: pipelining, literals, refusals. */
class WirePipeliningTest {

  private static final AccountId ACCOUNT = AccountId.of("u@example.com");
  private static final FolderPath INBOX = FolderPath.INBOX;
  private static final Instant DATE = Instant.parse("2023-05-04T10:11:12Z");

  private static WireConnection connect(ScriptedImapServer server, String password)
      throws IOException {
    return WireConnection.open(ImapLocation.parse(URI.create("imap://u%40example.com@127.0.0.1:"
        + server.port() + "?starttls=false")), (u, h) -> password.toCharArray());
  }

  private static MessageRef ref(long uid) {
    String key = "7:" + uid;
    return new MessageRef(INBOX, MessageKey.of(key), 1000, Flags.NONE, DATE, OptionalLong.of(uid),
        Optional.empty(), key);
  }

  private static String body(long uid) {
    return uid == 7 ? "Subject: tricky\r\n\r\nline\r\n* 99 FETCH (UID 1 BODY[] {3}\r\nabc)\r\n"
        : "Subject: m" + uid + "\r\n\r\nbody " + uid + "\r\n";
  }

  private static List<Long> uids(String set) {
    List<Long> out = new ArrayList<>();
    for (String part : set.split(",")) {
      String[] ab = part.split(":");
      long a = Long.parseLong(ab[0]);
      long b = ab.length > 1 ? Long.parseLong(ab[1]) : a;
      for (long u = a; u <= b; u++) {
        out.add(u);
      }
    }
    return out;
  }

  /** Answers nothing until the third UID FETCH is in, then all three at once. */
  private static String fetchAnswers(ScriptedImapServer.Command c,
      List<ScriptedImapServer.Command> seen) {
    if (c.line().contains(" EXAMINE ")) {
      return "* 250 EXISTS\r\n* OK [UIDVALIDITY 7] ok\r\n" + c.tag() + " OK [READ-ONLY] done\r\n";
    }
    List<ScriptedImapServer.Command> fetches =
        seen.stream().filter(x -> x.line().contains(" UID FETCH ")).toList();
    if (fetches.size() < 3) {
      return "";
    }
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < 3; i++) {
      ScriptedImapServer.Command f = fetches.get(i);
      if (i == 2) {
        b.append(f.tag()).append(" NO [SERVERBUG] boom\r\n");
        continue;
      }
      for (long uid : uids(f.line().split(" ")[3])) {
        if (uid == 5) {
          continue; // expunged meanwhile
        }
        String text = uid == 6 ? "" : body(uid);
        b.append("* ").append(uid).append(" FETCH (BODY[] {").append(text.length()).append("}\r\n")
            .append(text).append(" UID ").append(uid).append(")\r\n");
      }
      b.append(f.tag()).append(" OK done\r\n");
    }
    return b.toString();
  }

  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void fetchShouldSendBatchesBackToBackAndMatchEachLiteralByUid(boolean trickle)
      throws IOException {
    try (ScriptedImapServer server =
        new ScriptedImapServer("LITERAL+", WirePipeliningTest::fetchAnswers)) {
      server.trickle = trickle;
      List<MessageRef> refs = new ArrayList<>();
      for (long u = 1; u <= 250; u++) {
        refs.add(ref(u));
      }
      refs.add(new MessageRef(INBOX, MessageKey.of("6:1"), 10, Flags.NONE, DATE,
          OptionalLong.of(1), Optional.empty(), "6:1")); // an older UIDVALIDITY
      Map<Long, String> got = new TreeMap<>();
      List<String> gone = new ArrayList<>();
      List<Long> failed = new ArrayList<>();
      try (WireConnection c = connect(server, "pw")) {
        assertTimeoutPreemptively(Duration.ofSeconds(20), () -> new WireReader(c, false)
            .read(ACCOUNT, INBOX, refs, new MessageReader.Sink() {
              @Override
              public void message(MessageRef ref, SpooledMessage content) throws IOException {
                try (InputStream in = content.open()) {
                  got.put(ref.uid().getAsLong(), new String(in.readAllBytes(),
                      StandardCharsets.ISO_8859_1));
                }
              }

              @Override
              public void gone(MessageRef ref) {
                gone.add(ref.key().value());
              }

              @Override
              public void failed(MessageRef ref, String reason) {
                assertThat(reason).contains("boom");
                failed.add(ref.uid().getAsLong());
              }
            }));
      }
      assertThat(server.failure).isNull();
      assertThat(gone).containsExactlyInAnyOrder("6:1", "7:5");
      assertThat(failed).hasSize(50).allMatch(u -> u > 200);
      assertThat(got).hasSize(199);
      assertThat(got.get(6L)).isEmpty();
      assertThat(got.get(7L)).isEqualTo(body(7));
      assertThat(got.get(200L)).isEqualTo(body(200));
      assertThat(server.seen.stream().filter(x -> x.line().contains(" UID FETCH ")))
          .extracting(x -> x.line().split(" ")[3])
          .containsExactly("1:100", "101:200", "201:250");
    }
  }

  @Test
  void appendWithLiteralPlusShouldNotWaitForAnswersAndTellEachOutcome() throws IOException {
    ScriptedImapServer.Script answerAllAtTheThird = (c, seen) -> {
      List<ScriptedImapServer.Command> appends =
          seen.stream().filter(x -> x.line().contains(" APPEND ")).toList();
      if (appends.size() < 3) {
        return "";
      }
      return appends.get(0).tag() + " OK [APPENDUID 9 1] done\r\n" + appends.get(1).tag()
          + " NO [LIMIT] too big\r\n" + appends.get(2).tag() + " OK [APPENDUID 9 2] done\r\n";
    };
    try (ScriptedImapServer server = new ScriptedImapServer("LITERAL+", answerAllAtTheThird)) {
      List<String> outcomes = appendThree(server);
      assertThat(outcomes).containsExactly("stored 0", "refused 1: the server said 'NO [LIMIT]"
          + " too big'", "stored 2");
      List<ScriptedImapServer.Command> appends =
          server.seen.stream().filter(x -> x.line().contains(" APPEND ")).toList();
      assertThat(appends).hasSize(3);
      assertThat(appends.get(0).line()).endsWith(
          "APPEND \"Projekte/&ANw-bersicht\" (\\Seen $Label1) \"04-May-2023 10:11:12 +0000\" {"
              + message(0).length + "+}");
      assertThat(new String(appends.get(2).literal(), StandardCharsets.ISO_8859_1))
          .isEqualTo(new String(message(2), StandardCharsets.ISO_8859_1));
    }
  }

  @Test
  void appendWithoutLiteralPlusShouldWaitForTheContinuationAndNotSendARefusedLiteral()
      throws IOException {
    ScriptedImapServer.Script script = new ScriptedImapServer.Script() {
      int headers;

      @Override
      public String answer(ScriptedImapServer.Command c, List<ScriptedImapServer.Command> seen) {
        return c.tag() + " OK [APPENDUID 9 " + seen.size() + "] done\r\n";
      }

      @Override
      public String beforeLiteral(String tag, String line) {
        return ++headers == 2 ? tag + " NO [TOOBIG] no room\r\n" : null;
      }
    };
    try (ScriptedImapServer server = new ScriptedImapServer("IDLE", script)) {
      List<String> outcomes = appendThree(server);
      assertThat(server.failure).isNull();
      assertThat(outcomes).containsExactly("stored 0",
          "refused 1: the server said 'NO [TOOBIG] no room'", "stored 2");
      assertThat(server.seen.stream().filter(x -> x.line().contains(" APPEND ")))
          .extracting(x -> new String(x.literal(), StandardCharsets.ISO_8859_1))
          .containsExactly(new String(message(0), StandardCharsets.ISO_8859_1),
              new String(message(2), StandardCharsets.ISO_8859_1));
    }
  }

  private static byte[] message(int i) {
    return ("Subject: " + i + "\r\nMessage-ID: <" + i + "@x>\r\n\r\n" + "x".repeat(100 * i)
        + "\r\n").getBytes(StandardCharsets.ISO_8859_1);
  }

  private static List<String> appendThree(ScriptedImapServer server) throws IOException {
    List<String> outcomes = new ArrayList<>();
    FolderPath folder = FolderPath.of("Projekte/Übersicht");
    Flags flags = new Flags(java.util.EnumSet.of(Flag.SEEN), new TreeSet<>(List.of("$Label1")));
    try (WireConnection c = connect(server, "pw")) {
      WireWriter w = new WireWriter(c);
      assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
        for (int i = 0; i < 3; i++) {
          int n = i;
          try (SpooledMessage m = SpooledMessage.read(new ByteArrayInputStream(message(i)))) {
            w.append(ACCOUNT, folder, m, flags, DATE.plusMillis(400), new MessageWriter.Outcome() {
              @Override
              public void stored() {
                outcomes.add("stored " + n);
              }

              @Override
              public void refused(String reason) {
                outcomes.add("refused " + n + ": " + reason);
              }
            });
          }
        }
        w.flush();
      });
    }
    return outcomes;
  }

  @Test
  void loginShouldQuoteSpecialCharactersAndSendNonAsciiAsALiteral() throws IOException {
    try (ScriptedImapServer server = new ScriptedImapServer("", (c, seen) -> "")) {
      connect(server, "p\"w\\d").close();
      assertThat(server.seen.get(1).line()).isEqualTo("w2 LOGIN \"u@example.com\" \"p\\\"w\\\\d\"");
    }
    try (ScriptedImapServer server = new ScriptedImapServer("", (c, seen) -> "")) {
      connect(server, "pässword").close();
      assertThat(server.seen.get(1).line()).isEqualTo("w2 LOGIN \"u@example.com\" {9}");
      assertThat(new String(server.seen.get(1).literal(), StandardCharsets.UTF_8))
          .isEqualTo("pässword");
    }
  }

  @Test
  void uidSetsShouldWriteRunsAsRanges() {
    assertThat(WireReader.uidSet(List.of(8L, 1L, 2L, 3L, 5L, 7L))).isEqualTo("1:3,5,7:8");
    assertThat(WireReader.uidSet(List.of(4L))).isEqualTo("4");
  }

  @Test
  void literalSizesShouldBeReadFromTheEndOfALine() {
    assertThat(WireConnection.literalSize("* 1 FETCH (BODY[] {12}")).isEqualTo(12);
    assertThat(WireConnection.literalSize("w1 APPEND x {0+}")).isZero();
    assertThat(WireConnection.literalSize("* OK {not a literal}")).isEqualTo(-1);
    assertThat(WireConnection.literalSize("* OK done")).isEqualTo(-1);
  }

  @Test
  void scanShouldSendExamineAndFetchTogetherAndParseFlagsKeywordsAndDates() throws IOException {
    ScriptedImapServer.Script script = (c, seen) -> {
      if (c.line().contains(" EXAMINE ")) {
        return "";
      }
      String examine = seen.get(seen.size() - 2).tag();
      return "* 3 EXISTS\r\n* OK [UIDVALIDITY 42] ok\r\n" + examine + " OK [READ-ONLY] done\r\n"
          + "* 1 FETCH (UID 10 FLAGS (\\Seen \\Recent $Label1) RFC822.SIZE 120"
          + " INTERNALDATE \" 4-May-2023 12:11:12 +0200\")\r\n"
          + "* 2 FETCH (FLAGS (\\Flagged \\Unknown bad\"kw) UID 11 INTERNALDATE"
          + " \"05-jun-2023 00:00:01 +0000\" RFC822.SIZE 7)\r\n"
          + "* 3 FETCH (UID 12 FLAGS () RFC822.SIZE 0 INTERNALDATE \"01-Jan-2020 00:00:00 +0000\")\r\n"
          + c.tag() + " OK done\r\n";
    };
    try (ScriptedImapServer server = new ScriptedImapServer("LITERAL+", script);
        WireConnection c = connect(server, "pw")) {
      io.mailops.storage.FolderScan scan = assertTimeoutPreemptively(Duration.ofSeconds(20),
          () -> new WireReader(c, false).scan(ACCOUNT, FolderPath.of("Sent")));

      assertThat(scan.messages()).extracting(m -> m.key().value())
          .containsExactly("42:10", "42:11", "42:12");
      MessageRef first = scan.messages().get(0);
      assertThat(first.flags().system()).containsExactly(Flag.SEEN);
      assertThat(first.flags().keywords()).containsExactly("$Label1");
      assertThat(first.internalDate()).isEqualTo(Instant.parse("2023-05-04T10:11:12Z"));
      assertThat(first.size()).isEqualTo(120);
      assertThat(scan.messages().get(1).flags().system()).containsExactly(Flag.FLAGGED);
      assertThat(scan.messages().get(1).internalDate())
          .isEqualTo(Instant.parse("2023-06-05T00:00:01Z"));
      assertThat(scan.skipped()).singleElement()
          .satisfies(k -> assertThat(k.reason()).contains("bad\"kw"));
      assertThat(server.seen).extracting(x -> x.line().substring(x.line().indexOf(' ') + 1))
          .containsSubsequence("EXAMINE \"Sent\"", "UID FETCH 1:* (UID FLAGS RFC822.SIZE INTERNALDATE)");
    }
  }
}
