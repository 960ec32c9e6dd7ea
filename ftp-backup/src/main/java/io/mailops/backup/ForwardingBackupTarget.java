package io.mailops.backup;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * A {@link BackupTarget} that passes every call to another one; subclasses override what they
 * watch or change (count uploaded bytes, record deletes). Thread-safety is the delegate's.
 * {@link #write(String, byte[], int)} is not forwarded: it goes through a temporary file to
 * {@link #write(String, Path)}, so a subclass that watches the latter sees every upload; one that
 * forwards it too must watch both.
 */
public abstract class ForwardingBackupTarget implements BackupTarget {

  /** The target calls go to. */
  protected final BackupTarget delegate;

  protected ForwardingBackupTarget(BackupTarget delegate) {
    this.delegate = Objects.requireNonNull(delegate, "delegate");
  }

  @Override
  public void put(String name, Path source) throws IOException {
    delegate.put(name, source);
  }

  @Override
  public void write(String name, Path source) throws IOException {
    delegate.write(name, source);
  }

  @Override
  public InputStream open(String name, long offset, long length) throws IOException {
    return delegate.open(name, offset, length);
  }

  @Override
  public List<String> list(String dir) throws IOException {
    return delegate.list(dir);
  }

  @Override
  public OptionalLong size(String name) throws IOException {
    return delegate.size(name);
  }

  @Override
  public void delete(String name) throws IOException {
    delegate.delete(name);
  }

  @Override
  public String toString() {
    return delegate.toString();
  }
}
