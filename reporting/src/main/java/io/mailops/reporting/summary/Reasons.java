package io.mailops.reporting.summary;

/**
 * Short reason texts for the problem sections, after pflogsumm's trimming: the remote server's
 * words after {@code said:}, without the leading reply code, at most about 65 characters.
 */
final class Reasons {

  private static final int MAX = 65;

  private Reasons() {}

  /** {@code status=deferred (…)}: pflogsumm's said_string_trimmer, then without "NNN " and "connect to ". */
  static String deferral(String detail) {
    int paren = detail.indexOf(')');
    String s = trim(paren < 0 ? detail : detail.substring(0, paren));
    s = code(s);
    return s.startsWith("connect to ") ? s.substring(11) : s;
  }

  /** {@code status=bounced (…)}: pflogsumm's said_string_trimmer, then without "NNN ". */
  static String bounce(String detail) {
    return code(trim(detail));
  }

  /**
   * The reason of a reject: the text after the reply and status codes and after a quoted
   * {@code <address>: } or {@code [ip]: }, up to the first ';' ({@code Relay access denied},
   * {@code Service unavailable}, {@code Blocked by SpamAssassin}).
   */
  static String reject(String reason) {
    String s = reason;
    int semi = s.indexOf(';');
    if (semi >= 0) {
      s = s.substring(0, semi);
    }
    s = code(s);
    if (s.length() > 6 && Character.isDigit(s.charAt(0)) && s.charAt(1) == '.') {
      int sp = s.indexOf(' ');
      s = sp < 0 ? s : s.substring(sp + 1);
    }
    if (s.startsWith("<") || s.startsWith("[")) {
      int colon = s.indexOf(">: ") >= 0 ? s.indexOf(">: ") : s.indexOf("]: ");
      if (colon >= 0) {
        s = s.substring(colon + 3);
      }
    }
    return s.length() > MAX ? s.substring(0, MAX - 3) + "..." : s;
  }

  private static String trim(String text) {
    String s = text;
    while (s.length() > MAX) {
      int said = s.lastIndexOf(" said: ");
      int colon = s.indexOf(':');
      if (said >= 0) {
        s = s.substring(said + 7);
      } else if (colon >= 0) {
        int k = colon + 1;
        while (k < s.length() && s.charAt(k) == ' ') {
          k++;
        }
        s = s.substring(k);
      } else {
        return s.substring(0, MAX - 3) + "...";
      }
    }
    return s;
  }

  private static String code(String s) {
    return s.length() > 4 && Character.isDigit(s.charAt(0)) && Character.isDigit(s.charAt(1))
        && Character.isDigit(s.charAt(2)) && s.charAt(3) == ' ' ? s.substring(4) : s;
  }
}
