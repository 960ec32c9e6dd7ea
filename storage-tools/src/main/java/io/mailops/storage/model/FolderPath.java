package io.mailops.storage.model;

import java.util.ArrayList;
import java.util.List;

/**
 * A folder of an account as IMAP names it: Unicode segments joined by {@code /}, with
 * {@link #INBOX} as the root folder. {@code INBOX} is matched case-insensitively, as IMAP does.
 * Sub-folders of INBOX keep their own path (Dovecot's Maildir++ layout stores {@code Sent} as
 * {@code .Sent}, not {@code .INBOX.Sent}).
 */
public record FolderPath(List<String> segments) implements Comparable<FolderPath> {

  public static final FolderPath INBOX = new FolderPath(List.of("INBOX"));

  public FolderPath {
    if (segments == null || segments.isEmpty()) {
      throw new IllegalArgumentException("invalid folder: expected at least one name, got none");
    }
    List<String> copy = new ArrayList<>(segments.size());
    for (String s : segments) {
      if (s == null || s.isEmpty() || s.indexOf('/') >= 0 || AccountId.hasControl(s)) {
        throw new IllegalArgumentException(
            "invalid folder name segment '" + s + "' in " + segments
                + ": segments must be non-empty, without '/' or control characters");
      }
      copy.add(s);
    }
    if (copy.size() == 1 && copy.get(0).equalsIgnoreCase("INBOX")) {
      copy.set(0, "INBOX");
    }
    segments = List.copyOf(copy);
  }

  /** Parses an IMAP-style path such as {@code Projekte/Übersicht}; {@code inbox} is INBOX. */
  public static FolderPath of(String path) {
    if (path == null || path.isEmpty() || path.startsWith("/") || path.endsWith("/")
        || path.contains("//")) {
      throw new IllegalArgumentException(
          "invalid folder: expected a name like INBOX or Archive/2024, got '" + path + "'");
    }
    return new FolderPath(List.of(path.split("/")));
  }

  /**
   * The folder a server names {@code name} with the hierarchy separator {@code separator} (any
   * length; null or empty: a server without hierarchy, one segment). Split as {@code
   * String.split} with the quoted separator and limit -1 would, without compiling a regular
   * expression for every name of every listing.
   *
   * @throws IllegalArgumentException if a segment is empty or has {@code /} or control characters
   */
  public static FolderPath separated(String name, String separator) {
    if (separator == null || separator.isEmpty()) {
      return new FolderPath(List.of(name));
    }
    List<String> parts = new ArrayList<>();
    int from = 0;
    for (int at = name.indexOf(separator); at >= 0; at = name.indexOf(separator, from)) {
      parts.add(name.substring(from, at));
      from = at + separator.length();
    }
    parts.add(name.substring(from));
    return new FolderPath(parts);
  }

  public boolean isInbox() {
    return this.equals(INBOX);
  }

  /** The last segment. */
  public String name() {
    return segments.get(segments.size() - 1);
  }

  /** This path with one more segment. */
  public FolderPath child(String name) {
    List<String> s = new ArrayList<>(segments);
    s.add(name);
    return new FolderPath(s);
  }

  @Override
  public int compareTo(FolderPath o) {
    if (isInbox() != o.isInbox()) {
      return isInbox() ? -1 : 1;
    }
    return compareJoined(segments, o.segments);
  }

  /**
   * {@code String.join("/", a).compareTo(String.join("/", b))}, without joining: the folder
   * lists sort folders with every listing (docs/adr/0053).
   */
  private static int compareJoined(List<String> a, List<String> b) {
    int n = Math.min(a.size(), b.size());
    for (int i = 0; i < n; i++) {
      String x = a.get(i);
      String y = b.get(i);
      int common = Math.min(x.length(), y.length());
      for (int k = 0; k < common; k++) {
        char cx = x.charAt(k);
        char cy = y.charAt(k);
        if (cx != cy) {
          return cx - cy;
        }
      }
      if (x.length() != y.length()) {
        // one segment goes on where the other ends: its next char (never '/') against the '/'
        // that follows the shorter one, or the end of the shorter path (then it is the greater)
        boolean xLonger = x.length() > y.length();
        char next = (xLonger ? x : y).charAt(common);
        int c = i + 1 < (xLonger ? b : a).size() ? next - '/' : 1;
        return xLonger ? c : -c;
      }
    }
    // equal up to here: the one with more segments goes on with '/' and is greater
    return Integer.compare(a.size(), b.size());
  }

  /** The record's equality, written out (see {@link AccountId#equals}). */
  @Override
  public boolean equals(Object o) {
    return o instanceof FolderPath f && segments.equals(f.segments);
  }

  @Override
  public int hashCode() {
    return segments.hashCode();
  }

  @Override
  public String toString() {
    return String.join("/", segments);
  }
}
