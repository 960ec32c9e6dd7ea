package io.mailops.backup;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code manifest.json} of a folder stored as a delta (format 4, {@link FolderEntry#deltaBase()}):
 * the entries of the folder's messages that are new or differ from the base folder manifest
 * ({@code changed}, keyed by base name), the base names of the base's messages that are gone
 * ({@code removed}), and the folder's complete control file list. Applied to its base it gives the
 * folder's complete state, a {@link FolderManifest} of set {@code set}.
 */
public record FolderDelta(String set, String account, String folder,
    List<ControlFile> controlFiles, Map<String, MessageEntry> changed, List<String> removed) {

  public FolderDelta {
    if (set == null || account == null || folder == null) {
      throw new IllegalArgumentException("a folder delta needs set, account and folder, got "
          + set + ", " + account + ", " + folder);
    }
    controlFiles = controlFiles == null ? List.of() : List.copyOf(controlFiles);
    changed = changed == null ? Map.of() : Collections.unmodifiableMap(new TreeMap<>(changed));
    removed = removed == null ? List.of() : List.copyOf(removed);
  }

  /** The delta that turns {@code base} into {@code now}. */
  static FolderDelta between(FolderManifest base, FolderManifest now) {
    Map<String, MessageEntry> changed = new TreeMap<>();
    for (Map.Entry<String, MessageEntry> e : now.messages().entrySet()) {
      if (!e.getValue().equals(base.messages().get(e.getKey()))) {
        changed.put(e.getKey(), e.getValue());
      }
    }
    List<String> removed = base.messages().keySet().stream()
        .filter(k -> !now.messages().containsKey(k)).toList();
    return new FolderDelta(now.set(), now.account(), now.folder(), now.controlFiles(), changed,
        removed);
  }

  /** The number of message entries the delta carries (changed plus removed). */
  int size() {
    return changed.size() + removed.size();
  }

  /**
   * The folder's complete manifest: {@code base} with the removed entries dropped and the changed
   * ones put in.
   *
   * @throws BackupException naming {@code file} if the delta does not belong to {@code base}
   */
  FolderManifest applyTo(FolderManifest base, String file) throws BackupException {
    if (!base.account().equals(account) || !base.folder().equals(folder)) {
      throw new BackupException("manifest " + file + " is a delta of " + account + "/" + folder
          + " but its base is of " + base.account() + "/" + base.folder()
          + "; the set is damaged, take a new full backup");
    }
    Map<String, MessageEntry> messages = new TreeMap<>(base.messages());
    removed.forEach(messages::remove);
    messages.putAll(changed);
    return new FolderManifest(set, account, folder, controlFiles, messages);
  }
}
