package io.mailops.storage.model;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * What a store knows about one message without reading it: where it is, its stable key, its
 * physical size in bytes, flags and keywords, its internal date (IMAP INTERNALDATE; Maildir file
 * mtime) and, when the store has them, its UID and GUID. {@code location} is the store's own
 * handle for the bytes (a Maildir file name, for example); callers treat it as opaque.
 */
public record MessageRef(
    FolderPath folder,
    MessageKey key,
    long size,
    Flags flags,
    Instant internalDate,
    OptionalLong uid,
    Optional<String> guid,
    String location) {

  public MessageRef {
    Objects.requireNonNull(folder, "folder");
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(flags, "flags");
    Objects.requireNonNull(internalDate, "internalDate");
    Objects.requireNonNull(uid, "uid");
    Objects.requireNonNull(guid, "guid");
    Objects.requireNonNull(location, "location");
    if (size < 0) {
      throw new IllegalArgumentException("invalid size " + size + " for message " + key + ": must be >= 0");
    }
  }
}
