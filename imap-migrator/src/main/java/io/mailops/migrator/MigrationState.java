package io.mailops.migrator;

import io.mailops.storage.model.AccountId;
import io.mailops.storage.model.FolderPath;
import io.mailops.storage.model.MessageKey;
import java.io.IOException;
import java.util.Map;
import java.util.Set;

/**
 * What a migration has already copied: per source account and source folder, the keys of the
 * source messages that are on the target (copied, or found there as duplicates). A re-run skips
 * them without reading or fingerprinting them. Recording a key twice is harmless. Keys are the
 * source store's {@link MessageKey}s ({@code UIDVALIDITY:UID} on IMAP), so a folder whose
 * UIDVALIDITY changed is matched again by fingerprint. One state belongs to one migration (one
 * source and one target); implementations are safe for use by several threads.
 */
public interface MigrationState {

  /** The keys recorded for {@code folder} of {@code account}; a snapshot, empty when none. */
  Set<MessageKey> done(AccountId account, FolderPath folder) throws IOException;

  /** Records that message {@code key} of {@code folder} of {@code account} is on the target. */
  void markDone(AccountId account, FolderPath folder, MessageKey key) throws IOException;

  /**
   * The folders of {@code account} that the last verification found complete, by source folder
   * (see {@link VerifiedFolder}); empty when none were kept. The default keeps none.
   */
  default Map<FolderPath, VerifiedFolder> verified(AccountId account) throws IOException {
    return Map.of();
  }

  /**
   * Replaces what {@link #verified(AccountId)} returns for {@code account}. The default keeps
   * nothing.
   */
  default void verified(AccountId account, Map<FolderPath, VerifiedFolder> folders)
      throws IOException {}

  /** A state held in memory only (tests, dry runs). */
  static MigrationState inMemory() {
    return new InMemoryMigrationState();
  }
}
