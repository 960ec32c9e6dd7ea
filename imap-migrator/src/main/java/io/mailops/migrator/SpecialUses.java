package io.mailops.migrator;

import io.mailops.storage.model.FolderPath;
import java.util.HashMap;
import java.util.Map;

/**
 * The special-use attributes (RFC 6154, {@code \Sent}, {@code \Drafts}, ...) the source's and the
 * target's folder listings gave, by folder; INBOX names normalised as {@link FolderMap} sees
 * them. Empty maps where a side gives none (a Maildir, a server without SPECIAL-USE).
 */
public record SpecialUses(Map<FolderPath, String> source, Map<FolderPath, String> target) {

  /** Neither side gave any. */
  public static final SpecialUses NONE = new SpecialUses(Map.of(), Map.of());

  public SpecialUses {
    source = normalized(source);
    target = normalized(target);
  }

  private static Map<FolderPath, String> normalized(Map<FolderPath, String> uses) {
    Map<FolderPath, String> out = new HashMap<>();
    uses.forEach((f, u) -> out.put(FolderMap.normalize(f), u));
    return Map.copyOf(out);
  }
}
