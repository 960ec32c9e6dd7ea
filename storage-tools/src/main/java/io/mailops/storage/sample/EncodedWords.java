package io.mailops.storage.sample;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * Makes non-ASCII text header-safe: RFC 2047 encoded words ({@code =?UTF-8?B?...?=},
 * {@code =?ISO-8859-1?Q?...?=}) for subjects and display names, RFC 5322 quoted strings for
 * ASCII display names with specials, and RFC 2231 {@code UTF-8''...} parameter values for file
 * names. Every result is printable ASCII. Encoded words are at most 75 characters each, joined
 * by spaces (which decoders drop between adjacent words) and never split a character.
 */
enum EncodedWords {
  /** Base64 of UTF-8. */
  B_UTF8("UTF-8", 'B', StandardCharsets.UTF_8),
  /** Q encoding of UTF-8. */
  Q_UTF8("UTF-8", 'Q', StandardCharsets.UTF_8),
  /** Q encoding of ISO-8859-1; only for text that Latin-1 can hold. */
  Q_LATIN1("ISO-8859-1", 'Q', StandardCharsets.ISO_8859_1);

  private static final String HEX = "0123456789ABCDEF";
  private static final int MAX_WORD = 75;

  private final String charsetName;
  private final char encoding;
  private final Charset charset;

  EncodedWords(String charsetName, char encoding, Charset charset) {
    this.charsetName = charsetName;
    this.encoding = encoding;
    this.charset = charset;
  }

  /** Whether {@code text} needs no encoding in a header: printable ASCII only. */
  static boolean isAscii(String text) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c < 0x20 || c > 0x7e) {
        return false;
      }
    }
    return true;
  }

  /** Whether this encoding can represent {@code text}. */
  boolean canEncode(String text) {
    return charset.newEncoder().canEncode(text);
  }

  /** {@code text} as one or more encoded words separated by single spaces. */
  String encode(String text) {
    if (!canEncode(text)) {
      throw new IllegalArgumentException(charsetName + " cannot hold '" + text + "'");
    }
    String prefix = "=?" + charsetName + "?" + encoding + "?";
    int room = MAX_WORD - prefix.length() - 2;
    List<String> words = new ArrayList<>();
    StringBuilder word = new StringBuilder();
    StringBuilder raw = new StringBuilder();
    int i = 0;
    while (i < text.length()) {
      int cp = text.codePointAt(i);
      String ch = new String(Character.toChars(cp));
      i += ch.length();
      if (encoding == 'B') {
        String candidate = raw + ch;
        if (base64Length(candidate.getBytes(charset).length) > room && raw.length() > 0) {
          words.add(prefix + b64(raw.toString()) + "?=");
          raw.setLength(0);
        }
        raw.append(ch);
      } else {
        String piece = q(ch);
        if (word.length() + piece.length() > room && word.length() > 0) {
          words.add(prefix + word + "?=");
          word.setLength(0);
        }
        word.append(piece);
      }
    }
    if (raw.length() > 0) {
      words.add(prefix + b64(raw.toString()) + "?=");
    }
    if (word.length() > 0) {
      words.add(prefix + word + "?=");
    }
    return String.join(" ", words);
  }

  /**
   * A display name ready for an address header: an atom sequence as is, a quoted string if it
   * has specials, or encoded words (with this encoding, or UTF-8 B if this one cannot hold it)
   * if it is not ASCII.
   */
  String phrase(String name) {
    if (!isAscii(name)) {
      return canEncode(name) ? encode(name) : B_UTF8.encode(name);
    }
    for (int i = 0; i < name.length(); i++) {
      if ("()<>[]:;@\\,.\"".indexOf(name.charAt(i)) >= 0) {
        return '"' + name.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
      }
    }
    return name;
  }

  /** An RFC 2231 extended parameter value, {@code UTF-8''%C3%9Cbersicht.pdf}. */
  static String rfc2231(String value) {
    StringBuilder b = new StringBuilder("UTF-8''");
    for (byte x : value.getBytes(StandardCharsets.UTF_8)) {
      int c = x & 0xff;
      if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
          || "!#$&+-.^_`|~".indexOf(c) >= 0) {
        b.append((char) c);
      } else {
        b.append('%').append(HEX.charAt(c >> 4)).append(HEX.charAt(c & 0xf));
      }
    }
    return b.toString();
  }

  private String q(String ch) {
    if (ch.equals(" ")) {
      return "_";
    }
    StringBuilder b = new StringBuilder();
    for (byte x : ch.getBytes(charset)) {
      int c = x & 0xff;
      if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
          || "!*+-/".indexOf(c) >= 0) {
        b.append((char) c);
      } else {
        b.append('=').append(HEX.charAt(c >> 4)).append(HEX.charAt(c & 0xf));
      }
    }
    return b.toString();
  }

  private String b64(String s) {
    return Base64.getEncoder().encodeToString(s.getBytes(charset));
  }

  private static int base64Length(int bytes) {
    return (bytes + 2) / 3 * 4;
  }
}
