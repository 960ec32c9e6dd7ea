package io.mailops.reporting.collect;

import io.mailops.reporting.ReportingException;
import io.mailops.reporting.logs.LogFiles;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * Reads a plain or gzip log file (recognised by its magic bytes) from a byte offset of its
 * decompressed content, line by line, telling the offset after each line; and identifies a file by
 * its inode and the hash of its first line.
 */
final class LogReader {

  /** Receives each line and the content offset just after it. */
  @FunctionalInterface
  interface LineConsumer {
    void line(String line, long end) throws IOException;
  }

  /** What identifies a log file: its inode (or file key) and the hash of its first line. */
  record Identity(String key, String firstLineHash, long size) {}

  private static final int BUFFER = 1 << 16;
  private static final int FIRST_LINE_MAX = 1 << 16;

  private LogReader() {}

  /** The identity of {@code file}. */
  static Identity identity(Path file) throws IOException {
    try {
      BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
      String key;
      try {
        key = "ino:" + Files.getAttribute(file, "unix:ino");
      } catch (UnsupportedOperationException | IllegalArgumentException e) {
        key = a.fileKey() == null ? "" : a.fileKey().toString();
      }
      return new Identity(key, firstLineHash(file), a.size());
    } catch (IOException e) {
      throw failure(file, 0, e);
    }
  }

  /** SHA-256 (hex) of the first line of the decompressed content, "" when it has no complete line. */
  static String firstLineHash(Path file) throws IOException {
    try (InputStream in = LogFiles.open(file)) {
      byte[] buf = new byte[4096];
      byte[] line = new byte[0];
      int n;
      while ((n = in.read(buf)) > 0) {
        for (int i = 0; i < n; i++) {
          if (buf[i] == '\n') {
            byte[] all = Arrays.copyOf(line, line.length + i);
            System.arraycopy(buf, 0, all, line.length, i);
            return sha256(all);
          }
        }
        line = Arrays.copyOf(line, line.length + n);
        System.arraycopy(buf, 0, line, line.length - n, n);
        if (line.length > FIRST_LINE_MAX) {
          return sha256(Arrays.copyOf(line, FIRST_LINE_MAX));
        }
      }
      return "";
    }
  }

  /**
   * Passes every line after content offset {@code from} to {@code consumer}. A last line without
   * '\n' is passed only when {@code includePartial} (a rotated file, complete); otherwise it is left
   * for the next read (the writer may be in the middle of it).
   *
   * @return the offset after the last line passed ({@code from} when none)
   * @throws ReportingException naming the file when it cannot be read
   */
  static long read(Path file, long from, boolean includePartial, LineConsumer consumer) throws IOException {
    long[] pos = {from};
    try (InputStream in = openAt(file, from)) {
      LogFiles.lines(in, includePartial, (line, end) -> {
        pos[0] = from + end;
        consumer.line(line, pos[0]);
      });
      return pos[0];
    } catch (ReportingException e) {
      throw e;
    } catch (IOException e) {
      throw failure(file, pos[0], e);
    }
  }

  /** The decompressed content of {@code file}, positioned at {@code offset}. */
  private static InputStream openAt(Path file, long offset) throws IOException {
    if (!gzip(file)) {
      SeekableByteChannel ch = Files.newByteChannel(file);
      ch.position(offset);
      return new BufferedInputStream(Channels.newInputStream(ch), BUFFER);
    }
    InputStream in = LogFiles.open(file);
    long left = offset;
    while (left > 0) {
      long n = in.skip(left);
      if (n <= 0) {
        if (in.read() < 0) {
          in.close();
          throw new ReportingException("log file " + file + " is shorter than the saved offset " + offset
              + "; it was replaced: run 'mailops report collect --from-logs' on it to count it anew", null);
        }
        n = 1;
      }
      left -= n;
    }
    return in;
  }

  static boolean gzip(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      return in.read() == 0x1f && in.read() == 0x8b;
    }
  }

  private static String sha256(byte[] b) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK has no SHA-256", e);
    }
  }

  static ReportingException failure(Path file, long offset, IOException e) {
    if (e instanceof NoSuchFileException) {
      return new ReportingException("cannot read log file " + file + ": no such file; check the path"
          + " (mailops.report.logs or --logs)", e);
    }
    if (e instanceof AccessDeniedException) {
      return new ReportingException("cannot read log file " + file + ": permission denied; run as root or as a"
          + " member of the group that owns it (adm on Debian)", e);
    }
    return new ReportingException("cannot read log file " + file + " at byte " + offset + ": " + e.getMessage()
        + "; check that it is a plain or gzip-compressed text log", e);
  }
}
