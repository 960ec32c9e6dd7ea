package io.mailops.storage.maildir;

import io.mailops.storage.MailStoreException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * Writes {@code dovecot-uidlist} version 3 as Dovecot does ({@code maildir-uidlist.c}): header
 * {@code 3 V<uidvalidity> N<nextuid> G<mailbox guid>}, then one line {@code <uid> :<filename>}
 * per message in ascending UID order (sizes are in the file names, {@code ,S=} and {@code ,W=},
 * so no extension fields). New lines are appended; anything else replaces the file with
 * {@code rename()}. Only for {@code --preserve-uids}-style imports into a fresh folder; every
 * method must be called holding {@code dovecot-uidlist.lock}.
 */
final class UidListWriter {

  private static final SecureRandom RANDOM = new SecureRandom();
  private static final byte[] GUID_LABEL =
      "mailops preserve-uids claim\n".getBytes(StandardCharsets.US_ASCII);

  private UidListWriter() {}

  /** The raw list: header fields and the lines by UID. */
  private record Raw(long validity, long next, String guid, TreeMap<Long, String> lines) {}

  /**
   * Makes {@code dir} a folder with UIDVALIDITY {@code validity} and UIDNEXT at least
   * {@code next}: a fresh folder (no message file, no UID given yet) gets a new list; a folder
   * whose list has that UIDVALIDITY already and a GUID of {@link #ourGuid} (an earlier import)
   * keeps its lines, its next UID raised if needed. Any other folder is refused.
   */
  static void claim(Path dir, long validity, long next, Ownership own, String what)
      throws IOException {
    if (validity <= 0 || validity > 0xFFFFFFFFL) {
      throw new IllegalArgumentException("UIDVALIDITY " + validity + " is not in 1..4294967295");
    }
    Raw raw = read(dir, what);
    if (raw != null && raw.validity() == validity && isOurs(raw.guid(), validity)) {
      if (next > raw.next()) {
        replace(dir, new Raw(validity, next, raw.guid(), raw.lines()), own);
      }
      return;
    }
    int files = countFiles(dir);
    boolean used = raw != null && (!raw.lines().isEmpty() || raw.next() > 1);
    if (files > 0 || used) {
      throw new MailStoreException(what + " is not empty (" + files + " message file(s)"
          + (raw == null ? "" : ", UIDVALIDITY " + raw.validity() + ", next UID " + raw.next())
          + "), so the source's UIDs cannot be kept in it; migrate into a new, empty account or"
          + " run without --preserve-uids");
    }
    replace(dir, new Raw(validity, Math.max(1, next), ourGuid(validity), new TreeMap<>()), own);
  }

  /**
   * A new mailbox GUID for a list claimed with {@code validity}: 12 random bytes, then the first 4
   * bytes of SHA-256 over a label, those 12 bytes and {@code validity}. Dovecot keeps the GUID
   * when it rewrites the list, so {@link #isOurs} tells a folder of our earlier import from one
   * Dovecot made with the same UIDVALIDITY (its creation second, which can be the source's).
   */
  static String ourGuid(long validity) {
    byte[] g = new byte[16];
    RANDOM.nextBytes(g);
    System.arraycopy(mark(g, validity), 0, g, 12, 4);
    return HexFormat.of().formatHex(g);
  }

  /** Whether {@code guid} was made by {@link #ourGuid} for {@code validity}. */
  static boolean isOurs(String guid, long validity) {
    if (guid == null || guid.length() != 32) {
      return false;
    }
    byte[] g;
    try {
      g = HexFormat.of().parseHex(guid);
    } catch (IllegalArgumentException e) {
      return false;
    }
    return Arrays.equals(mark(g, validity), 0, 4, g, 12, 16);
  }

  private static byte[] mark(byte[] guid, long validity) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      sha.update(GUID_LABEL);
      sha.update(guid, 0, 12);
      sha.update(ByteBuffer.allocate(8).putLong(validity).array());
      return sha.digest();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK has no SHA-256", e);
    }
  }

  /**
   * Gives {@code fileName} (a name in {@code new/} or {@code cur/}, without the directory) the UID
   * {@code uid}. A line of {@code uid} whose file is gone (an import stopped between the list and
   * the file) is replaced; one whose file exists is refused.
   */
  static void add(Path dir, long uid, String fileName, Ownership own, String what)
      throws IOException {
    Raw raw = read(dir, what);
    if (raw == null || raw.validity() == 0) {
      throw new MailStoreException(what + " has no dovecot-uidlist of its own yet; claim it for"
          + " the source's UIDVALIDITY first");
    }
    String line = uid + " :" + fileName;
    String old = raw.lines().get(uid);
    if (old != null) {
      String base = base(old.substring(old.indexOf(':') + 1));
      if (exists(dir, base)) {
        throw new MailStoreException(what + " already has a message with UID " + uid + " ("
            + base + "); it is not copied a second time");
      }
    }
    boolean last = raw.lines().isEmpty() || uid > raw.lines().lastKey();
    raw.lines().put(uid, line);
    if (old == null && last && uid < raw.next()) {
      try (FileChannel ch = FileChannel.open(dir.resolve(UidList.FILE), StandardOpenOption.APPEND)) {
        ByteBuffer b = ByteBuffer.wrap((line + "\n").getBytes(StandardCharsets.UTF_8));
        while (b.hasRemaining()) {
          ch.write(b);
        }
      }
      return;
    }
    replace(dir, new Raw(raw.validity(), Math.max(raw.next(), uid + 1), raw.guid(), raw.lines()),
        own);
  }

  /** The list of {@code dir}, or null if it has none. */
  private static Raw read(Path dir, String what) throws IOException {
    List<String> all;
    try {
      all = Files.readAllLines(dir.resolve(UidList.FILE), StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      return null;
    }
    UidList parsed;
    try {
      parsed = UidList.read(dir);
    } catch (IllegalArgumentException e) {
      throw new MailStoreException(dir.resolve(UidList.FILE) + " (" + what + ") is broken, "
          + e.getMessage() + "; mailops does not overwrite it, let Dovecot rebuild it first", e);
    }
    if (parsed.version() != 3) {
      throw new MailStoreException(dir.resolve(UidList.FILE) + " (" + what + ") is version "
          + parsed.version() + "; mailops writes only version 3 lists into fresh folders");
    }
    TreeMap<Long, String> lines = new TreeMap<>();
    for (int i = 1; i < all.size(); i++) {
      String l = all.get(i);
      if (!l.isBlank()) {
        lines.put(Long.parseLong(l.substring(0, l.indexOf(' '))), l);
      }
    }
    return new Raw(parsed.uidValidity(), parsed.nextUid(), parsed.mailboxGuid().orElse(null),
        lines);
  }

  /** Writes the whole list to {@code tmp/} and renames it over the old one. */
  private static void replace(Path dir, Raw raw, Ownership own) throws IOException {
    StringBuilder b = new StringBuilder();
    b.append("3 V").append(raw.validity()).append(" N").append(raw.next());
    if (raw.guid() != null) {
      b.append(" G").append(raw.guid());
    }
    b.append('\n');
    for (String l : raw.lines().values()) {
      b.append(l).append('\n');
    }
    Files.createDirectories(dir.resolve("tmp"));
    Path tmp = dir.resolve("tmp").resolve(UidList.FILE + "." + ProcessHandle.current().pid()
        + "." + Thread.currentThread().getId());
    own.replaceFile(dir.resolve(UidList.FILE), tmp, b);
  }

  private static String base(String fileName) {
    int c = fileName.indexOf(':');
    return c < 0 ? fileName : fileName.substring(0, c);
  }

  private static boolean exists(Path dir, String base) throws IOException {
    return !messageFiles(dir, name -> base(name).equals(base), true).isEmpty();
  }

  private static int countFiles(Path dir) throws IOException {
    return messageFiles(dir, name -> !name.startsWith("."), false).size();
  }

  /** The names in {@code new/} and {@code cur/} that {@code accept} takes; only the first if {@code first}. */
  private static List<String> messageFiles(Path dir, Predicate<String> accept, boolean first) throws IOException {
    List<String> out = new ArrayList<>();
    for (String sub : new String[] {"new", "cur"}) {
      Path d = dir.resolve(sub);
      if (!Files.isDirectory(d)) {
        continue;
      }
      try (DirectoryStream<Path> ds = Files.newDirectoryStream(d)) {
        for (Path p : ds) {
          String name = p.getFileName().toString();
          if (accept.test(name)) {
            out.add(name);
            if (first) {
              return out;
            }
          }
        }
      }
    }
    return out;
  }
}
