package io.mailops.migrator.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mailops.migrator.MessageReader;
import io.mailops.storage.FolderScan;
import io.mailops.storage.MailStoreException;
import io.mailops.storage.model.AccountId;
import io.mailops.storage.model.FolderPath;
import io.mailops.storage.model.MessageRef;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@link WireReader#scanAll}: the scans of several folders in one round trip, each as
 * {@link WireReader#scan} makes it, a folder the server refuses reported on its own.
 */
class WireScanAllTest {

  private static final AccountId ACCOUNT = AccountId.of("u@example.com");
  private static final FolderPath CAFE = FolderPath.of("Café");
  private static final FolderPath GONE = FolderPath.of("Gone");


  /** The answers to one EXAMINE or UID FETCH, by the folder examined last before it. */
  private static String answer(ScriptedImapServer.Command c, String folder) {
    String tag = c.tag();
    if (c.line().contains(" EXAMINE ")) {
      return switch (folder) {
        case "INBOX" -> "* 2 EXISTS\r\n* OK [UIDVALIDITY 7] UIDs valid\r\n" + tag + " OK [READ-ONLY] done\r\n";
        case "\"Caf&AOk-\"" -> "* 0 EXISTS\r\n* OK [UIDVALIDITY 9] UIDs valid\r\n" + tag + " OK [READ-ONLY] done\r\n";
        default -> tag + " NO Mailbox doesn't exist: Gone\r\n";
      };
    }
    return switch (folder) {
      case "INBOX" -> "* 1 FETCH (UID 3 FLAGS (\\Seen $Label1) RFC822.SIZE 120 INTERNALDATE"
          + " \"01-Nov-2026 12:00:00 +0000\")\r\n* 2 FETCH (UID 8 FLAGS () RFC822.SIZE 64"
          + " INTERNALDATE \"02-Nov-2026 13:00:00 +0100\")\r\n" + tag + " OK done\r\n";
      case "\"Caf&AOk-\"" -> tag + " OK done\r\n";
      default -> tag + " BAD No mailbox selected\r\n";
    };
  }

  /** Nothing until all six commands of the three scans are in; then every command in order. */
  private static String answers(ScriptedImapServer.Command c,
      List<ScriptedImapServer.Command> seen) {
    List<ScriptedImapServer.Command> scans = seen.stream()
        .filter(x -> x.line().contains(" EXAMINE ") || x.line().contains(" UID FETCH ")).toList();
    if (scans.size() < 6) {
      return "";
    }
    StringBuilder b = new StringBuilder();
    String folder = null;
    for (int i = 0; i < scans.size(); i++) {
      ScriptedImapServer.Command s = scans.get(i);
      if (s.line().contains(" EXAMINE ")) {
        folder = s.line().substring(s.line().indexOf("EXAMINE ") + 8);
      }
      if (scans.size() == 6 || i == scans.size() - 1) {
        b.append(answer(s, folder));
      }
    }
    return b.toString();
  }

  @Test
  @Timeout(20) // scans sent one after the other would wait for answers that never come
  void theScansOfSeveralFoldersAreSentAtOnceAndAFolderRefusedIsReportedOnItsOwn()
      throws Exception {
    try (ScriptedImapServer server = new ScriptedImapServer("LITERAL+",
        WireScanAllTest::answers); WireConnection c = server.connect()) {
      WireReader reader = new WireReader(c, true);

      Map<FolderPath, MessageReader.Scanned> all =
          reader.scanAll(ACCOUNT, List.of(FolderPath.INBOX, GONE, CAFE, FolderPath.INBOX));

      assertThat(all).containsOnlyKeys(FolderPath.INBOX, GONE, CAFE);
      FolderScan inbox = all.get(FolderPath.INBOX).get();
      assertThat(inbox.messages()).extracting(r -> r.key().value()).containsExactly("7:3", "7:8");
      MessageRef first = inbox.messages().get(0);
      assertThat(first.flags().toString()).isEqualTo("\\Seen $Label1");
      assertThat(first.size()).isEqualTo(120);
      assertThat(all.get(CAFE).get().messages()).isEmpty();
      assertThatThrownBy(() -> all.get(GONE).get()).isInstanceOf(MailStoreException.class)
          .hasMessageContaining("Gone").hasMessageContaining("doesn't exist");

      // the connection is in step: a scan after them reads its own answers
      assertThat(reader.scan(ACCOUNT, FolderPath.INBOX).messages()).hasSize(2);
    }
  }
}
