package io.mailops.migrator;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The identity of a message for dedupe, as imapsync's {@code --useheader}: the SHA-256 (hex) of a
 * normalised header block (Message-ID, Date, From, Subject: unfolded, names lower-cased, runs of
 * white space collapsed to one space, values trimmed, first occurrence of each) plus the
 * message's size. A message without a Message-ID (or in {@link Mode#CONTENT}) is identified by
 * the SHA-256 of its whole content instead.
 *
 * <p>Line ends are normalised to CRLF, as IMAP transfers messages, for both the size and the
 * content hash: a message stored with bare LF in a Maildir has the same fingerprint as the same
 * message on an IMAP server. Header bytes are taken as they are (8-bit headers are hashed
 * byte for byte, never decoded). In {@link Mode#HEADERS} with a Message-ID, only the header part
 * is kept in memory (at most {@value #MAX_HEADER} bytes); the body is only counted.
 */
public final class Fingerprint {

  /** How messages are identified. */
  public enum Mode {
    /** Header block plus size; content hash for messages without a Message-ID (default). */
    HEADERS,
    /** Always the SHA-256 of the whole content. */
    CONTENT
  }

  /** The longest header part read; the rest of a longer header counts as body. */
  public static final int MAX_HEADER = 1 << 20;

  private static final List<String> NAMES = List.of("message-id", "date", "from", "subject");

  private Fingerprint() {}

  /** The fingerprint of {@code message}. */
  public static String of(byte[] message, Mode mode) {
    try {
      return of(new ByteArrayInputStream(message), mode);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The fingerprint of the message read from {@code in} to its end; does not close it. */
  public static String of(InputStream in, Mode mode) throws IOException {
    byte[] buf = new byte[64 * 1024];
    ByteArrayOutputStream header = new ByteArrayOutputStream(4096);
    // the header: bytes up to and including the empty line that ends it (or MAX_HEADER bytes)
    boolean lineStart = true;
    boolean inHeader = true;
    int n = 0;
    int bodyFrom = 0;
    while (inHeader && (n = in.readNBytes(buf, 0, buf.length)) > 0) {
      int i = 0;
      int room = MAX_HEADER - header.size();
      for (; i < n && i < room; i++) {
        byte c = buf[i];
        if (c == '\n') {
          if (lineStart) {
            inHeader = false;
            i++;
            break;
          }
          lineStart = true;
        } else if (c != '\r') {
          lineStart = false;
        }
      }
      if (i >= room) {
        inHeader = false;
      }
      header.write(buf, 0, i);
      bodyFrom = i;
      if (n < buf.length && inHeader) {
        n = 0; // the stream ended inside the header
        bodyFrom = 0;
        break;
      }
    }
    byte[] head = header.toByteArray();
    Map<String, String> headers = mode == Mode.HEADERS ? parseHeaders(head) : Map.of();
    String messageId = headers.get("message-id");
    boolean byHeaders = messageId != null && !messageId.isEmpty();
    Crlf count = new Crlf(byHeaders ? null : sha256());
    count.update(head, 0, head.length);
    if (!inHeader && n > bodyFrom) {
      count.update(buf, bodyFrom, n - bodyFrom);
    }
    for (n = in.read(buf); n >= 0; n = in.read(buf)) {
      count.update(buf, 0, n);
    }
    if (!byHeaders) {
      return HexFormat.of().formatHex(count.digest.digest());
    }
    return headerPrint(headers, count.size);
  }

  /**
   * The {@link Mode#HEADERS} fingerprint from the header part alone: {@code header} is the
   * message's bytes up to and including the empty line that ends its header (IMAP's
   * {@code BODY[HEADER]}), {@code size} the whole message's size with line ends as CRLF (IMAP's
   * {@code RFC822.SIZE}). Equal to {@link #of} on the whole message when the header has a
   * Message-ID and is at most {@link #MAX_HEADER} bytes long; empty otherwise (the whole content
   * is needed then).
   */
  public static Optional<String> ofHeader(byte[] header, long size) {
    if (header.length >= MAX_HEADER) {
      return Optional.empty();
    }
    Map<String, String> headers = parseHeaders(header);
    String messageId = headers.get("message-id");
    if (messageId == null || messageId.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(headerPrint(headers, size));
  }

  private static String headerPrint(Map<String, String> headers, long size) {
    StringBuilder block = new StringBuilder();
    for (String name : NAMES) {
      block.append(name).append(": ").append(headers.getOrDefault(name, "")).append("\r\n");
    }
    block.append("size: ").append(size).append("\r\n");
    return HexFormat.of().formatHex(
        sha256().digest(block.toString().getBytes(StandardCharsets.ISO_8859_1)));
  }

  /**
   * Unfolded, normalised values of the headers in {@link #NAMES}, first occurrence of each. Lines
   * end at LF or CRLF; a line starting with a space or tab continues the header before it. Stops
   * reading once all of {@link #NAMES} are complete (no regular expressions: this runs for every
   * message of a verification).
   */
  static Map<String, String> parseHeaders(byte[] header) {
    String text = new String(header, StandardCharsets.ISO_8859_1);
    Map<String, String> out = new HashMap<>(8);
    String name = null;
    StringBuilder value = new StringBuilder();
    int len = text.length();
    for (int from = 0; from <= len; ) {
      int lf = text.indexOf('\n', from);
      int next = lf < 0 ? len + 1 : lf + 1;
      int to = lf < 0 ? len : lf > from && text.charAt(lf - 1) == '\r' ? lf - 1 : lf;
      if (to > from && (text.charAt(from) == ' ' || text.charAt(from) == '\t')) {
        if (name != null) {
          value.append(text, from, to);
        }
        from = next;
        continue;
      }
      put(out, name, value);
      if (out.size() == NAMES.size()) {
        return out;
      }
      name = null;
      value.setLength(0);
      int colon = from;
      while (colon < to && text.charAt(colon) != ':') {
        colon++;
      }
      if (colon > from && colon < to) {
        name = text.substring(from, colon).trim().toLowerCase(Locale.ROOT);
        value.append(text, colon + 1, to);
      }
      from = next;
    }
    put(out, name, value);
    return out;
  }

  private static void put(Map<String, String> out, String name, CharSequence value) {
    if (name != null && NAMES.contains(name) && !out.containsKey(name)) {
      out.put(name, collapse(value));
    }
  }

  /** {@code value} with every run of space, tab, CR and LF as one space, then trimmed. */
  static String collapse(CharSequence value) {
    StringBuilder b = new StringBuilder(value.length());
    boolean space = false;
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
        if (!space) {
          b.append(' ');
          space = true;
        }
      } else {
        b.append(c);
        space = false;
      }
    }
    return b.toString().trim();
  }

  static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("this JVM has no SHA-256; use a standard JDK", e);
    }
  }

  /** Counts (and optionally hashes) bytes with every bare LF taken as CRLF. */
  private static final class Crlf {
    final MessageDigest digest;
    long size;
    private int prev = -1;

    Crlf(MessageDigest digest) {
      this.digest = digest;
    }

    void update(byte[] b, int off, int len) {
      int start = off;
      for (int i = off; i < off + len; i++) {
        if (b[i] == '\n' && prev != '\r') {
          if (digest != null) {
            digest.update(b, start, i - start);
            digest.update((byte) '\r');
          }
          start = i;
          size++;
        }
        prev = b[i];
      }
      if (digest != null) {
        digest.update(b, start, off + len - start);
      }
      size += len;
    }
  }
}
