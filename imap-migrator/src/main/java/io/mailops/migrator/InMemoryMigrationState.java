package io.mailops.migrator;

import io.mailops.storage.model.AccountId;
import io.mailops.storage.model.FolderPath;
import io.mailops.storage.model.MessageKey;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/** A {@link MigrationState} in memory, lost with the process; for tests and dry runs. */
public final class InMemoryMigrationState implements MigrationState {

  private final Map<AccountId, Map<FolderPath, Set<MessageKey>>> done = new HashMap<>();
  private final Map<AccountId, Map<FolderPath, VerifiedFolder>> verified = new HashMap<>();

  @Override
  public synchronized Set<MessageKey> done(AccountId account, FolderPath folder) {
    return Set.copyOf(done.getOrDefault(account, Map.of()).getOrDefault(folder, Set.of()));
  }

  @Override
  public synchronized void markDone(AccountId account, FolderPath folder, MessageKey key) {
    done.computeIfAbsent(account, a -> new HashMap<>())
        .computeIfAbsent(folder, f -> new HashSet<>()).add(key);
  }

  @Override
  public synchronized Map<FolderPath, VerifiedFolder> verified(AccountId account) {
    return Map.copyOf(verified.getOrDefault(account, Map.of()));
  }

  @Override
  public synchronized void verified(AccountId account, Map<FolderPath, VerifiedFolder> folders) {
    verified.put(account, Map.copyOf(folders));
  }
}
