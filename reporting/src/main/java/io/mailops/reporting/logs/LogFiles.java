package io.mailops.reporting.logs;

import io.mailops.reporting.ReportingException;
import java.io.BufferedInputStream;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPInputStream;

/**
 * Reads mail log files line by line, in the order given: plain files and gzip files (recognised
 * by their magic bytes, so a rotated {@code mail.log.2.gz} is read whatever its name). Following a
 * live file across rotation is not done here.
 */
public final class LogFiles {

  /** Receives the lines; may throw to stop the reading. */
  @FunctionalInterface
  public interface LineHandler {
    /** One line, without its terminator; the empty line is passed too. */
    void line(String line) throws IOException;
  }

  private static final int BUFFER = 1 << 16;

  private LogFiles() {}

  /**
   * Passes every line of every file, in order, to {@code handler} and returns the number of lines.
   * An empty list reads nothing. Lines are decoded as UTF-8, bad bytes replaced.
   *
   * @throws ReportingException naming the file when one cannot be opened, read or decompressed
   */
  public static long forEachLine(List<Path> files, LineHandler handler) throws IOException {
    long lines = 0;
    for (Path f : files) {
      try (BufferedReader r = open(f)) {
        for (String line = r.readLine(); line != null; line = r.readLine()) {
          handler.line(line);
          lines++;
        }
      } catch (ReportingException e) {
        throw e;
      } catch (NoSuchFileException e) {
        throw new ReportingException("cannot read log file " + f + ": no such file; check the path (--logs)", e);
      } catch (AccessDeniedException e) {
        throw new ReportingException("cannot read log file " + f + ": permission denied; run as root or as a member"
            + " of the group that owns it (adm on Debian)", e);
      } catch (IOException e) {
        throw new ReportingException("cannot read log file " + f + " after line " + lines + ": " + e.getMessage()
            + "; check that it is a plain or gzip-compressed text log", e);
      }
    }
    return lines;
  }

  private static BufferedReader open(Path f) throws IOException {
    InputStream in = new BufferedInputStream(Files.newInputStream(f), BUFFER);
    try {
      in.mark(2);
      int b0 = in.read();
      int b1 = in.read();
      in.reset();
      if (b0 == 0x1f && b1 == 0x8b) {
        in = new GZIPInputStream(in, BUFFER);
      }
      return new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8), BUFFER);
    } catch (IOException e) {
      in.close();
      throw e;
    }
  }
}
