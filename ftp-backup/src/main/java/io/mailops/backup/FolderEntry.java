package io.mailops.backup;

/**
 * One folder in a set manifest: account and IMAP folder path, its directory in the set
 * ({@code DOMAIN/USER/DIR}), size and SHA-256 of its {@code manifest.json}, size and SHA-256 of its
 * {@code messages.tar.zst} (size 0 and sha256 {@code ""} when the set wrote no tar for it), and
 * how many messages it holds and how many were written to this set's tar.
 */
public record FolderEntry(String account, String folder, String dir, long manifestSize,
    String manifestSha256, long tarSize, String tarSha256, int messages, int written) {

  public FolderEntry {
    if (account == null || folder == null || dir == null || manifestSha256 == null) {
      throw new IllegalArgumentException("a folder entry needs account, folder, dir and manifest"
          + " sha256, got " + account + ", " + folder + ", " + dir);
    }
    tarSha256 = tarSha256 == null ? "" : tarSha256;
  }

  public boolean hasTar() {
    return tarSize > 0;
  }
}
