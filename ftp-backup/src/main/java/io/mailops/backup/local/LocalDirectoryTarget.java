package io.mailops.backup.local;

import io.mailops.backup.BackupException;
import io.mailops.backup.BackupTarget;
import io.mailops.storage.PathGuard;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.OptionalLong;

/** A {@link BackupTarget} in a local directory ({@code file:/dir}). Safe for concurrent use. */
public final class LocalDirectoryTarget implements BackupTarget {

  private final Path root;

  /** A target rooted at {@code root}; the directory is created on the first {@link #put}. */
  public LocalDirectoryTarget(Path root) {
    this.root = root.toAbsolutePath().normalize();
  }

  public Path root() {
    return root;
  }

  private Path resolve(String name) throws IOException {
    return PathGuard.resolveInside(root, name, "backup target " + root);
  }

  @Override
  public void put(String name, Path source) throws IOException {
    Path dest = resolve(name);
    Path part = dest.resolveSibling(dest.getFileName() + ".part");
    Files.createDirectories(dest.getParent());
    Files.copy(source, part, StandardCopyOption.REPLACE_EXISTING);
    long want = Files.size(source);
    long got = Files.size(part);
    if (want != got) {
      throw new BackupException("upload of " + dest + " is incomplete (" + got + " of " + want
          + " bytes); check the free space on " + root + " and run the backup again");
    }
    Files.move(part, dest, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  @Override
  public InputStream open(String name, long offset, long length) throws IOException {
    Path p = resolve(name);
    SeekableByteChannel ch;
    try {
      ch = Files.newByteChannel(p);
    } catch (NoSuchFileException e) {
      throw new BackupException("backup file " + p + " is missing; run 'backup verify' on its set", e);
    }
    ch.position(offset);
    InputStream in = Channels.newInputStream(ch);
    return length < 0 ? in : new Range(in, length);
  }

  /** Ends after {@code left} bytes; closes the file. */
  private static final class Range extends FilterInputStream {
    private long left;

    Range(InputStream in, long left) {
      super(in);
      this.left = left;
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
  }

  @Override
  public List<String> list(String dir) throws IOException {
    Path d = dir.isEmpty() ? root : resolve(dir);
    if (!Files.isDirectory(d)) {
      return List.of();
    }
    List<String> out = new ArrayList<>();
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(d)) {
      for (Path p : ds) {
        String n = p.getFileName().toString();
        if (!n.endsWith(".part")) {
          out.add(n);
        }
      }
    }
    Collections.sort(out);
    return out;
  }

  @Override
  public OptionalLong size(String name) throws IOException {
    Path p = resolve(name);
    return Files.isRegularFile(p) ? OptionalLong.of(Files.size(p)) : OptionalLong.empty();
  }

  @Override
  public String toString() {
    return "file:" + root;
  }
}
