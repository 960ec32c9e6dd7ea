package io.mailops.storage.maildir;

import io.mailops.storage.DotLock;
import io.mailops.storage.MailStoreException;
import io.mailops.storage.model.Flags;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Writes messages and folders as Dovecot does: the bytes go to {@code tmp/} under a fresh
 * unique name {@code <secs>.M<usec>P<pid>Q<n>.<host>}, then are renamed into {@code new/} (no
 * flags) or {@code cur/} with {@code ,S=<size>,W=<vsize>:2,<flags>}; file mtime = internal date;
 * mode and owner copied from the folder. New keywords are added to {@code dovecot-keywords}
 * under {@code dovecot-uidlist.lock}, replaced by {@code rename()}; {@code maildirsize}, when
 * present, gets the usual {@code <bytes> <count>} line appended.
 */
final class MaildirWriter {

  static final Duration LOCK_STALE = Duration.ofSeconds(120);
  static final Duration LOCK_WAIT = Duration.ofSeconds(30);
  private static final AtomicLong COUNTER = new AtomicLong();

  private final MaildirStore.Settings settings;

  MaildirWriter(MaildirStore.Settings settings) {
    this.settings = settings;
  }

  record Written(String base, long size, String location) {}

  Written write(Path dir, Path maildir, InputStream content, Flags flags, Instant internalDate,
      String what) throws IOException {
    return write(dir, maildir, content, flags, internalDate, 0, what);
  }

  /**
   * As {@link #write}, and with {@code uid > 0} the file gets that UID in {@code dovecot-uidlist}
   * (claimed before with {@link UidListWriter#claim}): the line is added and the file renamed
   * into place under the uidlist lock, line first, so Dovecot never sees the file without it.
   */
  Written write(Path dir, Path maildir, InputStream content, Flags flags, Instant internalDate,
      long uid, String what) throws IOException {
    Files.createDirectories(dir.resolve("tmp"));
    Ownership own = Ownership.of(dir);
    String unique = uniqueName(dir);
    Path tmp = dir.resolve("tmp").resolve(unique);
    long size = 0;
    long bareLf = 0;
    try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
      byte[] buf = new byte[64 * 1024];
      int prev = -1;
      int n;
      while ((n = content.read(buf)) > 0) {
        for (int i = 0; i < n; i++) {
          if (buf[i] == '\n' && prev != '\r') {
            bareLf++;
          }
          prev = buf[i];
        }
        ByteBuffer bb = ByteBuffer.wrap(buf, 0, n);
        while (bb.hasRemaining()) {
          ch.write(bb);
        }
        size += n;
      }
      ch.force(true);
    } catch (IOException e) {
      Files.deleteIfExists(tmp);
      throw new MailStoreException("cannot write message into " + dir.resolve("tmp") + " (" + what
          + "): " + e.getMessage() + "; check free space and permissions", e);
    }
    try {
      String base = unique + ",S=" + size + ",W=" + (size + bareLf);
      String letters = MaildirFileName.letters(flags.system()) + keywordLetters(dir, own, flags);
      String location = flags.isEmpty() ? "new/" + base : "cur/" + base + ":2," + letters;
      Files.setLastModifiedTime(tmp, FileTime.from(internalDate));
      own.applyToFile(tmp);
      if (uid > 0) {
        withUidlistLock(dir, () -> {
          UidListWriter.add(dir, uid, location.substring(4), own, what);
          Files.move(tmp, dir.resolve(location), StandardCopyOption.ATOMIC_MOVE);
          return null;
        });
      } else {
        Files.move(tmp, dir.resolve(location), StandardCopyOption.ATOMIC_MOVE);
      }
      addToQuota(maildir, size);
      return new Written(base, size, location);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  /**
   * Renames the message with base name {@code base} (in {@code new/} or {@code cur/}) into
   * {@code cur/} with the info {@code :2,} + the letters of {@code flags} (a {@code P} it had is
   * kept; new keywords are added to {@code dovecot-keywords}); its new location, or null if the
   * file is gone.
   */
  String setFlags(Path dir, String base, Flags flags) throws IOException {
    Ownership own = Ownership.of(dir);
    String letters = MaildirFileName.letters(flags.system()) + keywordLetters(dir, own, flags);
    for (int attempt = 0; attempt < 4; attempt++) {
      Path found = null;
      for (String sub : new String[] {"cur", "new"}) {
        try (java.nio.file.DirectoryStream<Path> ds = Files.newDirectoryStream(dir.resolve(sub))) {
          for (Path p : ds) {
            String name = p.getFileName().toString();
            int c = name.indexOf(':');
            if ((c < 0 ? name : name.substring(0, c)).equals(base)) {
              found = p;
            }
          }
        } catch (NoSuchFileException e) {
          // no such subdirectory
        }
      }
      if (found == null) {
        return null;
      }
      String old = MaildirFileName.parse(found.getFileName().toString()).flagLetters();
      String info = letters;
      if (old.indexOf('P') >= 0 && info.indexOf('P') < 0) {
        char[] cs = (info + "P").toCharArray();
        Arrays.sort(cs);
        info = new String(cs);
      }
      String location = "cur/" + base + ":2," + info;
      if (found.equals(dir.resolve(location))) {
        return location;
      }
      try {
        Files.move(found, dir.resolve(location), StandardCopyOption.ATOMIC_MOVE);
        return location;
      } catch (NoSuchFileException renamedMeanwhile) {
        // Dovecot moved it: look again
      }
    }
    return null;
  }

  private String uniqueName(Path dir) {
    while (true) {
      Instant now = settings.clock().instant();
      String name = now.getEpochSecond() + ".M" + (now.getNano() / 1000) + "P" + settings.pid()
          + "Q" + COUNTER.incrementAndGet() + "." + settings.host();
      if (!Files.exists(dir.resolve("tmp").resolve(name))) {
        return name;
      }
    }
  }

  /** Letters a..z for the keywords, adding the missing ones to dovecot-keywords. */
  private String keywordLetters(Path dir, Ownership own, Flags flags) throws IOException {
    if (flags.keywords().isEmpty()) {
      return "";
    }
    KeywordFile kw = readKeywords(dir);
    if (flags.keywords().stream().anyMatch(k -> kw.indexOf(k) < 0)) {
      return withUidlistLock(dir, () -> {
        KeywordFile current = readKeywords(dir);
        for (String k : flags.keywords()) {
          if (current.indexOf(k) < 0) {
            int[] idx = new int[1];
            current = current.with(k, idx);
            if (idx[0] < 0) {
              throw new MailStoreException("folder " + dir + " already has " + KeywordFile.MAX
                  + " keywords, so keyword '" + k + "' cannot be stored in a Maildir file name;"
                  + " drop unused keywords from the folder first");
            }
          }
        }
        Path lock = dir.resolve(KeywordFile.FILE + ".lock");
        Files.writeString(lock, current.render(), StandardCharsets.UTF_8, StandardOpenOption.CREATE_NEW,
            StandardOpenOption.WRITE);
        own.applyToFile(lock);
        Files.move(lock, dir.resolve(KeywordFile.FILE), StandardCopyOption.ATOMIC_MOVE,
            StandardCopyOption.REPLACE_EXISTING);
        return letters(current, flags);
      });
    }
    return letters(kw, flags);
  }

  private static KeywordFile readKeywords(Path dir) throws IOException {
    try {
      return KeywordFile.read(dir);
    } catch (IllegalArgumentException e) {
      throw new MailStoreException(dir.resolve(KeywordFile.FILE) + " is broken, " + e.getMessage()
          + "; let Dovecot rebuild it (doveadm force-resync) before adding keywords", e);
    }
  }

  private static String letters(KeywordFile kw, Flags flags) {
    char[] cs = new char[flags.keywords().size()];
    int i = 0;
    for (String k : flags.keywords()) {
      cs[i++] = (char) ('a' + kw.indexOf(k));
    }
    Arrays.sort(cs);
    return new String(cs);
  }

  interface LockedAction<T> {
    T run() throws IOException;
  }

  /** Runs {@code action} holding Dovecot's {@code dovecot-uidlist.lock} dotlock. */
  static <T> T withUidlistLock(Path dir, LockedAction<T> action) throws IOException {
    try (DotLock lock = DotLock.acquire(dir.resolve(UidList.FILE + ".lock"), LOCK_STALE, LOCK_WAIT,
        Clock.systemUTC(), "folder " + dir + " (Dovecot may be syncing it)")) {
      return action.run();
    }
  }

  private static void addToQuota(Path maildir, long size) throws IOException {
    Path quota = maildir.resolve("maildirsize");
    if (!Files.isRegularFile(quota)) {
      return;
    }
    try (FileChannel ch = FileChannel.open(quota, StandardOpenOption.APPEND)) {
      ch.write(ByteBuffer.wrap((size + " 1\n").getBytes(StandardCharsets.US_ASCII)));
    } catch (NoSuchFileException removed) {
      // Dovecot removed it to recalculate; it will count this message then
    }
  }

  /** Creates the Maildir (if needed) and a folder directory with cur/ new/ tmp/. */
  void createFolder(Path maildir, Path dir, boolean inbox) throws IOException {
    Path existing = maildir;
    while (existing != null && !Files.isDirectory(existing)) {
      existing = existing.getParent();
    }
    if (existing == null) {
      throw new MailStoreException("cannot create " + maildir + ": no parent directory exists");
    }
    Ownership own = Ownership.of(existing);
    if (!existing.equals(maildir)) {
      // a new account: Dovecot creates a missing home and Maildir private to the mail user
      own = own.privateToOwner();
    }
    for (Path p : new Path[] {maildir, maildir.resolve("cur"), maildir.resolve("new"), maildir.resolve("tmp")}) {
      createDir(p, own);
    }
    if (inbox) {
      return;
    }
    boolean created = !Files.isDirectory(dir);
    for (Path p : new Path[] {dir, dir.resolve("cur"), dir.resolve("new"), dir.resolve("tmp")}) {
      createDir(p, own);
    }
    Path marker = dir.resolve("maildirfolder");
    if (created || !Files.exists(marker)) {
      try {
        Files.createFile(marker);
        own.applyToFile(marker);
      } catch (FileAlreadyExistsException e) {
        // created concurrently
      }
    }
  }

  private static void createDir(Path p, Ownership own) throws IOException {
    if (Files.isDirectory(p)) {
      return;
    }
    Path parent = p.getParent();
    if (parent != null && !Files.isDirectory(parent)) {
      createDir(parent, own);
    }
    try {
      Files.createDirectory(p);
      own.applyToDir(p);
    } catch (FileAlreadyExistsException e) {
      // created concurrently
    }
  }
}
