package io.mailops.migrator.wire;

import static org.assertj.core.api.Assertions.assertThat;

import io.mailops.migrator.FolderStatus;
import io.mailops.storage.model.AccountId;
import io.mailops.storage.model.FolderPath;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@link WireReader#status}: every folder's STATUS in one round trip, matched by name. */
class WireStatusTest {

  private static final AccountId ACCOUNT = AccountId.of("u@example.com");
  private static final FolderPath CAFE = FolderPath.of("Café");
  private static final FolderPath GONE = FolderPath.of("Gone");


  /** Answers nothing until all three STATUS commands are in, then all, untagged ones first. */
  private static String answers(ScriptedImapServer.Command c,
      List<ScriptedImapServer.Command> seen) {
    List<ScriptedImapServer.Command> status =
        seen.stream().filter(x -> x.line().contains(" STATUS ")).toList();
    if (status.size() < 3) {
      return "";
    }
    StringBuilder b = new StringBuilder();
    b.append("* STATUS \"Caf&AOk-\" (UIDVALIDITY 9 UIDNEXT 5 MESSAGES 4 HIGHESTMODSEQ 17)\r\n");
    b.append("* STATUS INBOX (MESSAGES 11 UIDNEXT 12 UIDVALIDITY 7 HIGHESTMODSEQ 40)\r\n");
    for (ScriptedImapServer.Command s : status) {
      b.append(s.tag()).append(s.line().contains("Gone") ? " NO no such folder\r\n"
          : " OK done\r\n");
    }
    return b.toString();
  }

  @Test
  void statusOfEveryFolderIsAskedAtOnceAndMatchedByName() throws Exception {
    try (ScriptedImapServer server = new ScriptedImapServer("LITERAL+ CONDSTORE",
        WireStatusTest::answers); WireConnection c = server.connect()) {
      Map<FolderPath, FolderStatus> s = new WireReader(c, true)
          .status(ACCOUNT, List.of(FolderPath.INBOX, CAFE, GONE));

      assertThat(s).containsOnly(
          Map.entry(FolderPath.INBOX, new FolderStatus(7, 12, 11, 40)),
          Map.entry(CAFE, new FolderStatus(9, 5, 4, 17)));
      assertThat(server.seen).filteredOn(x -> x.line().contains(" STATUS "))
          .extracting(ScriptedImapServer.Command::line)
          .allMatch(l -> l.endsWith("(UIDVALIDITY UIDNEXT MESSAGES HIGHESTMODSEQ)"));
    }
  }

  @Test
  void withoutCondstoreThereIsNoModseqAndAMissingItemLeavesTheFolderOut() {
    assertThat(WireReader.statusOf("STATUS INBOX (UIDVALIDITY 1 UIDNEXT 2 MESSAGES 1)", false))
        .isEqualTo(new FolderStatus(1, 2, 1, -1));
    assertThat(WireReader.statusOf("STATUS INBOX (UIDVALIDITY 1 MESSAGES 1)", false)).isNull();
    assertThat(WireReader.statusOf("STATUS INBOX (UIDVALIDITY 1 UIDNEXT 2 MESSAGES 1)", true))
        .isNull();
  }

  @Test
  void itemsAreReadInAnyCaseAndOrderAndOnlyAsWholeNames() {
    assertThat(WireReader.statusOf("STATUS \"Sent Items\""
        + " (messages 12 HighestModSeq 9 uidnext 40 UIDVALIDITY 1795336447)", true))
        .isEqualTo(new FolderStatus(1795336447L, 40, 12, 9));
    // a longer item ending in a name, or a name without a number, is not the item
    assertThat(Response.number("(XUIDNEXT 7 UIDNEXT 8)", "UIDNEXT")).isEqualTo(8);
    assertThat(Response.number("(UIDNEXT x UIDNEXT 9)", "UIDNEXT")).isEqualTo(9);
    assertThat(Response.number("(UIDNEXTS 7)", "UIDNEXT")).isEqualTo(-1);
    assertThat(Response.number("(UIDNEXT ", "UIDNEXT")).isEqualTo(-1);
    assertThat(Response.number("UIDNEXT 5", "UIDNEXT")).isEqualTo(-1);
    assertThat(Response.number("(MESSAGES 0)", "MESSAGES")).isZero();
    // the FETCH items a scan reads, in the case servers send them and in any other
    assertThat(Response.number("12 FETCH (UID 40 RFC822.SIZE 99)", "RFC822.SIZE")).isEqualTo(99);
    assertThat(Response.number("12 fetch (uid 40 rfc822.size 99)", "UID")).isEqualTo(40);
    assertThat(Response.number("12 fetch (uid 40 rfc822.size 99)", "RFC822.SIZE")).isEqualTo(99);
  }

  @Test
  void aStatusTokenRoundTrips() {
    FolderStatus s = new FolderStatus(1795336447L, 404, 403, -1);
    assertThat(FolderStatus.parse(s.token())).isEqualTo(s);
  }
}
