package io.mailops.migrator.wire;

import static org.assertj.core.api.Assertions.assertThat;

import io.mailops.storage.model.AccountId;
import io.mailops.storage.model.FolderPath;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@link WireWriter#createFolders}: CREATE and SUBSCRIBE of every folder in one round trip; a
 * folder the server refuses is not reported as made.
 */
class WireCreateFoldersTest {

  private static final AccountId ACCOUNT = AccountId.of("u@example.com");


  /** Nothing until all six commands are in; then "Taken" refused, the others made. */
  private static String answers(ScriptedImapServer.Command c,
      List<ScriptedImapServer.Command> seen) {
    List<ScriptedImapServer.Command> all = seen.stream()
        .filter(x -> x.line().contains(" CREATE ") || x.line().contains(" SUBSCRIBE ")).toList();
    if (all.size() < 6) {
      return "";
    }
    StringBuilder b = new StringBuilder();
    for (ScriptedImapServer.Command x : all) {
      boolean refused = x.line().contains("CREATE \"Taken\"");
      b.append(x.tag()).append(refused ? " NO [ALREADYEXISTS] Mailbox already exists\r\n"
          : " OK done\r\n");
    }
    return b.toString();
  }

  @Test
  @Timeout(20) // one folder at a time would wait for answers that never come
  void everyFolderIsCreatedAndSubscribedInOneRoundTrip() throws Exception {
    try (ScriptedImapServer server = new ScriptedImapServer("LITERAL+",
        WireCreateFoldersTest::answers); WireConnection c = server.connect()) {
      WireWriter writer = new WireWriter(c);

      assertThat(writer.createFolders(ACCOUNT, List.of(FolderPath.of("Archive"),
          FolderPath.of("Archive/2024"), FolderPath.INBOX, FolderPath.of("Taken"))))
          .containsExactly(FolderPath.of("Archive"), FolderPath.of("Archive/2024"));
      assertThat(server.seen).extracting(ScriptedImapServer.Command::line)
          .filteredOn(l -> l.contains(" CREATE ") || l.contains(" SUBSCRIBE "))
          .map(l -> l.substring(l.indexOf(' ') + 1))
          .containsExactly("CREATE \"Archive\"", "SUBSCRIBE \"Archive\"",
              "CREATE \"Archive/2024\"", "SUBSCRIBE \"Archive/2024\"", "CREATE \"Taken\"",
              "SUBSCRIBE \"Taken\"");
    }
  }
}
