package io.mailops.jobs.batch.backup;

import io.mailops.backup.BackupTarget;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicLong;

/** An opened {@link BackupTarget} that counts the bytes put on it, closed when done. */
public final class OpenTarget implements BackupTarget, Closeable {

  private final BackupTarget target;
  private final Closeable closer;
  private final AtomicLong uploaded = new AtomicLong();

  OpenTarget(BackupTarget target, Closeable closer) {
    this.target = target;
    this.closer = closer;
  }

  /** Bytes put on the target since it was opened. */
  public long uploaded() {
    return uploaded.get();
  }

  @Override
  public void put(String name, Path source) throws IOException {
    long size = Files.size(source);
    target.put(name, source);
    uploaded.addAndGet(size);
  }

  @Override
  public InputStream open(String name, long offset, long length) throws IOException {
    return target.open(name, offset, length);
  }

  @Override
  public List<String> list(String dir) throws IOException {
    return target.list(dir);
  }

  @Override
  public OptionalLong size(String name) throws IOException {
    return target.size(name);
  }

  @Override
  public void delete(String name) throws IOException {
    target.delete(name);
  }

  @Override
  public void close() throws IOException {
    if (closer != null) {
      closer.close();
    }
  }

  @Override
  public String toString() {
    return target.toString();
  }
}
