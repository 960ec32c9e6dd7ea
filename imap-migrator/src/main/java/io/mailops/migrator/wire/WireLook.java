package io.mailops.migrator.wire;

import io.mailops.migrator.FolderStatus;
import io.mailops.migrator.MigrationAccount;
import io.mailops.migrator.NothingNew;
import io.mailops.storage.imap.ImapLocation;
import io.mailops.storage.model.FolderPath;
import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * One look at an IMAP account for {@link NothingNew}: log in on a connection of its own, list
 * the folders as the migration's store does, ask every folder's {@code STATUS (UIDVALIDITY UIDNEXT
 * MESSAGES HIGHESTMODSEQ)} (HIGHESTMODSEQ when the server offers CONDSTORE), log out. Reads only
 * (no folder is selected). Two round trips after the greeting when the server offers
 * {@code LIST-STATUS} (RFC 5819): the login, then one {@code LIST "" "*" RETURN (STATUS ...)} that
 * also gives the hierarchy separator; otherwise the login, {@code LIST}, and every {@code STATUS}
 * at once ({@link WireReader#status}). The {@code LOGOUT} can be left to the caller's executor,
 * so that the answer does not wait for its round trip (docs/adr/0039).
 */
public final class WireLook {

  private WireLook() {}

  /**
   * The folders and statuses of {@code endpoint} (IMAP, any auth the wire layer speaks), logged
   * out before it returns. The folder list is the one the migration's store gives: {@code INBOX}
   * always, as the foundation's {@code ImapStore} lists it, except for XOAUTH2 logins, whose
   * store is a {@link WireStore}.
   *
   * @throws IllegalArgumentException for a Maildir endpoint
   * @throws IOException when the server cannot be reached, refuses the login or a command
   */
  public static NothingNew.Side of(MigrationAccount.Endpoint endpoint) throws IOException {
    return of(endpoint, Runnable::run);
  }

  /**
   * {@link #of(MigrationAccount.Endpoint)}, with the connection logged out and closed by a task
   * given to {@code closer} once the answer is known (or the look failed).
   */
  public static NothingNew.Side of(MigrationAccount.Endpoint endpoint, Executor closer)
      throws IOException {
    if (endpoint.isMaildir()) {
      throw new IllegalArgumentException("not an IMAP endpoint: " + endpoint.uri());
    }
    WireConnection c = WireConnection.open(ImapLocation.parse(URI.create(endpoint.uri())),
        endpoint.passwords(), endpoint.auth(), false);
    try {
      boolean modseq = c.has("CONDSTORE");
      boolean listStatus = c.has("LIST-STATUS");
      // an extended LIST gives the special-use attributes only when asked (RFC 6154 5.1)
      String uses = c.has("SPECIAL-USE") ? "SPECIAL-USE " : "";
      List<String> lines = c.runText(listStatus ? "LIST \"\" \"*\" RETURN (" + uses
          + "STATUS (UIDVALIDITY UIDNEXT MESSAGES" + (modseq ? " HIGHESTMODSEQ))" : "))")
          : "LIST \"\" \"*\"", "list the folders of " + endpoint.account());
      c.separatorFrom(lines);
      WireStore.Listing listing = WireStore.listing(lines);
      List<FolderPath> folders = new ArrayList<>(listing.folders());
      if (endpoint.auth() != MigrationAccount.Auth.XOAUTH2 && !folders.contains(FolderPath.INBOX)) {
        folders.add(0, FolderPath.INBOX);
      }
      Map<FolderPath, FolderStatus> status = new HashMap<>();
      if (listStatus) {
        status.putAll(WireReader.statusFrom(c, lines, folders, modseq));
      }
      List<FolderPath> missing = new ArrayList<>();
      for (FolderPath f : folders) {
        if (!status.containsKey(f)) {
          missing.add(f);
        }
      }
      if (!missing.isEmpty()) {
        status.putAll(new WireReader(c, false).status(endpoint.account(), missing));
      }
      return new NothingNew.Side(folders, status, listing.specialUse());
    } finally {
      Runnable close = () -> {
        try {
          c.close();
        } catch (IOException ignored) {
          // logged out or not, the socket is closed
        }
      };
      try {
        closer.execute(close);
      } catch (RejectedExecutionException e) {
        close.run(); // the caller's executor is shut down: here, then
      }
    }
  }
}
