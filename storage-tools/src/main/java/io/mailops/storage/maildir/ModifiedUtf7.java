package io.mailops.storage.maildir;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * IMAP modified UTF-7 (RFC 3501 §5.1.3), the encoding of Maildir++ folder names on disk and of
 * mailbox names on the wire: printable ASCII stands for itself except {@code &}, written
 * {@code &-}; other characters are UTF-16BE in base64 with {@code ,} for {@code /}, between
 * {@code &} and {@code -}. Follows Dovecot's {@code imap-utf7.c}, including its strict decoding.
 */
public final class ModifiedUtf7 {

  private static final Base64.Encoder ENC = Base64.getEncoder().withoutPadding();
  private static final Base64.Decoder DEC = Base64.getDecoder();

  private ModifiedUtf7() {}

  /** Encodes a Unicode name. */
  public static String encode(String name) {
    StringBuilder out = new StringBuilder(name.length() + 8);
    int i = 0;
    while (i < name.length()) {
      char c = name.charAt(i);
      if (c >= 0x20 && c <= 0x7e) {
        out.append(c == '&' ? "&-" : String.valueOf(c));
        i++;
        continue;
      }
      int j = i;
      while (j < name.length() && (name.charAt(j) < 0x20 || name.charAt(j) > 0x7e)) {
        j++;
      }
      byte[] utf16 = name.substring(i, j).getBytes(StandardCharsets.UTF_16BE);
      out.append('&').append(ENC.encodeToString(utf16).replace('/', ',')).append('-');
      i = j;
    }
    return out.toString();
  }

  /**
   * Decodes a modified UTF-7 name.
   *
   * @throws IllegalArgumentException naming the input if it is not valid modified UTF-7 (bare
   *     {@code &}, bad base64, non-zero padding bits, an encoded printable ASCII character, or
   *     invalid UTF-16)
   */
  public static String decode(String encoded) {
    StringBuilder out = new StringBuilder(encoded.length());
    int i = 0;
    while (i < encoded.length()) {
      char c = encoded.charAt(i);
      if (c < 0x20 || c > 0x7e) {
        throw invalid(encoded, "character U+" + Integer.toHexString(c) + " must be encoded");
      }
      if (c != '&') {
        out.append(c);
        i++;
        continue;
      }
      int end = encoded.indexOf('-', i + 1);
      if (end < 0) {
        throw invalid(encoded, "'&' without closing '-'");
      }
      if (end == i + 1) {
        out.append('&');
        i = end + 1;
        continue;
      }
      String b64 = encoded.substring(i + 1, end).replace(',', '/');
      if ((b64.length() * 6) % 16 >= 6 || b64.length() % 4 == 1) {
        throw invalid(encoded, "truncated base64 run '" + encoded.substring(i, end + 1) + "'");
      }
      byte[] bytes;
      try {
        bytes = DEC.decode(b64);
      } catch (IllegalArgumentException e) {
        throw invalid(encoded, "bad base64 in '" + encoded.substring(i, end + 1) + "'");
      }
      if (bytes.length % 2 != 0) {
        throw invalid(encoded, "odd number of UTF-16 bytes in '" + encoded.substring(i, end + 1) + "'");
      }
      String chunk;
      try {
        chunk = StandardCharsets.UTF_16BE.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT)
            .decode(ByteBuffer.wrap(bytes)).toString();
      } catch (CharacterCodingException e) {
        throw invalid(encoded, "invalid UTF-16 in '" + encoded.substring(i, end + 1) + "'");
      }
      if (!ENC.encodeToString(bytes).replace('/', ',').equals(encoded.substring(i + 1, end))) {
        throw invalid(encoded, "non-canonical base64 in '" + encoded.substring(i, end + 1) + "'");
      }
      for (int k = 0; k < chunk.length(); k++) {
        char d = chunk.charAt(k);
        if (d >= 0x20 && d <= 0x7e) {
          throw invalid(encoded, "printable ASCII '" + d + "' must not be base64-encoded");
        }
      }
      out.append(CharBuffer.wrap(chunk));
      i = end + 1;
    }
    return out.toString();
  }

  private static IllegalArgumentException invalid(String name, String why) {
    return new IllegalArgumentException("invalid modified UTF-7 name '" + name + "': " + why);
  }
}
