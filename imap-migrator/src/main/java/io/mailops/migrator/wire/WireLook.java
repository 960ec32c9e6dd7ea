package io.mailops.migrator.wire;

import io.mailops.migrator.FolderStatus;
import io.mailops.migrator.MigrationAccount;
import io.mailops.migrator.NothingNew;
import io.mailops.storage.imap.ImapLocation;
import io.mailops.storage.model.FolderPath;
import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One look at an IMAP account for {@link NothingNew}: log in on a connection of its own, list
 * the folders as the migration's store does, ask every folder's {@code STATUS (UIDVALIDITY UIDNEXT
 * MESSAGES HIGHESTMODSEQ)} at once ({@link WireReader#status}, HIGHESTMODSEQ when the server
 * offers CONDSTORE), log out. Three round trips after the greeting: login, {@code LIST}, the
 * {@code STATUS} commands. Reads only (no folder is selected).
 */
public final class WireLook {

  private WireLook() {}

  /**
   * The folders and statuses of {@code endpoint} (IMAP, any auth the wire layer speaks).
   * The folder list is the one the migration's store gives: {@code INBOX} always, as the
   * foundation's {@code ImapStore} lists it, except for XOAUTH2 logins, whose store is a
   * {@link WireStore}.
   *
   * @throws IllegalArgumentException for a Maildir endpoint
   * @throws IOException when the server cannot be reached, refuses the login or a command
   */
  public static NothingNew.Side of(MigrationAccount.Endpoint endpoint) throws IOException {
    if (endpoint.isMaildir()) {
      throw new IllegalArgumentException("not an IMAP endpoint: " + endpoint.uri());
    }
    try (WireConnection c = WireConnection.open(ImapLocation.parse(URI.create(endpoint.uri())),
        endpoint.passwords(), endpoint.auth())) {
      List<FolderPath> folders = new ArrayList<>(WireStore.folders(c, endpoint.account()));
      if (endpoint.auth() != MigrationAccount.Auth.XOAUTH2 && !folders.contains(FolderPath.INBOX)) {
        folders.add(0, FolderPath.INBOX);
      }
      Map<FolderPath, FolderStatus> status =
          new WireReader(c, false).status(endpoint.account(), folders);
      return new NothingNew.Side(folders, status);
    }
  }
}
