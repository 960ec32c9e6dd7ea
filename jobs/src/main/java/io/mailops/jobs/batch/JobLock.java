package io.mailops.jobs.batch;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * An OS file lock ({@link FileChannel#tryLock}) that says "a run of this is in progress". The OS
 * drops it when the holding process dies, so a free lock next to an execution still marked
 * running in the job repository means that run's process is gone (killed, crashed, rebooted).
 * Used by {@code backup run} per target and scope, by every schedulable command per job name
 * ({@code $MAILOPS_HOME/locks/<job>.lock}, taken by the plain command line and by the daemon alike),
 * and by the daemon itself. The lock file stays in place; only the lock on it comes and goes.
 * Not reentrant: a second acquire of the same file in the same process finds it held.
 *
 * <p>POSIX drops all of a process's locks on a file when the process closes <em>any</em> channel
 * to it, so this process never opens a second channel to a file it holds: the files held here
 * are kept in {@link #HELD} and answered from there. Thread-safe.
 */
public final class JobLock implements AutoCloseable {

  private static final java.util.Set<Path> HELD = java.util.concurrent.ConcurrentHashMap.newKeySet();

  private final Path file;
  private final FileChannel channel;
  private final FileLock lock;

  private JobLock(Path file, FileChannel channel, FileLock lock) {
    this.file = file;
    this.channel = channel;
    this.lock = lock;
  }

  /** The lock file of job {@code job} under {@code home}: {@code home/locks/<job>.lock}. */
  public static Path file(Path home, String job) {
    return home.resolve("locks").resolve(job + ".lock");
  }

  /** Takes the lock on {@code file} (created with its directory if missing), or null when it is held. */
  public static synchronized JobLock tryAcquire(Path file) throws IOException {
    Path key = file.toAbsolutePath().normalize();
    Files.createDirectories(key.getParent());
    if (!HELD.add(key)) {
      return null;
    }
    FileChannel ch;
    try {
      ch = FileChannel.open(key, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    } catch (IOException | RuntimeException e) {
      HELD.remove(key);
      throw e;
    }
    FileLock l;
    try {
      l = ch.tryLock();
    } catch (OverlappingFileLockException e) {
      l = null; // held by this process (another thread or another run in this process)
    } catch (IOException | RuntimeException e) {
      ch.close();
      HELD.remove(key);
      throw e;
    }
    if (l == null) {
      ch.close();
      HELD.remove(key);
      return null;
    }
    return new JobLock(key, ch, l);
  }

  /** Whether a process (this one included) holds the lock on {@code file} now. */
  public static synchronized boolean held(Path file) throws IOException {
    Path key = file.toAbsolutePath().normalize();
    if (HELD.contains(key)) {
      return true;
    }
    if (!Files.exists(key)) {
      return false;
    }
    try (FileChannel ch = FileChannel.open(key, StandardOpenOption.WRITE);
        FileLock l = ch.tryLock()) {
      return l == null;
    } catch (OverlappingFileLockException e) {
      return true;
    }
  }

  /** The locked file. */
  public Path file() {
    return file;
  }

  /** Releases the lock. */
  @Override
  public void close() throws IOException {
    synchronized (JobLock.class) {
      release();
    }
  }

  private void release() throws IOException {
    try {
      lock.release();
    } finally {
      try {
        channel.close();
      } finally {
        HELD.remove(file);
      }
    }
  }
}
