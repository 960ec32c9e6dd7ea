package io.mailops.reporting.logs;

import io.mailops.reporting.ReportingException;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.zip.GZIPInputStream;

/**
 * Reads mail log files line by line, in the order given: plain files and gzip files (recognised
 * by their magic bytes, so a rotated {@code mail.log.2.gz} is read whatever its name), as lines
 * or, parsed on a second thread, as {@link LogEvent}s. Following a live file across rotation is not
 * done here.
 */
public final class LogFiles {

  /** Receives the lines; may throw to stop the reading. */
  @FunctionalInterface
  public interface LineHandler {
    /** One line, without its terminator; the empty line is passed too. */
    void line(String line) throws IOException;
  }

  /** Receives each line and the number of content bytes read up to and including its end. */
  @FunctionalInterface
  public interface PositionedLineHandler {
    /** One line, without its terminator, and the content offset just after it. */
    void line(String line, long end) throws IOException;
  }

  /** Receives the events; may throw to stop the reading. */
  @FunctionalInterface
  public interface EventHandler {
    /** The event of one line. */
    void event(LogEvent event) throws IOException;
  }

  private static final int BUFFER = 1 << 16;
  private static final int BATCH = 2048;
  private static final Object END = new Object();

  private LogFiles() {}

  /**
   * Passes every line of every file, in order, to {@code handler} and returns the number of lines.
   * An empty list reads nothing. Lines end at '\n' (or "\r\n"); they are decoded as UTF-8, bad
   * bytes replaced.
   *
   * @throws ReportingException naming the file when one cannot be opened, read or decompressed
   */
  public static long forEachLine(List<Path> files, LineHandler handler) throws IOException {
    long lines = 0;
    for (Path f : files) {
      long before = lines;
      try (InputStream in = open(f)) {
        lines += readLines(in, handler);
      } catch (ReportingException e) {
        throw e;
      } catch (NoSuchFileException e) {
        throw new ReportingException("cannot read log file " + f + ": no such file; check the path (--logs)", e);
      } catch (AccessDeniedException e) {
        throw new ReportingException("cannot read log file " + f + ": permission denied; run as root or as a member"
            + " of the group that owns it (adm on Debian)", e);
      } catch (IOException e) {
        throw new ReportingException("cannot read log file " + f + " after line " + before + ": " + e.getMessage()
            + "; check that it is a plain or gzip-compressed text log", e);
      }
    }
    return lines;
  }

  /**
   * Like {@link #forEachLine}, but passes the event of each line: a second thread reads the lines
   * and another one parses them (with {@code parser}, used by that thread only) while
   * {@code handler} runs on the caller's thread, in line order. The reading stops when the handler
   * throws; its exception is thrown.
   *
   * @return the number of lines
   * @throws ReportingException naming the file when one cannot be opened, read or decompressed
   */
  public static long forEachEvent(List<Path> files, LogLineParser parser, EventHandler handler) throws IOException {
    return forEachEvent(files, () -> parser, 1, handler);
  }

  /**
   * Like {@link #forEachLine}, but passes the event of each line, in line order, to {@code handler}
   * on the caller's thread, while one thread reads batches of lines and {@code threads} threads
   * parse them, each with its own parser from {@code parsers} (called once per parsing thread). A
   * {@link LogLineParser} keeps only caches between lines, so the events are the same whichever
   * thread parses a batch. At most {@code 2 * threads + 4} batches are in memory. The reading stops
   * when the handler throws; its exception is thrown.
   *
   * @return the number of lines
   * @throws ReportingException naming the file when one cannot be opened, read or decompressed
   */
  public static long forEachEvent(List<Path> files, Supplier<LogLineParser> parsers, int threads,
      EventHandler handler) throws IOException {
    if (threads < 1) {
      throw new IllegalArgumentException("parsing threads must be 1 or more, got " + threads);
    }
    AtomicInteger names = new AtomicInteger();
    ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
      Thread t = new Thread(r, "mailops-log-parser-" + names.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
    ThreadLocal<LogLineParser> local = ThreadLocal.withInitial(parsers);
    BlockingQueue<Object> queue = new ArrayBlockingQueue<>(2 * threads + 2);
    Thread reader = new Thread(() -> readInto(files, pool, local, queue), "mailops-log-reader");
    reader.setDaemon(true);
    reader.start();
    long lines = 0;
    try {
      while (true) {
        Object o = queue.take();
        if (o == END) {
          return lines;
        }
        if (o instanceof IOException e) {
          throw e;
        }
        if (o instanceof RuntimeException e) {
          throw e;
        }
        if (o instanceof Error e) {
          throw e;
        }
        for (LogEvent e : parsed((Future<?>) o)) {
          handler.event(e);
          lines++;
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while reading " + files);
    } finally {
      reader.interrupt();   // stops a reader still blocked on a full queue after a failure
      pool.shutdownNow();
    }
  }

  /** The events of a parsed batch; a parser's failure is thrown as it was. */
  private static LogEvent[] parsed(Future<?> batch) throws InterruptedException {
    try {
      return (LogEvent[]) batch.get();
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      if (e.getCause() instanceof Error r) {
        throw r;
      }
      throw new IllegalStateException("parsing a batch of log lines failed", e.getCause());
    }
  }

  /** The reader thread: batches of lines to the parsers, their results in order into {@code queue}, then {@link #END} or the failure. */
  private static void readInto(List<Path> files, ExecutorService pool, ThreadLocal<LogLineParser> parsers,
      BlockingQueue<Object> queue) {
    try {
      String[][] batch = {new String[BATCH]};
      int[] n = {0};
      forEachLine(files, line -> {
        batch[0][n[0]++] = line;
        if (n[0] == BATCH) {
          put(queue, parse(pool, parsers, batch[0], BATCH));
          batch[0] = new String[BATCH];
          n[0] = 0;
        }
      });
      put(queue, parse(pool, parsers, batch[0], n[0]));
      put(queue, END);
    } catch (IOException | RuntimeException | Error e) {
      try {
        queue.put(e);
      } catch (InterruptedException stop) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private static Future<LogEvent[]> parse(ExecutorService pool, ThreadLocal<LogLineParser> parsers, String[] lines,
      int n) {
    return pool.submit(() -> {
      LogLineParser parser = parsers.get();
      LogEvent[] events = new LogEvent[n];
      for (int i = 0; i < n; i++) {
        events[i] = parser.parse(lines[i]);
      }
      return events;
    });
  }

  private static void put(BlockingQueue<Object> queue, Object o) throws InterruptedIOException {
    try {
      queue.put(o);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("reading stopped");
    }
  }

  private static long readLines(InputStream in, LineHandler handler) throws IOException {
    long[] lines = {0};
    lines(in, true, (line, end) -> {
      handler.line(line);
      lines[0]++;
    });
    return lines[0];
  }

  /**
   * Splits the bytes of {@code in} at '\n' (a '\r' before it is dropped) and passes each line with
   * the content offset after it: ASCII lines are copied as they are (the common case, no decoder),
   * others decoded as UTF-8. A last line without '\n' is passed only when {@code includePartial}
   * (a writer may be in the middle of it).
   *
   * @return the offset after the last line passed
   */
  public static long lines(InputStream in, boolean includePartial, PositionedLineHandler handler)
      throws IOException {
    byte[] buf = new byte[BUFFER];
    int start = 0;
    int scan = 0;
    int end = 0;
    int high = 0;
    long pos = 0;
    while (true) {
      int nl = -1;
      for (int i = scan; i < end; i++) {
        byte b = buf[i];
        if (b == '\n') {
          nl = i;
          break;
        }
        high |= b;
      }
      if (nl >= 0) {
        pos += nl + 1 - start;
        handler.line(line(buf, start, nl, high < 0), pos);
        start = nl + 1;
        scan = start;
        high = 0;
        continue;
      }
      if (start > 0) {
        System.arraycopy(buf, start, buf, 0, end - start);
        end -= start;
        start = 0;
      }
      if (end == buf.length) {
        buf = Arrays.copyOf(buf, buf.length * 2);   // a line longer than the buffer
      }
      scan = end;
      int n = in.read(buf, end, buf.length - end);
      if (n < 0) {
        if (includePartial && end > start) {
          pos += end - start;
          handler.line(line(buf, start, end, high < 0), pos);
        }
        return pos;
      }
      end += n;
    }
  }

  private static String line(byte[] buf, int start, int end, boolean nonAscii) {
    int e = end > start && buf[end - 1] == '\r' ? end - 1 : end;
    return new String(buf, start, e - start, nonAscii ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
  }

  /** The decompressed content of {@code f}: gzip is recognised by its magic bytes. */
  public static InputStream open(Path f) throws IOException {
    InputStream in = new BufferedInputStream(Files.newInputStream(f), BUFFER);
    try {
      in.mark(2);
      int b0 = in.read();
      int b1 = in.read();
      in.reset();
      if (b0 == 0x1f && b1 == 0x8b) {
        return new GZIPInputStream(in, BUFFER);
      }
      return in;
    } catch (IOException e) {
      in.close();
      throw e;
    }
  }
}
