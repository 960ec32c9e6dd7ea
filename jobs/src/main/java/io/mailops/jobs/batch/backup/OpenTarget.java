package io.mailops.jobs.batch.backup;

import io.mailops.backup.BackupTarget;
import io.mailops.backup.ForwardingBackupTarget;
import io.mailops.backup.ftp.FtpTarget;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;

/** An opened {@link BackupTarget} that counts the bytes put on it, closed when done. */
public final class OpenTarget extends ForwardingBackupTarget implements Closeable {

  private final Closeable closer;
  private final AtomicLong uploaded = new AtomicLong();

  OpenTarget(BackupTarget target, Closeable closer) {
    super(target);
    this.closer = closer;
  }

  /**
   * Starts connecting to an FTP target in the background ({@link
   * io.mailops.backup.ftp.FtpTarget#connectAhead}); nothing for a local one.
   */
  public void connectAhead() {
    if (delegate instanceof FtpTarget ftp) {
      ftp.connectAhead();
    }
  }

  /** Bytes put on the target since it was opened. */
  public long uploaded() {
    return uploaded.get();
  }

  @Override
  public void put(String name, Path source) throws IOException {
    long size = Files.size(source);
    delegate.put(name, source);
    uploaded.addAndGet(size);
  }

  @Override
  public void write(String name, Path source) throws IOException {
    long size = Files.size(source);
    delegate.write(name, source);
    uploaded.addAndGet(size);
  }

  @Override
  public void write(String name, byte[] bytes, int length) throws IOException {
    delegate.write(name, bytes, length);
    uploaded.addAndGet(length);
  }

  @Override
  public void close() throws IOException {
    if (closer != null) {
      closer.close();
    }
  }
}
