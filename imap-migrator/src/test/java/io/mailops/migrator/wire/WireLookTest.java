package io.mailops.migrator.wire;

import static org.assertj.core.api.Assertions.assertThat;

import io.mailops.migrator.FolderStatus;
import io.mailops.migrator.MigrationAccount;
import io.mailops.migrator.NothingNew;
import io.mailops.storage.model.AccountId;
import io.mailops.storage.model.FolderPath;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@link WireLook} against a server that offers LIST-STATUS (RFC 5819): the folders, their
 * statuses and the hierarchy separator from one {@code LIST ... RETURN (STATUS ...)}, a STATUS
 * only for a folder the answer left out, and the LOGOUT left to the caller's executor.
 */
class WireLookTest {

  private static String answers(ScriptedImapServer.Command c,
      List<ScriptedImapServer.Command> seen) {
    if (c.line().contains(" LIST ")) {
      return "* LIST (\\HasNoChildren) \".\" INBOX\r\n"
          + "* STATUS INBOX (UIDVALIDITY 7 UIDNEXT 12 MESSAGES 11 HIGHESTMODSEQ 40)\r\n"
          + "* LIST (\\Noselect \\HasChildren) \".\" \"Caf&AOk-\"\r\n"
          + "* LIST (\\HasNoChildren) \".\" \"Caf&AOk-.Sub\"\r\n"
          + "* STATUS \"Caf&AOk-.Sub\" (UIDVALIDITY 9 UIDNEXT 5 MESSAGES 4 HIGHESTMODSEQ 17)\r\n"
          + "* LIST (\\HasNoChildren) \".\" Drafts\r\n"
          + c.tag() + " OK done\r\n";
    }
    if (c.line().contains(" STATUS \"Drafts\" ")) {
      return "* STATUS Drafts (UIDVALIDITY 3 UIDNEXT 1 MESSAGES 0 HIGHESTMODSEQ 1)\r\n"
          + c.tag() + " OK done\r\n";
    }
    return c.tag() + " BAD unexpected\r\n";
  }

  @Test
  void oneListGivesFoldersStatusesAndSeparatorAndTheLogoutWaitsForTheCaller() throws Exception {
    try (ScriptedImapServer server = new ScriptedImapServer("LIST-STATUS CONDSTORE", true, true,
        WireLookTest::answers)) {
      MigrationAccount.Endpoint e = new MigrationAccount.Endpoint("imap://u%40example.com@127.0.0.1:"
          + server.port() + "?starttls=false", AccountId.of("u@example.com"),
          (u, h) -> "pw".toCharArray(), MigrationAccount.Auth.LOGIN);
      List<Runnable> later = new ArrayList<>();

      NothingNew.Side side = WireLook.of(e, later::add);

      FolderPath sub = FolderPath.of("Café/Sub");
      FolderPath drafts = FolderPath.of("Drafts");
      assertThat(side.folders()).containsExactly(FolderPath.INBOX, sub, drafts);
      assertThat(side.status()).containsOnly(
          Map.entry(FolderPath.INBOX, new FolderStatus(7, 12, 11, 40)),
          Map.entry(sub, new FolderStatus(9, 5, 4, 17)),
          Map.entry(drafts, new FolderStatus(3, 1, 0, 1)));
      assertThat(server.seen).extracting(ScriptedImapServer.Command::line).containsExactly(
          "w1 LOGIN \"u@example.com\" \"pw\"",
          "w2 LIST \"\" \"*\" RETURN (STATUS (UIDVALIDITY UIDNEXT MESSAGES HIGHESTMODSEQ))",
          "w3 STATUS \"Drafts\" (UIDVALIDITY UIDNEXT MESSAGES HIGHESTMODSEQ)");

      assertThat(later).hasSize(1);
      later.get(0).run();
      assertThat(server.seen).extracting(ScriptedImapServer.Command::line).last()
          .isEqualTo("w4 LOGOUT");
    }
  }

  @Test
  void withSpecialUseTheListAsksForTheAttributesAndTheSideHoldsThem() throws Exception {
    try (ScriptedImapServer server = new ScriptedImapServer("LIST-STATUS SPECIAL-USE", true, true,
        (c, seen) -> c.line().contains(" LIST ")
            ? "* LIST (\\HasNoChildren) \"/\" INBOX\r\n"
            + "* STATUS INBOX (UIDVALIDITY 7 UIDNEXT 12 MESSAGES 11)\r\n"
            + "* LIST (\\HasNoChildren \\Sent) \"/\" \"[Gmail]/Sent Mail\"\r\n"
            + "* STATUS \"[Gmail]/Sent Mail\" (UIDVALIDITY 9 UIDNEXT 5 MESSAGES 4)\r\n"
            + "* LIST (\\Trash) \"/\" Papierkorb\r\n"
            + "* STATUS Papierkorb (UIDVALIDITY 3 UIDNEXT 1 MESSAGES 0)\r\n"
            + c.tag() + " OK done\r\n"
            : c.tag() + " BAD unexpected\r\n")) {
      MigrationAccount.Endpoint e = new MigrationAccount.Endpoint("imap://u%40example.com@127.0.0.1:"
          + server.port() + "?starttls=false", AccountId.of("u@example.com"),
          (u, h) -> "pw".toCharArray(), MigrationAccount.Auth.LOGIN);

      NothingNew.Side side = WireLook.of(e);

      assertThat(side.specialUse()).containsOnly(
          Map.entry(FolderPath.of("[Gmail]/Sent Mail"), "\\Sent"),
          Map.entry(FolderPath.of("Papierkorb"), "\\Trash"));
      assertThat(server.seen).extracting(ScriptedImapServer.Command::line).contains(
          "w2 LIST \"\" \"*\" RETURN (SPECIAL-USE STATUS (UIDVALIDITY UIDNEXT MESSAGES))");
    }
  }
}
