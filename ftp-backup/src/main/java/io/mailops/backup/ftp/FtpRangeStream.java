package io.mailops.backup.ftp;

import io.mailops.backup.RangeInputStream;
import java.io.IOException;
import java.io.InputStream;
import org.apache.commons.net.ftp.FTPClient;

/**
 * The data stream of one {@code RETR}, ended after {@code length} bytes ({@code < 0}: to the end of
 * the file). Closing it closes the data connection and reads the transfer's final reply
 * ({@code 226}, or {@code 426} when the range ended early); the control connection is then
 * handed back for reuse, or dropped if that reply does not come. Not thread-safe.
 */
final class FtpRangeStream extends RangeInputStream {

  /** Takes back the control connection when the stream is closed. */
  interface Release {
    void release(FTPClient c, boolean reusable);
  }

  private final FTPClient client;
  private final Release release;
  private boolean closed;

  FtpRangeStream(InputStream data, long length, FTPClient client, Release release) {
    super(data, length);
    this.client = client;
    this.release = release;
  }

  @Override
  public void close() throws IOException {
    if (closed) {
      return;
    }
    closed = true;
    boolean reusable = false;
    try {
      in.close();
      client.completePendingCommand();
      int code = client.getReplyCode();
      reusable = code == 226 || code == 250 || code == 426 || code == 451;
    } catch (IOException e) {
      // the range was read; a lost final reply only costs the connection
    } finally {
      release.release(client, reusable);
    }
  }
}
