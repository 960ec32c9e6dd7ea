package io.mailops.storage.maildir;

import io.mailops.storage.MailStoreException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * Owner, group and mode of a Maildir directory, applied to what we create in it so Dovecot
 * (running as the mail user) can read and rename it: directories get the same mode, files the
 * mode without execute bits, as Dovecot derives file modes from the directory's.
 */
public record Ownership(Integer uid, Integer gid, Set<PosixFilePermission> dirMode) {

  /** The owner, group and mode of {@code dir}; all null where the file system has no POSIX attributes. */
  public static Ownership of(Path dir) throws IOException {
    try {
      return new Ownership((Integer) Files.getAttribute(dir, "unix:uid"),
          (Integer) Files.getAttribute(dir, "unix:gid"), Files.getPosixFilePermissions(dir));
    } catch (UnsupportedOperationException | IllegalArgumentException e) {
      return new Ownership(null, null, null);
    }
  }

  /** The same owner with mode 0700, as Dovecot gives a Maildir it creates. */
  Ownership privateToOwner() {
    return dirMode == null ? this : new Ownership(uid, gid, EnumSet.of(PosixFilePermission.OWNER_READ,
        PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_EXECUTE));
  }

  /** Gives the directory {@code p} this owner, group and mode. */
  public void applyToDir(Path p) throws IOException {
    apply(p, dirMode);
  }

  /** Gives the file {@code p} this owner and group, and the directory mode without execute bits. */
  public void applyToFile(Path p) throws IOException {
    if (dirMode == null) {
      return;
    }
    EnumSet<PosixFilePermission> m = EnumSet.noneOf(PosixFilePermission.class);
    for (PosixFilePermission perm : dirMode) {
      if (!perm.name().endsWith("EXECUTE")) {
        m.add(perm);
      }
    }
    apply(p, m);
  }

  /**
   * Replaces {@code file} by {@code text} (UTF-8): written to {@code tmp} (with {@code options}
   * besides create, truncate and write), given this owner, then renamed over {@code file}, so a
   * reader sees the old file or the new one, never half of one. {@code tmp} is gone afterwards.
   */
  void replaceFile(Path file, Path tmp, CharSequence text, OpenOption... options)
      throws IOException {
    List<OpenOption> all = new ArrayList<>(List.of(StandardOpenOption.CREATE,
        StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE));
    all.addAll(List.of(options));
    try {
      Files.writeString(tmp, text, StandardCharsets.UTF_8, all.toArray(OpenOption[]::new));
      applyToFile(tmp);
      Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  private void apply(Path p, Set<PosixFilePermission> mode) throws IOException {
    if (uid == null) {
      return;
    }
    try {
      if (!uid.equals(Files.getAttribute(p, "unix:uid")) || !gid.equals(Files.getAttribute(p, "unix:gid"))) {
        Files.setAttribute(p, "unix:uid", uid);
        Files.setAttribute(p, "unix:gid", gid);
      }
      Files.setPosixFilePermissions(p, mode);
    } catch (java.nio.file.FileSystemException e) {
      throw new MailStoreException("cannot give " + p + " the owner " + uid + ":" + gid
          + " of its folder: " + e.getReason() + "; run as root or as the mail user", e);
    }
  }
}
