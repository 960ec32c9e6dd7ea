package io.mailops.storage.maildir;

import io.mailops.storage.FolderScan;
import io.mailops.storage.MailStoreException;
import io.mailops.storage.MessageGoneException;
import io.mailops.storage.Skip;
import io.mailops.storage.model.Flags;
import io.mailops.storage.model.FolderPath;
import io.mailops.storage.model.MessageKey;
import io.mailops.storage.model.MessageRef;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeSet;

/**
 * Reads one Maildir folder directory the way the Maildir spec and Dovecot's documentation ask of
 * a reader that runs beside a live server: {@code tmp/} is never read; {@code new/} and
 * {@code cur/} are listed together and keyed by base name; a listing is repeated while the
 * directories change under it (a rename during {@code readdir()} can hide a file); a file that
 * disappears between listing and use is looked up again by base name, and counted as vanished
 * only when it is gone from both directories.
 */
final class MaildirFolder {

  static final int MAX_PASSES = 4;

  private final Path dir;
  private final FolderPath folder;
  private final String owner;

  MaildirFolder(Path dir, FolderPath folder, String owner) {
    this.dir = dir;
    this.folder = folder;
    this.owner = owner;
  }

  /** Where a listed file is: {@code new} or {@code cur} plus its current name. */
  record Located(String sub, MaildirFileName name) {
    String location() {
      return sub + "/" + name.name();
    }
  }

  FolderScan scan() throws IOException {
    List<Skip> skips = new ArrayList<>();
    if (!Files.isDirectory(dir.resolve("cur"))) {
      skips.add(new Skip(dir.toString(), "no cur/ directory, so this is not a complete Maildir folder;"
          + " Dovecot recreates it when the folder is opened, or create cur/ new/ tmp/ yourself"));
    }
    KeywordFile keywords;
    try {
      keywords = KeywordFile.read(dir);
    } catch (IllegalArgumentException e) {
      keywords = KeywordFile.empty();
      skips.add(new Skip(dir.resolve(KeywordFile.FILE).toString(), "unreadable, "
          + e.getMessage() + "; keywords of this folder are left out (Dovecot rebuilds it on its next sync)"));
    }
    UidList uids;
    try {
      uids = UidList.read(dir);
    } catch (IllegalArgumentException e) {
      uids = UidList.NONE;
      skips.add(new Skip(dir.resolve(UidList.FILE).toString(), "broken, " + e.getMessage()
          + "; UIDs of this folder are left out (Dovecot rebuilds the file on its next sync)"));
    }
    Map<String, Located> found = list(skips);
    List<MessageRef> refs = new ArrayList<>(found.size());
    int vanished = 0;
    for (Located loc : found.values()) {
      MessageRef ref = describe(loc, keywords, uids);
      if (ref == null) {
        vanished++;
      } else {
        refs.add(ref);
      }
    }
    refs.sort(Comparator.comparing(MessageRef::key));
    return new FolderScan(refs, skips, vanished);
  }

  /** Lists new/ and cur/ until two passes agree; keyed by base name, latest name wins. */
  Map<String, Located> list(List<Skip> skips) throws IOException {
    Map<String, Located> found = new LinkedHashMap<>();
    for (int pass = 0; pass < MAX_PASSES; pass++) {
      FileTime newBefore = mtime("new");
      FileTime curBefore = mtime("cur");
      Map<String, Located> seen = new HashMap<>();
      listInto("new", seen, pass == 0 ? skips : null);
      listInto("cur", seen, pass == 0 ? skips : null);
      found.putAll(seen);
      if (pass > 0 && seen.keySet().containsAll(found.keySet())) {
        break;
      }
      if (equal(newBefore, mtime("new")) && equal(curBefore, mtime("cur"))) {
        break;
      }
    }
    return found;
  }

  private static boolean equal(FileTime a, FileTime b) {
    return a == null ? b == null : a.equals(b);
  }

  private FileTime mtime(String sub) throws IOException {
    try {
      return Files.getLastModifiedTime(dir.resolve(sub));
    } catch (NoSuchFileException e) {
      return null;
    }
  }

  private void listInto(String sub, Map<String, Located> out, List<Skip> skips) throws IOException {
    Path d = dir.resolve(sub);
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(d)) {
      for (Path p : ds) {
        String name = p.getFileName().toString();
        if (name.startsWith(".")) {
          continue;
        }
        try {
          MaildirFileName parsed = MaildirFileName.parse(name);
          out.put(parsed.base(), new Located(sub, parsed));
        } catch (IllegalArgumentException e) {
          if (skips != null) {
            skips.add(new Skip(p.toString(), "not a Maildir message name (" + e.getMessage()
                + "); left alone — rename or remove it if it is not mail"));
          }
        }
      }
    } catch (NoSuchFileException e) {
      // a folder without new/ (or cur/, reported by scan) has nothing to list there
    } catch (AccessDeniedException e) {
      throw new MailStoreException("cannot read folder " + d + " (" + owner + "): permission denied;"
          + " run as the mail user or add it to the mail group", e);
    }
  }

  /** Builds the reference of a listed file, re-finding it if it moved; null if it vanished. */
  private MessageRef describe(Located loc, KeywordFile keywords, UidList uids) throws IOException {
    Located cur = loc;
    for (int attempt = 0; attempt < MAX_PASSES && cur != null; attempt++) {
      try {
        BasicFileAttributes a = Files.readAttributes(dir.resolve(cur.location()), BasicFileAttributes.class);
        MaildirFileName n = cur.name();
        TreeSet<String> kws = new TreeSet<>();
        for (int idx : n.keywordIndexes()) {
          String kw = keywords.name(idx);
          if (kw != null) {
            kws.add(kw);
          }
        }
        UidList.Entry e = uids.byBase().get(n.base());
        return new MessageRef(folder, MessageKey.of(n.base()),
            n.size().orElse(a.size()),
            new Flags(n.systemFlags(), kws),
            a.lastModifiedTime().toInstant(),
            e == null ? OptionalLong.empty() : OptionalLong.of(e.uid()),
            e == null ? Optional.empty() : e.guid(),
            cur.location());
      } catch (NoSuchFileException gone) {
        cur = find(loc.name().base());
      }
    }
    return null;
  }

  /** Looks a base name up again in new/ and cur/; null if it is in neither. */
  Located find(String base) throws IOException {
    for (int pass = 0; pass < 2; pass++) {
      for (String sub : new String[] {"cur", "new"}) {
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir.resolve(sub),
            p -> p.getFileName().toString().startsWith(base))) {
          for (Path p : ds) {
            String name = p.getFileName().toString();
            if (name.equals(base) || name.startsWith(base + ":")) {
              return new Located(sub, MaildirFileName.parse(name));
            }
          }
        } catch (NoSuchFileException e) {
          // no such subdirectory
        }
      }
    }
    return null;
  }

  /** Opens a message, following renames by base name. */
  InputStream open(MessageRef ref) throws IOException {
    String location = ref.location();
    for (int attempt = 0; attempt < MAX_PASSES; attempt++) {
      try {
        return Files.newInputStream(dir.resolve(location));
      } catch (NoSuchFileException e) {
        Located again = find(ref.key().value());
        if (again == null) {
          break;
        }
        location = again.location();
      } catch (AccessDeniedException e) {
        throw new MailStoreException("cannot read message " + dir.resolve(location) + " (" + owner
            + "): permission denied; run as the mail user or add it to the mail group", e);
      }
    }
    throw new MessageGoneException("message " + ref.key() + " in folder " + folder + " (" + owner
        + ") was expunged since it was listed");
  }
}
