package io.mailops.backup.local;

import io.mailops.backup.BackupException;
import io.mailops.backup.BackupTarget;
import io.mailops.backup.RangeInputStream;
import io.mailops.storage.PathGuard;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
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
  public void write(String name, byte[] bytes, int length) throws IOException {
    Path dest = resolve(name);
    Path part = dest.resolveSibling(dest.getFileName() + ".part");
    Files.createDirectories(dest.getParent());
    try (OutputStream o = Files.newOutputStream(part)) {
      o.write(bytes, 0, length);
    }
    long got = Files.size(part);
    if (got != length) {
      throw new BackupException("upload of " + dest + " is incomplete (" + got + " of " + length
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
    return new RangeInputStream(in, length);
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

  /**
   * {@inheritDoc}
   *
   * <p>Symbolic links are removed, never followed; a name that passes through a symbolic link
   * below the root is refused, so nothing outside the root is ever deleted.
   */
  @Override
  public void delete(String name) throws IOException {
    Path p = resolve(name);
    for (Path a = p.getParent(); a != null && a.startsWith(root) && !a.equals(root);
        a = a.getParent()) {
      if (Files.isSymbolicLink(a)) {
        throw new BackupException("cannot delete " + p + ": " + a + " is a symbolic link and "
            + "deletes never follow links; remove it by hand if it belongs to " + root);
      }
    }
    if (!Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    try {
      Files.walkFileTree(p, new SimpleFileVisitor<>() {
        @Override
        public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
          Files.deleteIfExists(file);
          return FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
          if (e instanceof NoSuchFileException) {
            return FileVisitResult.CONTINUE;
          }
          throw e;
        }

        @Override
        public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
          if (e != null && !(e instanceof NoSuchFileException)) {
            throw e;
          }
          Files.deleteIfExists(dir);
          return FileVisitResult.CONTINUE;
        }
      });
    } catch (NoSuchFileException e) {
      // removed concurrently: the goal is reached
    } catch (IOException e) {
      throw new BackupException("cannot delete " + p + " (" + e + "); check the permissions of "
          + root + " and run the prune again", e);
    }
  }

  @Override
  public String toString() {
    return "file:" + root;
  }
}
