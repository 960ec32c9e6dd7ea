package io.mailops.migrator.wire;

import io.mailops.migrator.SourceExpunger;
import io.mailops.storage.model.AccountId;
import io.mailops.storage.model.FolderPath;
import io.mailops.storage.model.MessageRef;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@link SourceExpunger} on a {@link WireConnection}: {@code SELECT} (the only read-write open of
 * a source folder), {@code UID STORE set +FLAGS.SILENT (\Deleted)}, then {@code UID EXPUNGE set}
 * when the server has UIDPLUS. Without UIDPLUS a plain {@code EXPUNGE} would also remove
 * messages someone else flagged {@code \Deleted}, so it is sent only when {@code UID SEARCH
 * DELETED} lists none but ours; otherwise ours stay flagged and are reported. Messages whose key
 * has another UIDVALIDITY than the folder now are left alone.
 */
public final class WireExpunger implements SourceExpunger {

  private static final Pattern UIDVALIDITY = Pattern.compile("\\[UIDVALIDITY (\\d+)\\]",
      Pattern.CASE_INSENSITIVE);

  private final WireConnection connection;

  /** An expunger on {@code connection}, shared with the source's reader. */
  public WireExpunger(WireConnection connection) {
    this.connection = Objects.requireNonNull(connection, "connection");
  }

  @Override
  public int expunge(AccountId account, FolderPath folder, List<MessageRef> refs,
      List<String> problems) throws IOException {
    if (refs.isEmpty()) {
      return 0;
    }
    connection.selectedBy(this);
    long uidValidity = -1;
    for (String l : connection.runText("SELECT " + connection.mailbox(folder),
        "open folder " + folder + " of " + account + " to delete migrated messages")) {
      Matcher m = UIDVALIDITY.matcher(l);
      if (m.find()) {
        uidValidity = Long.parseLong(m.group(1));
      }
    }
    List<Long> uids = new ArrayList<>();
    for (MessageRef ref : refs) {
      long[] k = WireReader.key(ref);
      if (k == null || k[0] != uidValidity) {
        problems.add("folder " + folder + " of " + account + ", message " + ref.key()
            + ": not deleted from the source, the folder's UIDVALIDITY changed since it was"
            + " verified; run again");
      } else {
        uids.add(k[1]);
      }
    }
    if (uids.isEmpty()) {
      return 0;
    }
    String set = WireReader.uidSet(uids);
    connection.runText("UID STORE " + set + " +FLAGS.SILENT (\\Deleted)",
        "flag verified messages \\Deleted in folder " + folder + " of " + account);
    if (connection.has("UIDPLUS")) {
      connection.runText("UID EXPUNGE " + set, "expunge verified messages of folder " + folder
          + " of " + account);
    } else {
      Set<Long> deleted = new TreeSet<>();
      for (String l : connection.runText("UID SEARCH DELETED", "list deleted messages of "
          + folder)) {
        if (l.regionMatches(true, 0, "SEARCH", 0, 6)) {
          for (String n : l.substring(6).trim().split(" +")) {
            if (!n.isEmpty()) {
              deleted.add(Long.parseLong(n));
            }
          }
        }
      }
      deleted.removeAll(uids);
      if (!deleted.isEmpty()) {
        problems.add("folder " + folder + " of " + account + ": " + uids.size() + " verified"
            + " message(s) flagged \\Deleted but not expunged: the server has no UIDPLUS and "
            + deleted.size() + " other message(s) are flagged \\Deleted too, which EXPUNGE would"
            + " remove; expunge the folder yourself");
        return 0;
      }
      connection.runText("EXPUNGE", "expunge verified messages of folder " + folder);
    }
    return uids.size();
  }
}
