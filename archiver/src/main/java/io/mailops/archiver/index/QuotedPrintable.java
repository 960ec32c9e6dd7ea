package io.mailops.archiver.index;

import java.util.Arrays;

/**
 * A quoted-printable decoder over a byte array that gives exactly what Angus Mail's {@code
 * QPDecoderStream} (what {@code MimeUtility.decode(in, "quoted-printable")} returns) gives when
 * read to its end or to a limit, quirks included: spaces before a line break or the end are
 * dropped (tabs are kept); {@code =} before LF, CR LF or a lone CR is a soft line break; {@code
 * =} and two hex digits is that byte, {@code =-} and one hex digit is that negative number as a
 * byte ({@code =-1} is -1, see {@link #decode}); any other {@code =} is kept as it is; a
 * lone CR at the very end after {@code =}, or one byte after {@code =} at the end, leaves one
 * 0xFF byte (the stream pushes back its end-of-stream marker as a byte).
 *
 * <p>The stream reads its input byte by byte through a synchronized {@code PushbackInputStream}
 * and makes a {@code StreamProvider} lookup per part: it was 12% of the ingest workers' samples
 * on the mixed sample store (docs/benchmarks.md, Archive, fifth round). Not thread-safe; one per
 * call of {@link #decode}.
 */
final class QuotedPrintable {

  /** {@code InputStream.readNBytes}' buffer size (JDK 17). */
  private static final int CHUNK = 8192;

  private final byte[] in;
  private int pos;
  /** Pushed-back bytes (0-255), the last one read first; at most two, as in the stream. */
  private final int[] back = new int[2];
  private int backs;
  private int spaces;

  private QuotedPrintable(byte[] in) {
    this.in = in;
  }

  /**
   * The decoded bytes of {@code encoded}, at most {@code limit} of them: what {@code
   * readNBytes(limit)} gives on the stream. That reads in calls of up to {@value #CHUNK} bytes,
   * and a call stops at the first -1 the stream's {@code read()} gives, so a {@code =-1} (-1)
   * ends the text only where a call starts: first, right after another such stop, or at a
   * multiple of {@value #CHUNK} bytes; elsewhere it is skipped.
   */
  static byte[] decode(byte[] encoded, int limit) {
    QuotedPrintable qp = new QuotedPrintable(encoded);
    byte[] out = new byte[Math.max(0, Math.min(limit, encoded.length + 1))];
    int n = 0;
    boolean callStart = true;
    while (n < limit) {
      int c = qp.read();
      if (c == -1) {
        if (callStart) {
          break;
        }
        callStart = true;
        continue;
      }
      if (n == out.length) {
        out = Arrays.copyOf(out, (int) Math.min(limit, Math.max(16L, 2L * n)));
      }
      out[n++] = (byte) c;
      callStart = n % CHUNK == 0;
    }
    return n == out.length ? out : Arrays.copyOf(out, n);
  }

  private int next() {
    if (backs > 0) {
      return back[--backs];
    }
    return pos < in.length ? in[pos++] & 0xff : -1;
  }

  private void unread(int b) {
    back[backs++] = b & 0xff;
  }

  private int read() {
    if (spaces > 0) {
      spaces--;
      return ' ';
    }
    while (true) {
      int c = next();
      if (c == ' ') {
        while ((c = next()) == ' ') {
          spaces++;
        }
        if (c == '\r' || c == '\n' || c == -1) {
          spaces = 0;  // transport padding before a line break or the end
          return c;
        }
        unread(c);
        return ' ';
      }
      if (c != '=') {
        return c;
      }
      int a = next();
      if (a == '\n') {
        continue;  // soft line break (LF only)
      }
      if (a == '\r') {
        int b = next();
        if (b != '\n') {
          unread(b);
        }
        continue;  // soft line break
      }
      if (a == -1) {
        return -1;
      }
      int b = next() & 0xff;  // the stream stores its end (-1) as the byte 0xFF here
      int value = hex(a, b);
      if (value == Integer.MIN_VALUE) {
        unread(b);
        unread(a);
        return '=';
      }
      return value;
    }
  }

  /** Angus' {@code ASCIIUtility.parseInt} of two bytes in base 16, or MIN_VALUE when invalid. */
  private static int hex(int a, int b) {
    int low = digit(b);
    if (low < 0) {
      return Integer.MIN_VALUE;
    }
    if (a == '-') {
      return -low;
    }
    int high = digit(a);
    return high < 0 ? Integer.MIN_VALUE : high * 16 + low;
  }

  private static int digit(int b) {
    if (b >= '0' && b <= '9') {
      return b - '0';
    }
    if (b >= 'A' && b <= 'F') {
      return b - 'A' + 10;
    }
    if (b >= 'a' && b <= 'f') {
      return b - 'a' + 10;
    }
    return -1;
  }
}
