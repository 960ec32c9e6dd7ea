package io.mailops.storage.sample;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * The bytes of one message being composed, with one line ending throughout ({@code "\n"} as
 * Dovecot stores mail, or {@code "\r\n"} as it travels over SMTP). Text handed in uses
 * {@code "\n"}; it is converted. Headers are folded at spaces to stay under 78 characters where
 * possible. Not thread-safe; one instance per message.
 */
final class MimeOutput {

  static final int MAX_LINE = 76;
  private static final String HEX = "0123456789ABCDEF";

  private final ByteArrayOutputStream out;
  private final String nl;
  private final byte[] nlBytes;

  MimeOutput(boolean crlf, int sizeHint) {
    this.out = new ByteArrayOutputStream(Math.max(1024, sizeHint));
    this.nl = crlf ? "\r\n" : "\n";
    this.nlBytes = nl.getBytes(StandardCharsets.US_ASCII);
  }

  /** Bytes written so far. */
  int size() {
    return out.size();
  }

  byte[] toByteArray() {
    return out.toByteArray();
  }

  /**
   * Writes a header field; {@code value} must be printable ASCII (encode words with {@link
   * EncodedWords} first). Long values are folded at spaces, so adjacent encoded words may end up
   * on continuation lines, which decoders allow.
   */
  void header(String name, String value) {
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c > 0x7e || c < 0x20) {
        throw new IllegalArgumentException("header " + name + " must be printable ASCII, got '" + value + "'");
      }
    }
    StringBuilder line = new StringBuilder(name.length() + value.length() + 8).append(name).append(':');
    int lineStart = 0;
    boolean first = true;
    for (String word : value.split(" ", -1)) {
      if (!first && line.length() - lineStart + 1 + word.length() > 78) {
        line.append(nl);
        lineStart = line.length();
      }
      line.append(' ').append(word);
      first = false;
    }
    ascii(line.toString());
    newline();
  }

  /** Ends the header block. */
  void endHeaders() {
    newline();
  }

  void newline() {
    out.writeBytes(nlBytes);
  }

  /** Writes ASCII text without a line ending. */
  void ascii(String s) {
    out.writeBytes(s.getBytes(StandardCharsets.US_ASCII));
  }

  /** Writes one ASCII line. */
  void line(String s) {
    ascii(s);
    newline();
  }

  /** Writes text in {@code charset} as is (7bit or 8bit), its {@code "\n"} converted; ends with a line ending. */
  void text(String text, Charset charset) {
    String t = text.endsWith("\n") ? text : text + "\n";
    if (nl.length() == 2) {
      t = t.replace("\n", nl);
    }
    out.writeBytes(t.getBytes(charset));
  }

  /** Writes text as quoted-printable (RFC 2045 §6.7) in {@code charset}, lines of at most 76. */
  void quotedPrintable(String text, Charset charset) {
    String[] lines = text.split("\n", -1);
    int n = text.endsWith("\n") ? lines.length - 1 : lines.length;
    StringBuilder b = new StringBuilder(MAX_LINE + 4);
    for (int l = 0; l < n; l++) {
      byte[] bytes = lines[l].getBytes(charset);
      b.setLength(0);
      for (int i = 0; i < bytes.length; i++) {
        int c = bytes[i] & 0xff;
        boolean literal = (c >= 33 && c <= 126 && c != '=')
            || ((c == ' ' || c == '\t') && i < bytes.length - 1);
        if (b.length() + (literal ? 1 : 3) > MAX_LINE - 1) {
          b.append('=');
          line(b.toString());
          b.setLength(0);
        }
        if (literal) {
          b.append((char) c);
        } else {
          b.append('=').append(HEX.charAt(c >> 4)).append(HEX.charAt(c & 0xf));
        }
      }
      line(b.toString());
    }
  }

  /** Writes {@code data} as MIME base64, lines of 76 characters, ending with a line ending. */
  void base64(byte[] data) {
    Base64.Encoder enc = Base64.getMimeEncoder(MAX_LINE, nlBytes);
    try (OutputStream b64 = enc.wrap(new KeepOpen(out))) {
      b64.write(data);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot happen: writing to memory", e);
    }
    if (data.length > 0) {
      newline();
    }
  }

  /** A view of the buffer that ignores close(), so the base64 wrapper can be closed to flush. */
  private static final class KeepOpen extends OutputStream {
    private final ByteArrayOutputStream target;

    KeepOpen(ByteArrayOutputStream target) {
      this.target = target;
    }

    @Override
    public void write(int b) {
      target.write(b);
    }

    @Override
    public void write(byte[] b, int off, int len) {
      target.write(b, off, len);
    }
  }
}
