package io.mailops.migrator.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.mailops.migrator.MessageWriter;
import io.mailops.storage.SpooledMessage;
import io.mailops.storage.imap.ImapLocation;
import io.mailops.storage.model.AccountId;
import io.mailops.storage.model.Flag;
import io.mailops.storage.model.Flags;
import io.mailops.storage.model.FolderPath;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** {@link WireWriter} with MULTIAPPEND (RFC 3502): batches, their UIDs, a refused batch. */
class MultiAppendTest {

  private static final AccountId ACCOUNT = AccountId.of("u@example.com");
  private static final Instant DATE = Instant.parse("2023-05-04T10:11:12Z");
  private static final Pattern LITERAL = Pattern.compile("\\{(\\d+)\\+?}");

  /** One message to append: folder, bytes, flags, date. */
  private record Msg(FolderPath folder, byte[] bytes, Flags flags, Instant date) {}

  private static byte[] message(int i, int pad) {
    return ("Subject: " + i + "\r\nMessage-ID: <" + i + "@x>\r\n\r\n" + "x".repeat(pad)
        + "\r\n").getBytes(StandardCharsets.ISO_8859_1);
  }

  private static Flags flags(int i) {
    return i % 2 == 0 ? new Flags(EnumSet.of(Flag.SEEN), new TreeSet<>(List.of("$Label" + i)))
        : Flags.NONE;
  }

  /** An outcome that adds what it is told about message {@code n} to {@code outcomes}. */
  private static MessageWriter.Outcome told(List<String> outcomes, int n) {
    return new MessageWriter.Outcome() {
      @Override
      public void stored() {
        outcomes.add(n + " stored");
      }

      @Override
      public void stored(long uidValidity, long uid) {
        outcomes.add(n + " stored " + uidValidity + ":" + uid);
      }

      @Override
      public void refused(String reason) {
        outcomes.add(n + " refused: " + reason);
      }
    };
  }

  /** Appends all, flushes, and returns the outcomes in the order they were told. */
  private static List<String> append(ScriptedImapServer server, int batch, long batchBytes,
      List<Msg> msgs) throws IOException {
    List<String> outcomes = new ArrayList<>();
    try (WireConnection c = WireConnection.open(ImapLocation.parse(URI.create(
        "imap://u%40example.com@127.0.0.1:" + server.port() + "?starttls=false")),
        (u, h) -> "pw".toCharArray())) {
      WireWriter w = new WireWriter(c, batch, batchBytes);
      assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
        for (int i = 0; i < msgs.size(); i++) {
          int n = i;
          Msg m = msgs.get(i);
          // closed right after the call, as the reader does
          try (SpooledMessage s = SpooledMessage.read(new ByteArrayInputStream(m.bytes()))) {
            w.append(ACCOUNT, m.folder(), s, m.flags(), m.date(), told(outcomes, n));
          }
        }
        w.flush();
      });
    }
    assertThat(server.failure).isNull();
    return outcomes;
  }

  private static List<ScriptedImapServer.Command> appends(ScriptedImapServer server) {
    return server.seen.stream().filter(x -> x.line().contains(" APPEND ")).toList();
  }

  private static int literals(ScriptedImapServer.Command c) {
    Matcher m = LITERAL.matcher(c.line());
    int n = 0;
    while (m.find()) {
      n++;
    }
    return n;
  }

  /** Answers every APPEND with OK and APPENDUID for as many UIDs as it has literals. */
  private static ScriptedImapServer.Script okWithUids() {
    return new ScriptedImapServer.Script() {
      long next = 1;

      @Override
      public String answer(ScriptedImapServer.Command c, List<ScriptedImapServer.Command> seen) {
        int n = literals(c);
        String set = n == 1 ? String.valueOf(next) : next + ":" + (next + n - 1);
        next += n;
        return c.tag() + " OK [APPENDUID 77 " + set + "] Append completed.\r\n";
      }
    };
  }

  @Test
  void messagesShouldGoInBatchesPerFolderWithTheirOwnFlagsDatesAndBytesAndGetTheirUidsInOrder()
      throws IOException {
    FolderPath inbox = FolderPath.INBOX;
    FolderPath other = FolderPath.of("Projekte/Übersicht");
    List<Msg> msgs = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      msgs.add(new Msg(i < 4 ? inbox : other, message(i, 10 * i), flags(i),
          DATE.plusSeconds(i * 3600L)));
    }
    try (ScriptedImapServer server =
        new ScriptedImapServer("LITERAL+ MULTIAPPEND UIDPLUS", okWithUids())) {
      List<String> outcomes = append(server, 3, 1 << 20, msgs);
      assertThat(outcomes).containsExactly("0 stored 77:1", "1 stored 77:2", "2 stored 77:3",
          "3 stored 77:4", "4 stored 77:5", "5 stored 77:6");
      List<ScriptedImapServer.Command> appends = appends(server);
      assertThat(appends).extracting(MultiAppendTest::literals).containsExactly(3, 1, 2);
      assertThat(appends.get(0).line()).endsWith("APPEND INBOX"
          + " (\\Seen $Label0) \"04-May-2023 10:11:12 +0000\" {" + message(0, 0).length + "+}"
          + " () \"04-May-2023 11:11:12 +0000\" {" + message(1, 10).length + "+}"
          + " (\\Seen $Label2) \"04-May-2023 12:11:12 +0000\" {" + message(2, 20).length + "+}");
      assertThat(appends.get(2).line()).contains("APPEND \"Projekte/&ANw-bersicht\" (\\Seen"
          + " $Label4) \"04-May-2023 14:11:12 +0000\" {");
      assertThat(text(appends.get(0).literal())).isEqualTo(
          text(message(0, 0)) + text(message(1, 10)) + text(message(2, 20)));
      assertThat(text(appends.get(2).literal()))
          .isEqualTo(text(message(4, 40)) + text(message(5, 50)));
    }
  }

  @Test
  void aBatchShouldEndAtItsByteLimitAndALargerMessageGoAlone() throws IOException {
    List<Msg> msgs = new ArrayList<>();
    int[] pads = {100, 100, 100, 5000, 100};
    for (int i = 0; i < pads.length; i++) {
      msgs.add(new Msg(FolderPath.INBOX, message(i, pads[i]), Flags.NONE, DATE));
    }
    try (ScriptedImapServer server =
        new ScriptedImapServer("LITERAL+ MULTIAPPEND UIDPLUS", okWithUids())) {
      List<String> outcomes = append(server, 64, 300, msgs);
      assertThat(outcomes).hasSize(5).allMatch(o -> o.contains(" stored 77:"));
      // 2 of ~140 bytes fit 300; the third starts a new batch; 5000 bytes go alone
      assertThat(appends(server)).extracting(MultiAppendTest::literals)
          .containsExactly(2, 1, 1, 1);
      assertThat(text(appends(server).get(2).literal())).isEqualTo(text(message(3, 5000)));
    }
  }

  @Test
  void aRefusedBatchShouldBeSentAgainOneByOneSoThatOnlyTheRefusedMessageFails()
      throws IOException {
    ScriptedImapServer.Script script = (c, seen) -> {
      if (literals(c) > 1) {
        return c.tag() + " NO [OVERQUOTA] Quota exceeded\r\n";
      }
      if (text(c.literal()).startsWith("Subject: 1\r\n")) {
        return c.tag() + " NO [OVERQUOTA] Quota exceeded (mailbox for user is full)\r\n";
      }
      return c.tag() + " OK [APPENDUID 5 " + (10 + seen.size()) + "] done\r\n";
    };
    List<Msg> msgs = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      msgs.add(new Msg(FolderPath.INBOX, message(i, i), flags(i), DATE));
    }
    try (ScriptedImapServer server =
        new ScriptedImapServer("LITERAL+ MULTIAPPEND UIDPLUS", script)) {
      List<String> outcomes = append(server, 3, 1 << 20, msgs);
      assertThat(outcomes).hasSize(4);
      assertThat(outcomes).filteredOn(o -> o.startsWith("1 ")).containsExactly("1 refused: the"
          + " server said 'NO [OVERQUOTA] Quota exceeded (mailbox for user is full)'");
      assertThat(outcomes).filteredOn(o -> !o.startsWith("1 "))
          .allMatch(o -> o.matches("\\d stored 5:\\d+"));
      // two batches (3 + 1), the first refused and sent again message by message
      assertThat(appends(server)).extracting(MultiAppendTest::literals)
          .containsExactly(3, 1, 1, 1, 1);
      assertThat(appends(server).subList(2, 5)).extracting(x -> text(x.literal()))
          .containsExactly(text(message(0, 0)), text(message(1, 1)), text(message(2, 2)));
      assertThat(appends(server).get(2).line()).contains("(\\Seen $Label0) \"04-May-2023");
    }
  }

  /**
   * Messages read into pooled chunks, released by the caller right after {@code append} (as the
   * reader does): the writer holds them until the answer, so that the chunks are not reused
   * while a refused batch may still have to be sent again, and gives them back after it.
   */
  @Test
  void pooledMessagesShouldStayIntactUntilTheirAnswerAndThenGoBackToThePool() throws IOException {
    ScriptedImapServer.Script script = (c, seen) -> {
      if (literals(c) > 1) {
        return c.tag() + " NO [OVERQUOTA] Quota exceeded\r\n";
      }
      return c.tag() + " OK [APPENDUID 5 " + (10 + seen.size()) + "] done\r\n";
    };
    LiteralPool pool = new LiteralPool(64L * LiteralPool.CHUNK);
    List<byte[]> msgs = new ArrayList<>();
    int chunks = 0;
    for (int i = 0; i < 4; i++) {
      byte[] m = message(i, LiteralPool.CHUNK + 1000 * i); // two chunks each
      msgs.add(m);
      chunks += (m.length + LiteralPool.CHUNK - 1) / LiteralPool.CHUNK;
    }
    List<String> outcomes = new ArrayList<>();
    try (ScriptedImapServer server =
        new ScriptedImapServer("LITERAL+ MULTIAPPEND UIDPLUS", script);
        WireConnection c = WireConnection.open(ImapLocation.parse(URI.create(
            "imap://u%40example.com@127.0.0.1:" + server.port() + "?starttls=false")),
            (u, h) -> "pw".toCharArray())) {
      WireWriter w = new WireWriter(c, 3, 1 << 24);
      assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
        for (int i = 0; i < msgs.size(); i++) {
          byte[] m = msgs.get(i);
          byte[][] parts = new byte[(m.length + LiteralPool.CHUNK - 1) / LiteralPool.CHUNK][];
          for (int k = 0; k < parts.length; k++) {
            parts[k] = pool.take();
            int from = k * LiteralPool.CHUNK;
            System.arraycopy(m, from, parts[k], 0, Math.min(LiteralPool.CHUNK, m.length - from));
          }
          SpooledMessage s = SpooledMessage.pooled(parts, m.length, pool::give);
          int n = i;
          w.append(ACCOUNT, FolderPath.INBOX, s, Flags.NONE, DATE, told(outcomes, n));
          s.release();
          // the next message would take whatever chunks are free now, and overwrite them
          List<byte[]> scribbled = new ArrayList<>();
          while (pool.free() > 0) {
            byte[] b = pool.take();
            Arrays.fill(b, (byte) 'Z');
            scribbled.add(b);
          }
          scribbled.forEach(pool::give);
        }
        w.flush();
      });
      assertThat(server.failure).isNull();
      // the batch of three was refused and each of its messages sent again, from the same chunks
      assertThat(appends(server)).extracting(MultiAppendTest::literals)
          .containsExactly(3, 1, 1, 1, 1);
      assertThat(appends(server).subList(2, 5)).extracting(x -> text(x.literal()))
          .containsExactly(text(msgs.get(0)), text(msgs.get(1)), text(msgs.get(2)));
      assertThat(text(appends(server).get(1).literal())).isEqualTo(text(msgs.get(3)));
    }
    assertThat(outcomes).hasSize(4).allMatch(o -> o.matches("\\d stored 5:\\d+"));
    assertThat(pool.free()).isEqualTo(chunks);
  }

  @Test
  void anAnswerWhoseUidSetDoesNotMatchTheBatchShouldStoreWithoutUids() throws IOException {
    ScriptedImapServer.Script script =
        (c, seen) -> c.tag() + " OK [APPENDUID 77 1:2] only two for three\r\n";
    List<Msg> msgs = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      msgs.add(new Msg(FolderPath.INBOX, message(i, 1), Flags.NONE, DATE));
    }
    try (ScriptedImapServer server =
        new ScriptedImapServer("LITERAL+ MULTIAPPEND UIDPLUS", script)) {
      assertThat(append(server, 64, 1 << 20, msgs))
          .containsExactly("0 stored", "1 stored", "2 stored");
    }
  }

  @Test
  void withoutMultiappendOrWithoutLiteralPlusEachMessageShouldGoAlone() throws IOException {
    List<Msg> msgs = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      msgs.add(new Msg(FolderPath.INBOX, message(i, 1), Flags.NONE, DATE));
    }
    for (String caps : List.of("LITERAL+ UIDPLUS", "MULTIAPPEND UIDPLUS")) {
      try (ScriptedImapServer server = new ScriptedImapServer(caps, okWithUids())) {
        assertThat(append(server, 64, 1 << 20, msgs))
            .containsExactly("0 stored 77:1", "1 stored 77:2", "2 stored 77:3");
        assertThat(appends(server)).hasSize(3);
      }
    }
  }

  @Test
  void appendUidSetsShouldBeExpandedInOrderAndMatchTheCount() {
    assertThat(WireWriter.appendUid("OK [APPENDUID 9 4:6] Append completed.", 3))
        .containsExactly(9L, 4L, 5L, 6L);
    assertThat(WireWriter.appendUid("OK [APPENDUID 9 4,7:8,10] x", 4))
        .containsExactly(9L, 4L, 7L, 8L, 10L);
    assertThat(WireWriter.appendUid("OK [APPENDUID 9 4:6] x", 2)).isNull();
    assertThat(WireWriter.appendUid("OK [APPENDUID 9 4:6] x", 4)).isNull();
    assertThat(WireWriter.appendUid("OK [APPENDUID 9 1:4000000000] x", 3)).isNull();
    assertThat(WireWriter.appendUid("OK [APPENDUID 9 4,] x", 1)).isNull();
    assertThat(WireWriter.appendUid("OK [APPENDUID 9 0:2] x", 3)).isNull();
  }

  private static String text(byte[] b) {
    return new String(b, StandardCharsets.ISO_8859_1);
  }
}
