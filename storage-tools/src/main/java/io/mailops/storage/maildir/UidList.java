package io.mailops.storage.maildir;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Dovecot's {@code dovecot-uidlist} (versions 1 and 3, {@code maildir-uidlist.c}): UIDVALIDITY,
 * next UID and, per message base name, its UID and GUID. Entries are matched by base name
 * because the recorded file name may be stale (Dovecot does not rewrite it on flag changes).
 * Read-only: Dovecot assigns UIDs to the files we add at its next sync.
 */
record UidList(int version, long uidValidity, long nextUid, Optional<String> mailboxGuid,
    Map<String, Entry> byBase) {

  static final String FILE = "dovecot-uidlist";

  /** One record: UID and, when the {@code G} extension field is present, the message GUID. */
  record Entry(long uid, Optional<String> guid) {}

  /** An empty list: the folder has not been synced by Dovecot yet. */
  static final UidList NONE = new UidList(0, 0, 1, Optional.empty(), Map.of());

  /**
   * Reads the list of a folder directory; {@link #NONE} if there is none.
   *
   * @throws IllegalArgumentException naming the line, if the file is broken
   */
  static UidList read(Path folderDir) throws IOException {
    Path file = folderDir.resolve(FILE);
    BufferedReader in;
    try {
      in = Files.newBufferedReader(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      return NONE;
    }
    try (in) {
      String header = in.readLine();
      if (header == null || header.isBlank()) {
        throw new IllegalArgumentException("line 1: empty header");
      }
      String[] h = header.trim().split(" +");
      int version;
      long validity = 0;
      long next = 0;
      String guid = null;
      switch (h[0]) {
        case "1" -> {
          version = 1;
          if (h.length < 3) {
            throw new IllegalArgumentException("line 1: v1 header needs UIDVALIDITY and next UID: '" + header + "'");
          }
          validity = number(h[1], 1);
          next = number(h[2], 1);
        }
        case "3" -> {
          version = 3;
          for (int i = 1; i < h.length; i++) {
            if (h[i].isEmpty()) {
              continue;
            }
            String v = h[i].substring(1);
            switch (h[i].charAt(0)) {
              case 'V' -> validity = number(v, 1);
              case 'N' -> next = number(v, 1);
              case 'G' -> guid = v;
              default -> { }
            }
          }
        }
        default -> throw new IllegalArgumentException(
            "line 1: unsupported version '" + h[0] + "' (Dovecot writes 1 or 3)");
      }
      Map<String, Entry> entries = new HashMap<>();
      long lastUid = 0;
      String line;
      int n = 1;
      while ((line = in.readLine()) != null) {
        n++;
        if (line.isBlank()) {
          continue;
        }
        int sp = line.indexOf(' ');
        if (sp <= 0) {
          throw new IllegalArgumentException("line " + n + ": expected 'UID [fields] :filename', got '" + line + "'");
        }
        long uid = number(line.substring(0, sp), n);
        if (uid <= lastUid) {
          throw new IllegalArgumentException("line " + n + ": UID " + uid + " is not above the previous UID " + lastUid);
        }
        lastUid = uid;
        String rest = line.substring(sp + 1);
        String fileName;
        String msgGuid = null;
        int colon = rest.indexOf(" :");
        if (rest.startsWith(":")) {
          fileName = rest.substring(1);
        } else if (version == 3 && colon >= 0) {
          fileName = rest.substring(colon + 2);
          for (String f : rest.substring(0, colon).split(" +")) {
            if (f.startsWith("G") && f.length() > 1) {
              msgGuid = f.substring(1);
            }
          }
        } else {
          String[] t = rest.trim().split(" +");
          fileName = t[t.length - 1];
        }
        int c = fileName.indexOf(':');
        String base = c < 0 ? fileName : fileName.substring(0, c);
        if (base.isEmpty()) {
          throw new IllegalArgumentException("line " + n + ": empty file name");
        }
        entries.put(base, new Entry(uid, Optional.ofNullable(msgGuid)));
      }
      return new UidList(version, validity, Math.max(next, lastUid + 1), Optional.ofNullable(guid),
          Map.copyOf(entries));
    }
  }

  private static long number(String s, int line) {
    try {
      long v = Long.parseLong(s);
      if (v < 0) {
        throw new NumberFormatException();
      }
      return v;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("line " + line + ": '" + s + "' is not a number");
    }
  }
}
