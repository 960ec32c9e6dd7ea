package io.mailops.storage;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * A dot-lock file as mail programs use them ({@code mbox.lock}, Dovecot's
 * {@code dovecot-uidlist.lock}): created exclusively, removed on {@link #close}; a lock older than
 * {@code stale} is taken to be left by a dead process and removed. Not reentrant.
 */
public final class DotLock implements AutoCloseable {

  private final Path lock;

  private DotLock(Path lock) {
    this.lock = lock;
  }

  /**
   * Takes the lock, waiting at most {@code wait}.
   *
   * @param what names the locked thing for the error message, e.g. "mbox /var/mail/alice"
   * @throws MailStoreException if another program holds it longer than {@code wait}
   */
  public static DotLock acquire(Path lock, Duration stale, Duration wait, Clock clock, String what)
      throws IOException {
    Instant giveUp = clock.instant().plus(wait);
    while (true) {
      try {
        Files.createFile(lock);
        return new DotLock(lock);
      } catch (FileAlreadyExistsException held) {
        try {
          if (Files.getLastModifiedTime(lock).toInstant().plus(stale).isBefore(clock.instant())) {
            Files.deleteIfExists(lock);
            continue;
          }
        } catch (NoSuchFileException released) {
          continue;
        }
        if (!clock.instant().isBefore(giveUp)) {
          throw new MailStoreException("cannot lock " + what + ": " + lock + " is held by another"
              + " program; try again later, or remove the lock file if no mail program is running");
        }
        try {
          Thread.sleep(50);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new InterruptedIOException("interrupted while waiting for the lock " + lock);
        }
      }
    }
  }

  @Override
  public void close() throws IOException {
    Files.deleteIfExists(lock);
  }
}
