package io.mailops.storage.check;

import io.mailops.storage.MailStoreException;
import io.mailops.storage.PathGuard;
import io.mailops.storage.check.Action.Outcome;
import io.mailops.storage.maildir.MaildirStore;
import io.mailops.storage.maildir.Ownership;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Optional;

/**
 * Repairs what {@link MaildirCheck} found, without ever deleting mail: offending files are moved
 * to a quarantine directory outside the store, at
 * {@code QUARANTINE/<yyyyMMdd'T'HHmmss'Z'>/<domain>/<user>/<path inside the Maildir>} (so
 * {@code .Sent/cur/NAME}, or {@code cur/NAME} for INBOX; copying an account's tree back into its
 * Maildir restores it); missing {@code cur/ new/ tmp/} directories are created with the owner,
 * group and mode of their folder, as {@link MaildirStore} creates them. Of one base name in
 * {@code new/} and {@code cur/} the {@code cur/} file is kept and the {@code new/} file moved
 * only if the bytes are the same. {@code dovecot-uidlist} is never written: its stale entries
 * are left to Dovecot. Each finding is checked again just before it is repaired, so a file the
 * server renamed or removed meanwhile is left alone. Not safe for concurrent use.
 */
public final class MaildirRepair {

  static final DateTimeFormatter STAMP =
      DateTimeFormatter.ofPattern("uuuuMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

  private final MaildirStore store;
  private final Path quarantine;
  private final Clock clock;

  private MaildirRepair(MaildirStore store, Path quarantine, Clock clock) {
    this.store = store;
    this.quarantine = quarantine;
    this.clock = clock;
  }

  /**
   * A repair of {@code store} that quarantines into a new timestamped directory under
   * {@code quarantineDir} (created on the first move).
   *
   * @throws MailStoreException if {@code quarantineDir} is inside the store: moving files there
   *     would put them back into a mailbox
   */
  public static MaildirRepair into(MaildirStore store, Path quarantineDir, Clock clock) throws IOException {
    Path root = realish(store.root());
    Path q = realish(quarantineDir);
    if (q.startsWith(root)) {
      throw new MailStoreException("quarantine directory " + quarantineDir + " is inside the mail store "
          + store.root() + "; choose a directory outside it with --quarantine (default"
          + " $MAILOPS_HOME/quarantine)");
    }
    return new MaildirRepair(store, q.resolve(STAMP.format(clock.instant())), clock);
  }

  /** Where this repair puts files: {@code QUARANTINE/<timestamp>}. */
  public Path quarantine() {
    return quarantine;
  }

  /** Resolves symbolic links of the part of {@code p} that exists. */
  private static Path realish(Path p) throws IOException {
    Path abs = p.toAbsolutePath().normalize();
    Path existing = abs;
    while (existing != null && !Files.exists(existing)) {
      existing = existing.getParent();
    }
    return existing == null ? abs : existing.toRealPath().resolve(existing.relativize(abs)).normalize();
  }

  /**
   * Does what the finding's remedy says, after checking the problem is still there.
   *
   * @throws MailStoreException if the quarantine directory cannot be made
   */
  public Action repair(Finding f) throws IOException {
    return switch (f.remedy()) {
      case NONE -> new Action(f, Outcome.KEPT, Optional.empty(), switch (f.kind()) {
        case UIDLIST_WITHOUT_FILE -> "left to Dovecot; mailops never rewrites dovecot-uidlist";
        case NEW_AND_CUR -> "both files kept";
        default -> "left as it is for a person to decide";
      });
      case CREATE_DIRECTORY -> createDirectory(f);
      case QUARANTINE -> quarantine(f);
    };
  }

  private Action createDirectory(Finding f) throws IOException {
    Path d = f.path();
    Path folder = d.getParent();
    try {
      Ownership own = Ownership.of(folder);
      Files.createDirectory(d);
      own.applyToDir(d);
      return new Action(f, Outcome.CREATED, Optional.empty(), "created " + d
          + (own.uid() == null ? "" : " (owner " + own.uid() + ":" + own.gid() + ", mode "
              + PosixFilePermissions.toString(own.dirMode()) + ", as its folder)"));
    } catch (FileAlreadyExistsException e) {
      return new Action(f, Outcome.GONE, Optional.empty(), d + " was created meanwhile (by the server)");
    } catch (NoSuchFileException e) {
      return new Action(f, Outcome.GONE, Optional.empty(), "folder " + folder + " was removed meanwhile");
    }
  }

  private Action quarantine(Finding f) throws IOException {
    Path src = f.path();
    Action gone = new Action(f, Outcome.GONE, Optional.empty(), src + " is gone (renamed or removed by"
        + " the server since the check)");
    Path target;
    try {
      Action changed = recheck(f);
      if (changed != null) {
        return changed;
      }
      Path maildir = store.maildir(f.account());
      Path account = quarantine.resolve(f.account().domain()).resolve(f.account().user());
      target = PathGuard.resolveInside(account, maildir.relativize(src).toString(),
          "quarantine copy of " + src);
    } catch (NoSuchFileException e) {
      return gone;
    }
    makeQuarantine();
    Files.createDirectories(target.getParent());
    if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
      return new Action(f, Outcome.FAILED, Optional.empty(), target + " already exists, so " + src
          + " stays; nothing is overwritten — use another --quarantine");
    }
    try {
      try {
        Files.move(src, target, StandardCopyOption.ATOMIC_MOVE);
      } catch (AtomicMoveNotSupportedException otherFileSystem) {
        Files.copy(src, target, StandardCopyOption.COPY_ATTRIBUTES);
        if (Files.size(target) != Files.size(src)) {
          Files.delete(target);
          return new Action(f, Outcome.FAILED, Optional.empty(), src + " changed while it was copied to"
              + " the quarantine; left in place — check again");
        }
        try {
          Files.delete(src);
        } catch (NoSuchFileException renamed) {
          return new Action(f, Outcome.FAILED, Optional.of(target), "copied to " + target + ", but the"
              + " server renamed the original meanwhile; it stays in the Maildir — check again");
        }
      }
    } catch (NoSuchFileException e) {
      return gone;
    } catch (FileSystemException e) {
      return new Action(f, Outcome.FAILED, Optional.empty(), "cannot move " + src + " to " + target + ": "
          + e.getReason() + "; run as the mail user or as root");
    }
    return new Action(f, Outcome.QUARANTINED, Optional.of(target), "moved " + src + " to " + target);
  }

  /** Null if the problem of {@code f} is still there; else the action that says why nothing is done. */
  private Action recheck(Finding f) throws IOException {
    Path p = f.path();
    String gone = null;
    switch (f.kind()) {
      case STALE_TMP -> {
        Optional<Instant> t = MaildirCheck.lastTouched(p);
        if (t.isEmpty()) {
          throw new NoSuchFileException(p.toString());
        }
        if (!t.get().isBefore(clock.instant().minus(MaildirCheck.TMP_MAX_AGE))) {
          gone = p + " was touched since the check (" + t.get() + "); left in tmp/";
        }
      }
      case ZERO_LENGTH -> {
        if (Files.size(p) != 0) {
          gone = p + " is no longer empty; left in place";
        }
      }
      case SIZE_MISMATCH -> {
        if (MaildirStore.parseFileName(p.getFileName().toString()).size().orElse(-1) == Files.size(p)) {
          gone = p + " now has the size its name says; left in place";
        }
      }
      case NEW_AND_CUR -> {
        String base = MaildirStore.parseFileName(p.getFileName().toString()).base();
        Path cur = inCur(p.getParent().resolveSibling("cur"), base);
        if (cur == null) {
          gone = "the cur/ copy of " + base + " is gone, so " + p + " is the only one; kept";
        } else if (Files.mismatch(p, cur) >= 0) {
          return new Action(f, Outcome.KEPT, Optional.empty(), "the bytes of " + p + " and " + cur
              + " differ now; both kept");
        }
      }
      default -> Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    }
    return gone == null ? null : new Action(f, Outcome.GONE, Optional.empty(), gone);
  }

  private static Path inCur(Path cur, String base) throws IOException {
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(cur)) {
      for (Path p : ds) {
        String n = p.getFileName().toString();
        if (n.equals(base) || n.startsWith(base + ":")) {
          return p;
        }
      }
    } catch (NoSuchFileException e) {
      return null;
    }
    return null;
  }

  private void makeQuarantine() throws IOException {
    if (Files.isDirectory(quarantine)) {
      return;
    }
    try {
      Files.createDirectories(quarantine);
      Files.setPosixFilePermissions(quarantine, PosixFilePermissions.fromString("rwx------"));
    } catch (UnsupportedOperationException noPosix) {
      // the directory stays with the default mode
    } catch (FileSystemException e) {
      throw new MailStoreException("cannot create the quarantine directory " + quarantine + ": "
          + e.getReason() + "; choose another with --quarantine", e);
    }
  }
}
