package io.mailops.storage.imap;

import java.util.List;

/**
 * The special-use attributes of RFC 6154 that a server gives a folder in its {@code LIST}
 * response ({@code \Sent}, {@code \Drafts}, ...), in their canonical spelling.
 */
public final class SpecialUse {

  /** The attributes of RFC 6154, section 2. */
  public static final List<String> ATTRIBUTES = List.of("\\All", "\\Archive", "\\Drafts",
      "\\Flagged", "\\Junk", "\\Sent", "\\Trash");

  private SpecialUse() {}

  /** The first special-use attribute among {@code attributes} (any case), or null. */
  public static String of(Iterable<String> attributes) {
    for (String a : attributes) {
      for (String s : ATTRIBUTES) {
        if (s.equalsIgnoreCase(a.trim())) {
          return s;
        }
      }
    }
    return null;
  }

  /**
   * {@link #of(Iterable)} for the attribute list of a {@code LIST} response, {@code \A \B}:
   * the attributes between white space, read without a regular expression (a look reads one
   * list per folder of every account, docs/adr/0053).
   */
  public static String ofList(String attributes) {
    int n = attributes.length();
    for (int i = 0; i < n; ) {
      if (Character.isWhitespace(attributes.charAt(i))) {
        i++;
        continue;
      }
      int end = i;
      while (end < n && !Character.isWhitespace(attributes.charAt(end))) {
        end++;
      }
      for (String s : ATTRIBUTES) {
        if (s.length() == end - i && s.regionMatches(true, 0, attributes, i, end - i)) {
          return s;
        }
      }
      i = end;
    }
    return null;
  }
}
