package io.mailops.backup;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code manifest.json} of one folder in one set: the folder's complete state at backup time.
 * {@code messages} maps each Maildir base name to its entry; a message absent here was gone.
 */
public record FolderManifest(String set, String account, String folder,
    List<ControlFile> controlFiles, Map<String, MessageEntry> messages) {

  public FolderManifest {
    if (set == null || account == null || folder == null) {
      throw new IllegalArgumentException("a folder manifest needs set, account and folder, got "
          + set + ", " + account + ", " + folder);
    }
    controlFiles = controlFiles == null ? List.of() : List.copyOf(controlFiles);
    messages = messages == null ? Map.of() : Collections.unmodifiableMap(new TreeMap<>(messages));
  }
}
