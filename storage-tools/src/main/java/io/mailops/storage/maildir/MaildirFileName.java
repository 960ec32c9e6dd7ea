package io.mailops.storage.maildir;

import io.mailops.storage.model.Flag;
import java.util.EnumSet;
import java.util.OptionalLong;
import java.util.Set;

/**
 * A Maildir file name split as Dovecot does: {@code base} is everything before the first
 * {@code :}; the info after {@code :2,} holds flag letters (ASCII order: D F P R S T, then
 * keyword letters a–z) up to the next {@code ,}. {@code ,S=} and {@code ,W=} in the base give
 * the physical and virtual (CRLF) sizes.
 */
record MaildirFileName(String name, String base, String flagLetters, OptionalLong size,
    OptionalLong vsize) {

  /**
   * Parses a name found in {@code new/} or {@code cur/}.
   *
   * @throws IllegalArgumentException with the reason, for names that are not Maildir messages
   */
  static MaildirFileName parse(String name) {
    if (name.isEmpty() || name.startsWith(".")) {
      throw new IllegalArgumentException("hidden or empty file name");
    }
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (c < 0x20 || c == 0x7f || c == '/') {
        throw new IllegalArgumentException("control character in file name");
      }
    }
    int colon = name.indexOf(':');
    String base = colon < 0 ? name : name.substring(0, colon);
    if (base.isEmpty()) {
      throw new IllegalArgumentException("empty unique name before ':'");
    }
    String letters = "";
    if (colon >= 0) {
      String info = name.substring(colon + 1);
      if (!info.startsWith("2,")) {
        throw new IllegalArgumentException("unknown info '" + info + "' after ':' (expected ':2,FLAGS')");
      }
      int comma = info.indexOf(',', 2);
      letters = comma < 0 ? info.substring(2) : info.substring(2, comma);
    }
    return new MaildirFileName(name, base, letters, field(base, "S="), field(base, "W="));
  }

  private static OptionalLong field(String base, String key) {
    int at = base.indexOf("," + key);
    if (at < 0) {
      return OptionalLong.empty();
    }
    int start = at + 1 + key.length();
    int end = start;
    while (end < base.length() && Character.isDigit(base.charAt(end))) {
      end++;
    }
    if (end == start || end - start > 18) {
      return OptionalLong.empty();
    }
    return OptionalLong.of(Long.parseLong(base.substring(start, end)));
  }

  /** The system flags the letters stand for; {@code P} (passed) has no IMAP flag. */
  Set<Flag> systemFlags() {
    EnumSet<Flag> s = EnumSet.noneOf(Flag.class);
    for (int i = 0; i < flagLetters.length(); i++) {
      switch (flagLetters.charAt(i)) {
        case 'D' -> s.add(Flag.DRAFT);
        case 'F' -> s.add(Flag.FLAGGED);
        case 'R' -> s.add(Flag.ANSWERED);
        case 'S' -> s.add(Flag.SEEN);
        case 'T' -> s.add(Flag.DELETED);
        default -> { }
      }
    }
    return s;
  }

  /** Keyword indexes 0..25 from the letters a..z. */
  int[] keywordIndexes() {
    return flagLetters.chars().filter(c -> c >= 'a' && c <= 'z').map(c -> c - 'a').toArray();
  }

  /** The letters for system flags, in ASCII order as the Maildir spec requires. */
  static String letters(Set<Flag> flags) {
    StringBuilder b = new StringBuilder();
    if (flags.contains(Flag.DRAFT)) {
      b.append('D');
    }
    if (flags.contains(Flag.FLAGGED)) {
      b.append('F');
    }
    if (flags.contains(Flag.ANSWERED)) {
      b.append('R');
    }
    if (flags.contains(Flag.SEEN)) {
      b.append('S');
    }
    if (flags.contains(Flag.DELETED)) {
      b.append('T');
    }
    return b.toString();
  }
}
