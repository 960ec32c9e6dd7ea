package io.mailops.backup;

/** A Dovecot control file saved next to a folder's tar: its name, size and SHA-256 (hex). */
public record ControlFile(String name, long size, String sha256) {

  public ControlFile {
    if (name == null || name.isEmpty() || name.contains("/") || name.startsWith(".")) {
      throw new IllegalArgumentException("invalid control file name '" + name
          + "': expected a plain file name such as dovecot-uidlist");
    }
  }
}
