package io.mailops.migrator;

import io.mailops.storage.model.AccountId;
import io.mailops.storage.model.FolderPath;
import io.mailops.storage.model.MessageRef;
import java.io.IOException;
import java.util.List;

/**
 * Removes messages from the source, for {@code --delete-source-after-verify} only: the
 * {@link MigrationVerify} hands it, per folder, exactly the source messages it found on the
 * target. Not thread-safe.
 */
public interface SourceExpunger {

  /**
   * Flags {@code refs} (all of {@code folder} of {@code account}, from a scan of the source)
   * {@code \Deleted} and expunges them, and no other message; a message that cannot be removed
   * is named in {@code problems}. Returns how many were removed.
   */
  int expunge(AccountId account, FolderPath folder, List<MessageRef> refs, List<String> problems)
      throws IOException;
}
