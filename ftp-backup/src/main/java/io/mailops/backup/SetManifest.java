package io.mailops.backup;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * {@code SET_ID/manifest.json}, written last: a set without it is incomplete. {@code parent} is
 * the set an incremental builds on ({@code null} for a full set); {@code skipped} lists what the
 * backup left out, each "subject: reason"; {@code encryption} says how the set's other files are
 * encrypted ({@code null}: plain). Plain sets are format {@value #FORMAT}, encrypted sets format
 * {@value #FORMAT_ENCRYPTED} (so that a mailops without encryption refuses them clearly); a set
 * (plain or encrypted) that refers to files of earlier sets for unchanged folders or control files
 * ({@link FolderEntry#manifestSet()}, {@link ControlFile#set()}) is format {@value #FORMAT_REFS},
 * so that an older mailops refuses it instead of looking for those files in the wrong set.
 * Incrementals are now written as format {@value #FORMAT_DELTA}: format 3 plus folder manifests
 * stored as deltas against an earlier complete one ({@link FolderEntry#deltaBase()}). All four
 * are read.
 */
public record SetManifest(int format, String set, String kind, String scope, String created,
    String parent, List<FolderEntry> folders, List<String> skipped,
    @JsonInclude(JsonInclude.Include.NON_NULL) Encryption encryption) {

  /** Format of a plain set. */
  public static final int FORMAT = 1;
  /** Format of an encrypted set (format 1 plus {@code encryption}). */
  public static final int FORMAT_ENCRYPTED = 2;
  /** Format of a set that refers to unchanged files of earlier sets, plain or encrypted. */
  public static final int FORMAT_REFS = 3;
  /** Format of an incremental whose folder manifests may be deltas ({@link FolderDelta}). */
  public static final int FORMAT_DELTA = 4;

  public SetManifest {
    if (format != FORMAT && format != FORMAT_ENCRYPTED && format != FORMAT_REFS
        && format != FORMAT_DELTA) {
      throw new IllegalArgumentException("set manifest format " + format + " of set " + set
          + " is not supported (expected " + FORMAT + " to " + FORMAT_DELTA
          + "); use a newer mailops");
    }
    if (format < FORMAT_REFS && (format == FORMAT_ENCRYPTED) != (encryption != null)) {
      throw new IllegalArgumentException("set manifest of set " + set + " has format " + format
          + " but " + (encryption == null ? "no" : "an") + " encryption entry");
    }
    folders = folders == null ? List.of() : List.copyOf(folders);
    skipped = skipped == null ? List.of() : List.copyOf(skipped);
  }

  /** A plain (format 1) set manifest. */
  public SetManifest(int format, String set, String kind, String scope, String created,
      String parent, List<FolderEntry> folders, List<String> skipped) {
    this(format, set, kind, scope, created, parent, folders, skipped, null);
  }

  /** Whether the set's files (other than this manifest) are encrypted. */
  public boolean encrypted() {
    return encryption != null;
  }
}
