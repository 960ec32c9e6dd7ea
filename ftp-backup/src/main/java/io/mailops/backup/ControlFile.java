package io.mailops.backup;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * A Dovecot control file saved next to a folder's tar: its name, size and SHA-256 (hex) as
 * stored. {@code set} (format 3) names the earlier set that stores the file because its bytes did
 * not change since; {@code null}: the set named in the folder manifest's {@code set}.
 * {@code plainSha256} (format 3, encrypted sets only, inside the encrypted folder manifest) is
 * the SHA-256 of the file before encryption, so the next incremental can tell it is unchanged.
 */
public record ControlFile(String name, long size, String sha256,
    @JsonInclude(JsonInclude.Include.NON_NULL) String set,
    @JsonInclude(JsonInclude.Include.NON_NULL) String plainSha256) {

  public ControlFile {
    if (name == null || name.isEmpty() || name.contains("/") || name.startsWith(".")) {
      throw new IllegalArgumentException("invalid control file name '" + name
          + "': expected a plain file name such as dovecot-uidlist");
    }
    if (set != null && !SetId.isSetId(set)) {
      throw new IllegalArgumentException("control file " + name + " refers to set '" + set
          + "', which is no set id");
    }
  }

  /** A control file stored in the set of its folder manifest. */
  public ControlFile(String name, long size, String sha256) {
    this(name, size, sha256, null, null);
  }

  /** The set that stores this file when it is listed in folder manifest {@code fm}. */
  public String holder(FolderManifest fm) {
    return set == null ? fm.set() : set;
  }

  /** The target name of this file when it is listed in folder manifest {@code fm} of {@code dir}. */
  public String storedName(FolderManifest fm, String dir) {
    return holder(fm) + "/" + dir + "/" + name;
  }
}
