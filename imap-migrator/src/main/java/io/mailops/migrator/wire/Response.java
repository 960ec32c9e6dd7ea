package io.mailops.migrator.wire;

import io.mailops.storage.SpooledMessage;
import java.io.ByteArrayInputStream;
import java.io.Closeable;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * One IMAP server response: untagged ({@code *}), a continuation request ({@code +}) or tagged.
 * {@code text} is the whole response with every literal replaced by its {@code {n}} header (the
 * line breaks after the headers removed), and {@code literals} are the literals' bytes in order,
 * spooled (memory up to {@link SpooledMessage#IN_MEMORY}, else a temporary file). {@link #close}
 * releases the literals nobody took (pooled memory goes back to its pool) and deletes the
 * temporary files; a literal handed on with {@link #take} is the taker's to close and release.
 *
 * @param tag {@code *}, {@code +} or the command's tag
 * @param text the response after the tag, literals replaced by their headers
 * @param literals the literals, in the order they appear in {@code text}
 */
public record Response(String tag, String text, List<SpooledMessage> literals)
    implements Closeable {

  public Response {
    literals = new ArrayList<>(literals);
  }

  /** True for an untagged response. */
  public boolean untagged() {
    return tag.equals("*");
  }

  /** True for a continuation request. */
  public boolean continuation() {
    return tag.equals("+");
  }

  /** The status word of a tagged or untagged status response ({@code OK}, {@code NO}, ...). */
  public String status() {
    int sp = text.indexOf(' ');
    return (sp < 0 ? text : text.substring(0, sp)).toUpperCase(Locale.ROOT);
  }

  /** True for a tagged {@code OK}. */
  public boolean ok() {
    return status().equals("OK");
  }

  /**
   * The message number of an untagged {@code * n FETCH}, or -1 for any other response.
   */
  public long fetchNumber() {
    if (!untagged()) {
      return -1;
    }
    int sp = text.indexOf(' ');
    if (sp <= 0 || !text.regionMatches(true, sp, " FETCH ", 0, 7)) {
      return -1;
    }
    try {
      return Long.parseLong(text.substring(0, sp));
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  /** The UID of a FETCH response, or -1 if it has none. */
  public long uid() {
    return number(text, "UID");
  }

  /** The RFC822.SIZE of a FETCH response, or -1 if it has none. */
  public long size() {
    return number(text, "RFC822.SIZE");
  }

  /**
   * The number after the first item {@code name} (e.g. {@code UID}) of {@code text} that is
   * followed by a space and digits, as the regular expression {@code [( ]UID (\d+)}
   * (case-insensitive) finds it, without one (twice per FETCH response, four times per folder
   * status); -1 if none.
   */
  static long number(String text, String name) {
    for (int at = after(text, name, 1); at >= 0; at = after(text, name, at)) {
      int to = at;
      while (to < text.length() && text.charAt(to) >= '0' && text.charAt(to) <= '9') {
        to++;
      }
      if (to > at) {
        return Long.parseLong(text, at, to, 10);
      }
    }
    return -1;
  }

  /**
   * The text between {@code open} and {@code close} right after the first item {@code name} of
   * {@code text} that has them (e.g. {@code FLAGS (} ... {@code )}, {@code INTERNALDATE "} ...
   * {@code "}); null if there is none.
   */
  static String enclosed(String text, String name, char open, char close) {
    for (int at = after(text, name, 1); at >= 0; at = after(text, name, at)) {
      if (at < text.length() && text.charAt(at) == open) {
        int to = text.indexOf(close, at + 1);
        if (to >= 0) {
          return text.substring(at + 1, to);
        }
      }
    }
    return null;
  }

  /**
   * Where the value of item {@code name} begins: the index after {@code name} and the space that
   * follows it, for its first occurrence at or after {@code from} that follows a space or an
   * opening parenthesis, in any case (RFC 3501: item names are case-insensitive); -1 if there is
   * none. The upper-case name servers send is looked for with {@code indexOf}, other spellings
   * character by character.
   */
  private static int after(String text, String name, int from) {
    int n = name.length();
    for (int i = text.indexOf(name, Math.max(1, from)); i > 0; i = text.indexOf(name, i + 1)) {
      if (isItem(text, i, n)) {
        return i + n + 1;
      }
    }
    for (int i = Math.max(1, from); i + n < text.length(); i++) {
      if (isItem(text, i, n) && text.regionMatches(true, i, name, 0, n)) {
        return i + n + 1;
      }
    }
    return -1;
  }

  /** True when the {@code n} characters at {@code i} are an item: after "(" or " ", before " ". */
  private static boolean isItem(String text, int i, int n) {
    char before = text.charAt(i - 1);
    return (before == '(' || before == ' ') && i + n < text.length() && text.charAt(i + n) == ' ';
  }

  /**
   * Hands over the literal that follows {@code item} (e.g. {@code BODY[]}, {@code BODY[HEADER]})
   * in a FETCH response; the caller closes it. Empty when the response has no such literal (a
   * server may send {@code NIL} or a quoted string for an empty section; the latter is returned
   * as a spooled copy).
   */
  public Optional<SpooledMessage> take(String item) throws IOException {
    String key = item + " ";
    int at = 0;
    int literal = 0;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '{' && i > 0) {
        if (text.regionMatches(true, i - key.length(), key, 0, key.length()) && i >= key.length()) {
          SpooledMessage s = literals.set(literal, null);
          return Optional.ofNullable(s);
        }
        literal++;
      } else if (c == '"' && text.regionMatches(true, i - key.length(), key, 0, key.length())
          && i >= key.length()) {
        at = i + 1;
        StringBuilder b = new StringBuilder();
        while (at < text.length() && text.charAt(at) != '"') {
          char d = text.charAt(at++);
          if (d == '\\' && at < text.length()) {
            d = text.charAt(at++);
          }
          b.append(d);
        }
        return Optional.of(SpooledMessage.read(new ByteArrayInputStream(
            b.toString().getBytes(StandardCharsets.ISO_8859_1))));
      }
    }
    return Optional.empty();
  }

  @Override
  public void close() throws IOException {
    IOException first = null;
    for (SpooledMessage s : literals) {
      if (s != null) {
        try {
          s.release(); // a pooled literal nobody took goes back to its pool
          s.close();
        } catch (IOException e) {
          first = first == null ? e : first;
        }
      }
    }
    literals.clear();
    if (first != null) {
      throw first;
    }
  }

  @Override
  public String toString() {
    return tag + " " + text;
  }
}
