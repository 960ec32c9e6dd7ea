package io.mailops.backup;

import java.util.List;

/**
 * {@code SET_ID/manifest.json}, written last: a set without it is incomplete. {@code parent} is
 * the set an incremental builds on ({@code null} for a full set); {@code skipped} lists what the
 * backup left out, each "subject: reason".
 */
public record SetManifest(int format, String set, String kind, String scope, String created,
    String parent, List<FolderEntry> folders, List<String> skipped) {

  public static final int FORMAT = 1;

  public SetManifest {
    if (format != FORMAT) {
      throw new IllegalArgumentException("set manifest format " + format + " of set " + set
          + " is not supported (expected " + FORMAT + "); use a newer mailops");
    }
    folders = folders == null ? List.of() : List.copyOf(folders);
    skipped = skipped == null ? List.of() : List.copyOf(skipped);
  }
}
