package io.mailops.migrator;

import io.mailops.storage.model.FolderPath;
import io.mailops.storage.model.MessageKey;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * What one {@link Migrator} run appended and the target confirmed with the UID it gave the copy
 * ({@code APPENDUID}, RFC 4315): per source folder, source key → target folder, UIDVALIDITY, UID
 * and the number of bytes sent. {@link MigrationVerify#trusting} pairs a source message with its
 * copy through it instead of fingerprinting both (ADR 0019). Kept in memory for one run only; a
 * restarted run verifies what earlier runs copied by fingerprint. Not thread-safe.
 */
public final class CopiedMessages {

  /**
   * One confirmed copy.
   *
   * @param targetFolder the folder it was appended to
   * @param uidValidity the target folder's UIDVALIDITY, as the server's {@code APPENDUID} said
   * @param uid the copy's UID, likewise
   * @param size the bytes sent: exactly the source message's bytes as read in this run
   */
  public record Copy(FolderPath targetFolder, long uidValidity, long uid, long size) {

    public Copy {
      Objects.requireNonNull(targetFolder, "targetFolder");
    }
  }

  private final Map<FolderPath, Map<MessageKey, Copy>> bySource = new HashMap<>();

  /** Records that source message {@code key} of {@code sourceFolder} was copied as {@code copy}. */
  public void add(FolderPath sourceFolder, MessageKey key, Copy copy) {
    bySource.computeIfAbsent(sourceFolder, f -> new HashMap<>()).put(key, copy);
  }

  /** The copies of messages of {@code sourceFolder}, by source key; empty when none. */
  public Map<MessageKey, Copy> of(FolderPath sourceFolder) {
    return bySource.getOrDefault(sourceFolder, Map.of());
  }

  /** How many copies are recorded. */
  public int size() {
    return bySource.values().stream().mapToInt(Map::size).sum();
  }
}
