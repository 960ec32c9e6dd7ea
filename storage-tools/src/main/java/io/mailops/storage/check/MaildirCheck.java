package io.mailops.storage.check;

import io.mailops.storage.MailStoreException;
import io.mailops.storage.Skip;
import io.mailops.storage.check.Finding.Kind;
import io.mailops.storage.check.Finding.Remedy;
import io.mailops.storage.maildir.MaildirStore;
import io.mailops.storage.model.AccountId;
import io.mailops.storage.model.FolderPath;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Looks for the damage a Maildir collects beside a live Dovecot and reports it, changing nothing:
 * {@code tmp/} files untouched for 36 hours, empty message files, {@code ,S=} sizes that differ
 * from the file size, names that are no Maildir message names, one base name in both
 * {@code new/} and {@code cur/}, {@code dovecot-uidlist} entries whose file is gone, folders
 * without {@code cur/ new/ tmp/}, and folder names that are not modified UTF-7. Each file gets at
 * most one finding. Files the server renames while we look are looked at again, so a message
 * moving from {@code new/} to {@code cur/} is not reported. Stateless and safe for concurrent use.
 */
public final class MaildirCheck {

  /** The age after which the Maildir spec lets a reader delete a {@code tmp/} file. */
  public static final Duration TMP_MAX_AGE = Duration.ofHours(36);

  private static final String[] SUBDIRS = {"cur", "new", "tmp"};

  private final MaildirStore store;
  private final Clock clock;

  /** Checks {@code store}; {@code clock} tells the time for the 36-hour rule of {@code tmp/}. */
  public MaildirCheck(MaildirStore store, Clock clock) {
    this.store = store;
    this.clock = clock;
  }

  /**
   * The findings of one account, folder by folder (INBOX first), in a stable order.
   *
   * @throws MailStoreException if the account has no Maildir or a directory cannot be read
   */
  public List<Finding> check(AccountId account) throws IOException {
    List<Finding> out = new ArrayList<>();
    for (Skip s : store.folderProblems(account)) {
      out.add(new Finding(Kind.BAD_FOLDER_NAME, account, Optional.empty(), Path.of(s.subject()),
          s.reason(), Remedy.NONE));
    }
    for (FolderPath f : store.folders(account)) {
      checkFolder(account, f, store.folderDir(account, f), out);
    }
    return out;
  }

  private void checkFolder(AccountId account, FolderPath folder, Path dir, List<Finding> out)
      throws IOException {
    if (!Files.isDirectory(dir)) {
      return; // removed since it was listed
    }
    Optional<FolderPath> of = Optional.of(folder);
    for (String sub : SUBDIRS) {
      Path d = dir.resolve(sub);
      if (!Files.exists(d, LinkOption.NOFOLLOW_LINKS)) {
        out.add(new Finding(Kind.MISSING_SUBDIR, account, of, d, "folder '" + folder + "' has no " + sub
            + "/ directory, so it is not a complete Maildir folder", Remedy.CREATE_DIRECTORY));
      } else if (!Files.isDirectory(d, LinkOption.NOFOLLOW_LINKS)) {
        out.add(new Finding(Kind.MISSING_SUBDIR, account, of, d, sub + " is not a directory; move it"
            + " out of the folder by hand, then repair again to create the directory", Remedy.NONE));
      }
    }
    staleTmp(account, of, dir.resolve("tmp"), out);
    Map<String, Long> uids;
    try {
      uids = store.uidsByBase(account, folder);
    } catch (MailStoreException e) {
      uids = Map.of();
      out.add(new Finding(Kind.BROKEN_UIDLIST, account, of, dir.resolve("dovecot-uidlist"),
          e.getMessage(), Remedy.NONE));
    }
    TreeMap<String, Path> inNew = new TreeMap<>();
    TreeMap<String, Path> inCur = new TreeMap<>();
    TreeSet<Path> flagged = new TreeSet<>();
    messages(account, of, dir.resolve("new"), inNew, flagged, out);
    messages(account, of, dir.resolve("cur"), inCur, flagged, out);
    for (Map.Entry<String, Path> e : inNew.entrySet()) {
      Path cur = inCur.get(e.getKey());
      Path nw = e.getValue();
      if (cur == null || flagged.contains(nw) || flagged.contains(cur) || !Files.exists(nw)
          || !Files.exists(cur)) {
        continue; // a lone copy, already reported, or renamed by the server since we listed
      }
      boolean same;
      try {
        same = Files.mismatch(nw, cur) < 0;
      } catch (NoSuchFileException gone) {
        continue;
      }
      out.add(same
          ? new Finding(Kind.NEW_AND_CUR, account, of, nw, "base name " + e.getKey() + " is also in cur/ as "
              + cur.getFileName() + " with the same bytes; the new/ copy is superfluous", Remedy.QUARANTINE)
          : new Finding(Kind.NEW_AND_CUR, account, of, nw, "base name " + e.getKey() + " is also in cur/ as "
              + cur.getFileName() + " but the bytes differ; compare them and remove one by hand", Remedy.NONE));
    }
    List<String> orphans = uids.keySet().stream()
        .filter(b -> !inNew.containsKey(b) && !inCur.containsKey(b)).sorted().toList();
    if (!orphans.isEmpty()) {
      TreeSet<String> again = bases(dir.resolve("new"));
      again.addAll(bases(dir.resolve("cur")));
      for (String base : orphans) {
        if (!again.contains(base)) {
          out.add(new Finding(Kind.UIDLIST_WITHOUT_FILE, account, of, dir.resolve("dovecot-uidlist"),
              "UID " + uids.get(base) + " (" + base + ") has no file in new/ or cur/; Dovecot drops"
                  + " the entry at its next sync of the folder ('doveadm force-resync -u " + account
                  + " " + folder + "' does it now)", Remedy.NONE));
        }
      }
    }
  }

  private void staleTmp(AccountId account, Optional<FolderPath> folder, Path tmp, List<Finding> out)
      throws IOException {
    Instant limit = clock.instant().minus(TMP_MAX_AGE);
    for (Path p : list(tmp)) {
      Optional<Instant> touched = lastTouched(p);
      if (touched.isPresent() && touched.get().isBefore(limit)) {
        long hours = Duration.between(touched.get(), clock.instant()).toHours();
        out.add(new Finding(Kind.STALE_TMP, account, folder, p, "last touched " + touched.get() + " ("
            + hours + " h ago); a delivery that did not finish in 36 h never will, and the Maildir spec"
            + " lets readers remove it", Remedy.QUARANTINE));
      }
    }
  }

  /**
   * When a file was last written, read or renamed: the latest of mtime, atime and ctime, because
   * a writer sets mtime to the internal date before it renames the file out of {@code tmp/}.
   * Empty for directories and for files gone meanwhile.
   */
  static Optional<Instant> lastTouched(Path p) throws IOException {
    try {
      BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
      if (a.isDirectory()) {
        return Optional.empty();
      }
      Instant t = max(a.lastModifiedTime(), a.lastAccessTime().toInstant());
      try {
        t = max((FileTime) Files.getAttribute(p, "unix:ctime", LinkOption.NOFOLLOW_LINKS), t);
      } catch (UnsupportedOperationException | IllegalArgumentException noUnixView) {
        // mtime and atime are all there is
      }
      return Optional.of(t);
    } catch (NoSuchFileException gone) {
      return Optional.empty();
    }
  }

  private static Instant max(FileTime a, Instant b) {
    Instant i = a.toInstant();
    return i.isAfter(b) ? i : b;
  }

  private void messages(AccountId account, Optional<FolderPath> folder, Path sub, Map<String, Path> byBase,
      TreeSet<Path> flagged, List<Finding> out) throws IOException {
    for (Path p : list(sub)) {
      String name = p.getFileName().toString();
      if (name.startsWith(".")) {
        continue; // the Maildir spec: dot-files in new/ and cur/ are not messages and are ignored
      }
      BasicFileAttributes a;
      try {
        a = Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
      } catch (NoSuchFileException gone) {
        continue;
      }
      Finding f = null;
      MaildirStore.FileName parsed = null;
      if (!a.isRegularFile()) {
        f = new Finding(Kind.BAD_NAME, account, folder, p, "not a regular file; left alone — move it out"
            + " of the Maildir by hand", Remedy.NONE);
      } else {
        try {
          parsed = MaildirStore.parseFileName(name);
        } catch (IllegalArgumentException e) {
          f = new Finding(Kind.BAD_NAME, account, folder, p, "not a Maildir message name (" + e.getMessage()
              + "); mailops does not read it as mail", Remedy.QUARANTINE);
        }
      }
      if (f == null && a.size() == 0) {
        f = new Finding(Kind.ZERO_LENGTH, account, folder, p, "empty file: no message", Remedy.QUARANTINE);
      }
      OptionalLong s = parsed == null ? OptionalLong.empty() : parsed.size();
      if (f == null && s.isPresent() && s.getAsLong() != a.size()) {
        f = new Finding(Kind.SIZE_MISMATCH, account, folder, p, "the name says S=" + s.getAsLong()
            + " but the file has " + a.size() + " bytes (truncated or changed after delivery)", Remedy.QUARANTINE);
      }
      if (f != null) {
        out.add(f);
        flagged.add(p);
      }
      if (parsed != null) {
        byBase.put(parsed.base(), p);
      }
    }
  }

  private TreeSet<String> bases(Path sub) throws IOException {
    TreeSet<String> out = new TreeSet<>();
    for (Path p : list(sub)) {
      try {
        out.add(MaildirStore.parseFileName(p.getFileName().toString()).base());
      } catch (IllegalArgumentException notAMessage) {
        // reported by the first listing
      }
    }
    return out;
  }

  /** The entries of a directory sorted by name; none if it does not exist. */
  private static List<Path> list(Path dir) throws IOException {
    List<Path> out = new ArrayList<>();
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
      for (Path p : ds) {
        out.add(p);
      }
    } catch (NoSuchFileException | java.nio.file.NotDirectoryException e) {
      return out;
    } catch (AccessDeniedException e) {
      throw new MailStoreException("cannot read " + dir + ": permission denied; run as the mail user"
          + " or as root", e);
    }
    out.sort(null);
    return out;
  }
}
