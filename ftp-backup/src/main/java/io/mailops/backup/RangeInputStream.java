package io.mailops.backup;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Reads at most {@code length} bytes of the stream it wraps ({@code length < 0}: all of it), so
 * a one-message restore reads one bounded range of a tar file whatever the target. Closing it
 * closes the wrapped stream. Not thread-safe.
 */
public class RangeInputStream extends FilterInputStream {

  private long left;

  public RangeInputStream(InputStream in, long length) {
    super(in);
    this.left = length < 0 ? Long.MAX_VALUE : length;
  }

  @Override
  public int read() throws IOException {
    if (left <= 0) {
      return -1;
    }
    int b = in.read();
    if (b >= 0) {
      left--;
    }
    return b;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    if (left <= 0) {
      return -1;
    }
    int n = in.read(b, off, (int) Math.min(len, left));
    if (n > 0) {
      left -= n;
    }
    return n;
  }

  @Override
  public long skip(long n) throws IOException {
    long s = in.skip(Math.min(n, left));
    left -= s;
    return s;
  }

  @Override
  public int available() throws IOException {
    return (int) Math.min(in.available(), left);
  }

  @Override
  public boolean markSupported() {
    return false;
  }
}
