package io.mailops.backup;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One folder in a set manifest: account and IMAP folder path, its directory in the set
 * ({@code DOMAIN/USER/DIR}), size and SHA-256 of its {@code manifest.json}, size and SHA-256 of its
 * {@code messages.tar.zst} (size 0 and sha256 {@code ""} when the set wrote no tar for it), and
 * how many messages it holds and how many were written to this set's tar.
 *
 * <p>{@code manifestSet} (format 3) names the earlier set whose {@code DIR/manifest.json} is this
 * folder's manifest, because the folder did not change since then and this set stores nothing for
 * it; {@code null} (the only value before format 3): the manifest is in this set. It always
 * names the set that holds the file, never one that refers on.
 *
 * <p>{@code deltaBase} (format 4): the folder's {@code manifest.json} is a {@link FolderDelta}
 * against the complete folder manifest {@code deltaBase} names (never a delta itself), so a
 * reader reads at most two files per folder; {@code null}: the manifest is a complete
 * {@link FolderManifest}.
 */
public record FolderEntry(String account, String folder, String dir, long manifestSize,
    String manifestSha256, long tarSize, String tarSha256, int messages, int written,
    @JsonInclude(JsonInclude.Include.NON_NULL) String manifestSet,
    @JsonInclude(JsonInclude.Include.NON_NULL) DeltaBase deltaBase) {

  /** The complete folder manifest a delta applies to: {@code set/DIR/manifest.json} as stored. */
  public record DeltaBase(String set, long size, String sha256) {
    public DeltaBase {
      if (set == null || !SetId.isSetId(set) || sha256 == null || size < 0) {
        throw new IllegalArgumentException("invalid delta base: set '" + set + "', size " + size
            + ", sha256 '" + sha256 + "'");
      }
    }
  }

  public FolderEntry {
    if (account == null || folder == null || dir == null || manifestSha256 == null) {
      throw new IllegalArgumentException("a folder entry needs account, folder, dir and manifest"
          + " sha256, got " + account + ", " + folder + ", " + dir);
    }
    tarSha256 = tarSha256 == null ? "" : tarSha256;
    if (manifestSet != null && !SetId.isSetId(manifestSet)) {
      throw new IllegalArgumentException("folder " + account + "/" + folder
          + " refers to manifest set '" + manifestSet + "', which is no set id");
    }
  }

  /** A folder whose complete manifest is in the set that lists it. */
  public FolderEntry(String account, String folder, String dir, long manifestSize,
      String manifestSha256, long tarSize, String tarSha256, int messages, int written) {
    this(account, folder, dir, manifestSize, manifestSha256, tarSize, tarSha256, messages, written,
        null, null);
  }

  /** A folder whose complete manifest is in set {@code manifestSet} (format 3). */
  public FolderEntry(String account, String folder, String dir, long manifestSize,
      String manifestSha256, long tarSize, String tarSha256, int messages, int written,
      String manifestSet) {
    this(account, folder, dir, manifestSize, manifestSha256, tarSize, tarSha256, messages, written,
        manifestSet, null);
  }

  /** The target name of the complete manifest the delta applies to ({@code null}: no delta). */
  public String deltaBaseName() {
    return deltaBase == null ? null : deltaBase.set() + "/" + dir + "/" + BackupSets.MANIFEST;
  }

  public boolean hasTar() {
    return tarSize > 0;
  }

  /** The set that holds this folder's manifest when it is listed in set {@code set}. */
  public String manifestHolder(String set) {
    return manifestSet == null ? set : manifestSet;
  }

  /** The target name of this folder's manifest when it is listed in set {@code set}. */
  public String manifestName(String set) {
    return manifestHolder(set) + "/" + dir + "/" + BackupSets.MANIFEST;
  }

  /** This entry, listed in a later set, referring to the manifest it has in set {@code set}. */
  FolderEntry unchangedSince(String set) {
    return new FolderEntry(account, folder, dir, manifestSize, manifestSha256, 0, "", messages, 0,
        manifestHolder(set), deltaBase);
  }
}
