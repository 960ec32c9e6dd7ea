package io.mailops.jobs.daemon;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Properties;

/**
 * The last time each schedule fired, kept in a small properties file
 * ({@code $MAILOPS_HOME/daemon/fire-times.properties}, rewritten atomically) so that a daemon
 * started after a time it missed can tell. Thread-safe.
 */
public final class FireTimes {

  private final Path file;
  private final Properties times = new Properties();

  /** Reads {@code file} if it exists; a damaged file counts as empty (nothing to catch up). */
  public FireTimes(Path file) throws IOException {
    this.file = file;
    try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      times.load(r);
    } catch (NoSuchFileException e) {
      // first start
    } catch (IllegalArgumentException e) {
      times.clear();
    }
  }

  /** When {@code schedule} last fired, or null if never (or not readable). */
  public synchronized Instant last(String schedule) {
    String v = times.getProperty(schedule);
    try {
      return v == null ? null : Instant.parse(v);
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  /** Records that {@code schedule} fired for {@code slot} and saves the file. */
  public synchronized void fired(String schedule, Instant slot) {
    times.setProperty(schedule, slot.toString());
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
      Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
      try (Writer w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
        times.store(w, "mailops daemon: last fire time per schedule");
      }
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage()
          + "; check the permissions of $MAILOPS_HOME/daemon", e);
    }
  }
}
