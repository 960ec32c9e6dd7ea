package io.mailops.backup;

/**
 * Where a message's bytes are: {@code file} (a target-relative name of a
 * {@code messages.tar.zst}, in set {@code set}), the tar {@code entry} name, and the zstd frame
 * holding exactly that entry at {@code offset} with {@code length} compressed bytes.
 */
public record Location(String set, String file, String entry, long offset, long length) {

  public Location {
    if (set == null || set.isEmpty() || file == null || file.isEmpty() || entry == null
        || entry.isEmpty()) {
      throw new IllegalArgumentException("invalid message location: set, file and entry must be"
          + " given, got set='" + set + "' file='" + file + "' entry='" + entry + "'");
    }
    if (offset < 0 || length <= 0) {
      throw new IllegalArgumentException("invalid message location in " + file + " entry " + entry
          + ": offset must be >= 0 and length > 0, got " + offset + "+" + length);
    }
  }
}
