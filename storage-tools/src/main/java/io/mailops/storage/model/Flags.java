package io.mailops.storage.model;

import java.util.Collection;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * System flags plus keywords (IMAP atoms such as {@code $Label1} or {@code NonJunk}). Keywords
 * are case-sensitive here, as Dovecot stores them.
 */
public record Flags(Set<Flag> system, SortedSet<String> keywords) {

  public static final Flags NONE = new Flags(EnumSet.noneOf(Flag.class), new TreeSet<>());

  public Flags {
    EnumSet<Flag> s = EnumSet.noneOf(Flag.class);
    if (system != null) {
      s.addAll(system);
    }
    TreeSet<String> k = new TreeSet<>();
    if (keywords != null) {
      for (String kw : keywords) {
        k.add(checkKeyword(kw));
      }
    }
    system = Collections.unmodifiableSet(s);
    keywords = Collections.unmodifiableSortedSet(k);
  }

  public static Flags of(Collection<Flag> system, Collection<String> keywords) {
    return new Flags(system.isEmpty() ? EnumSet.noneOf(Flag.class) : EnumSet.copyOf(system),
        new TreeSet<>(keywords));
  }

  public static Flags of(Flag... system) {
    return of(Set.of(system), Set.of());
  }

  /**
   * Parses IMAP flag names separated by spaces, e.g. {@code "\Seen $Label1"}: names starting
   * with a backslash are system flags, the rest keywords.
   */
  public static Flags parse(String imapFlags) {
    EnumSet<Flag> s = EnumSet.noneOf(Flag.class);
    TreeSet<String> k = new TreeSet<>();
    for (String t : imapFlags.trim().split("\\s+")) {
      if (t.isEmpty()) {
        continue;
      }
      if (t.startsWith("\\")) {
        s.add(Flag.ofImapName(t).orElseThrow(() -> new IllegalArgumentException(
            "unknown system flag '" + t + "': expected one of \\Seen \\Answered \\Flagged \\Deleted \\Draft")));
      } else {
        k.add(t);
      }
    }
    return new Flags(s, k);
  }

  public boolean has(Flag flag) {
    return system.contains(flag);
  }

  public boolean isEmpty() {
    return system.isEmpty() && keywords.isEmpty();
  }

  /** A copy with {@code flag} added. */
  public Flags with(Flag flag) {
    EnumSet<Flag> s = EnumSet.of(flag);
    s.addAll(system);
    return new Flags(s, new TreeSet<>(keywords));
  }

  static String checkKeyword(String kw) {
    if (kw == null || kw.isEmpty() || kw.startsWith("\\")) {
      throw new IllegalArgumentException("invalid keyword '" + kw + "': expected an IMAP atom such as $Label1");
    }
    for (int i = 0; i < kw.length(); i++) {
      char c = kw.charAt(i);
      if (c <= 0x20 || c >= 0x7f || "(){%*\"]".indexOf(c) >= 0) {
        throw new IllegalArgumentException(
            "invalid keyword '" + kw + "': IMAP keywords are ASCII atoms without spaces or ( ) { % * \" ]");
      }
    }
    return kw;
  }

  @Override
  public String toString() {
    StringBuilder b = new StringBuilder();
    for (Flag f : system) {
      b.append(b.length() == 0 ? "" : " ").append(f.imapName());
    }
    for (String k : keywords) {
      b.append(b.length() == 0 ? "" : " ").append(k);
    }
    return b.toString();
  }
}
