package io.mailops.storage.queue.postfix;

import java.io.IOException;
import java.io.Writer;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A Postfix queue directory, read directly from its files; nothing is written. Listing reads
 * only the envelope of each file (the content is skipped with the size record's offset) and its
 * {@code defer/} logfile, like {@code showq}. Files that cannot be read become
 * {@link QueueProblem}s; a file that disappears while it is read (delivered) is left out.
 *
 * <p>Thread-safe: instances hold no mutable state.
 */
public final class PostfixQueue {

  /** Files whose owner bits are not rwx are not ready (being written): {@code mail_open_ok()}. */
  private static final int READY = 0700;
  /**
   * Each reader thread's buffer: most queue files fit, so the envelope and the extracted segment
   * after the content come from one read call.
   */
  private static final int BUFFER = 16384;
  /** Queue files a reader thread takes at a time from the shared list. */
  private static final int BATCH = 64;

  /** The listing order: queue as {@code postqueue -j} has them, then arrival, then ID. */
  private static final class ShowqOrder implements Comparator<QueuedMessage> {
    static final ShowqOrder INSTANCE = new ShowqOrder();
    static final Comparator<QueueProblem> BY_FILE = new Comparator<>() {
      @Override
      public int compare(QueueProblem a, QueueProblem b) {
        return a.file().toString().compareTo(b.file().toString());
      }
    };

    @Override
    public int compare(QueuedMessage a, QueuedMessage b) {
      int c = Integer.compare(a.queue().showqOrder(), b.queue().showqOrder());
      if (c == 0) {
        c = a.arrival().compareTo(b.arrival());
      }
      return c != 0 ? c : a.id().compareTo(b.id());
    }
  }

  private final Path dir;
  private final Clock clock;
  private final int threads;

  private PostfixQueue(Path dir, Clock clock, int threads) {
    this.dir = dir;
    this.clock = clock;
    this.threads = threads;
  }

  /**
   * The queue in {@code queueDirectory} (Postfix's {@code queue_directory}). No I/O happens here.
   *
   * @param clock the time a listing is taken at
   * @param threads how many threads read queue files (1 = the calling thread only)
   */
  public static PostfixQueue at(Path queueDirectory, Clock clock, int threads) {
    if (queueDirectory == null || clock == null || threads < 1) {
      throw new IllegalArgumentException("a Postfix queue needs a directory, a clock and at least one thread");
    }
    return new PostfixQueue(queueDirectory, clock, threads);
  }

  public Path directory() {
    return dir;
  }

  /**
   * Reads every message in {@code queues} (walking hashed subdirectories). Ready files only:
   * an {@code incoming} file still being written (mode 0600) is not listed, as in
   * {@code postqueue}.
   *
   * @throws QueueException if the queue directory is missing or not readable
   */
  public QueueListing list(Set<QueueName> queues) throws QueueException {
    checkQueueDirectory();
    List<Candidate> files = new ArrayList<>();
    List<Subdirectory> subdirs = new ArrayList<>();
    for (QueueName q : QueueName.values()) {
      if (queues.contains(q)) {
        walk(q, dir.resolve(q.dir()), 0, files, subdirs);
      }
    }
    List<QueuedMessage> messages = new ArrayList<>(files.size());
    List<QueueProblem> problems = new ArrayList<>();
    if (threads == 1 || subdirs.isEmpty() && files.size() < 64) {
      for (Subdirectory d : subdirs) {
        walk(d.queue(), d.dir(), 1, files, null);
      }
      byte[] buffer = new byte[BUFFER];
      for (Candidate c : files) {
        read(c, buffer, messages, problems);
      }
    } else {
      readInParallel(subdirs, files, messages, problems);
    }
    messages.sort(ShowqOrder.INSTANCE);
    problems.sort(ShowqOrder.BY_FILE);
    return new QueueListing(queues, messages, problems, clock.instant());
  }

  /**
   * Finds the message {@code id} in any queue (maildrop, active, incoming, deferred, hold,
   * corrupt). Its envelope and logfiles are read.
   *
   * @return empty if no queue holds it
   * @throws DamagedQueueFileException if its file is damaged
   */
  public Optional<QueuedMessage> find(QueueId id) throws IOException {
    Optional<QueuedMessageDetail> d = locate(id, false);
    return d.map(QueuedMessageDetail::message);
  }

  /**
   * Reads the message {@code id} with its header lines.
   *
   * @return empty if no queue holds it
   * @throws DamagedQueueFileException if its file is damaged
   */
  public Optional<QueuedMessageDetail> show(QueueId id) throws IOException {
    return locate(id, true);
  }

  /**
   * Writes the content of {@code message} (headers and body, lines ended by '\n', 8-bit text
   * decoded as UTF-8) to {@code out}. The caller closes {@code out}.
   */
  public void copyContent(QueuedMessage message, Writer out) throws IOException {
    try {
      QueueFileReader.copyContent(message.file(), Files.size(message.file()), out);
    } catch (NoSuchFileException e) {
      throw new QueueException("message " + message.id() + " left the " + message.queue()
          + " queue while it was read (delivered or removed); run 'mailops queue list' again");
    }
  }

  private Optional<QueuedMessageDetail> locate(QueueId id, boolean headers) throws IOException {
    checkQueueDirectory();
    String key = id.hashKey();
    for (QueueName q : List.of(QueueName.MAILDROP, QueueName.ACTIVE, QueueName.INCOMING,
        QueueName.DEFERRED, QueueName.HOLD, QueueName.CORRUPT)) {
      for (int depth : new int[] {0, 1, 2, 3}) {
        Path p = dir.resolve(q.dir());
        for (int i = 0; i < depth; i++) {
          p = p.resolve(i < key.length() ? key.substring(i, i + 1) : "_");
        }
        p = p.resolve(id.value());
        PosixFileAttributes a;
        try {
          a = Files.readAttributes(p, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException | NotDirectoryException e) {
          continue;
        } catch (AccessDeniedException e) {
          throw denied();
        }
        if (!a.isRegularFile()) {
          continue;
        }
        List<String> lines = new ArrayList<>();
        try {
          QueuedMessage m = QueueFileReader.read(dir, q, id, p, a, null, headers, lines);
          return Optional.of(new QueuedMessageDetail(m, lines));
        } catch (NoSuchFileException e) {
          return Optional.empty();
        }
      }
    }
    return Optional.empty();
  }

  /** A queue file found by the walk; its attributes are read by the thread that parses it. */
  private record Candidate(QueueName queue, QueueId id, Path file) {}

  /** A hashed subdirectory of a queue (deferred/A), listed by the reader thread that takes it. */
  private record Subdirectory(QueueName queue, Path dir) {}

  private void read(Candidate c, byte[] buffer, List<QueuedMessage> messages,
      List<QueueProblem> problems) {
    try {
      PosixFileAttributes a = Files.readAttributes(c.file(), PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
      if (!a.isRegularFile()
          || c.queue() != QueueName.CORRUPT && (QueueFileReader.mode(a.permissions()) & READY) != READY) {
        return;   // not a queue file, or not ready (being written): postqueue skips it too
      }
      messages.add(QueueFileReader.read(dir, c.queue(), c.id(), c.file(), a, buffer, false, null));
    } catch (DamagedQueueFileException e) {
      problems.add(QueueProblem.of(c.id().value(), e));
    } catch (NoSuchFileException e) {
      // delivered or moved to another queue while we read: not a problem
    } catch (AccessDeniedException e) {
      problems.add(new QueueProblem(c.id().value(), c.file(), -1, "permission denied; run as root or postfix"));
    } catch (IOException e) {
      problems.add(new QueueProblem(c.id().value(), c.file(), -1, "cannot read: " + e));
    }
  }

  /**
   * Reads the queue on {@link #threads} threads (the calling one included): each takes the next
   * hashed subdirectory, lists and reads it, then batches of {@value #BATCH} of the files found
   * at the top of the queues, from shared counters, so listing overlaps reading and a thread that
   * waits on the disk or the scheduler does not hold back a fixed share of the queue.
   */
  private void readInParallel(List<Subdirectory> subdirs, List<Candidate> files,
      List<QueuedMessage> messages, List<QueueProblem> problems) throws QueueException {
    AtomicInteger nextDir = new AtomicInteger();
    AtomicInteger nextFile = new AtomicInteger();
    Reader[] readers = new Reader[threads];
    Thread[] helpers = new Thread[threads - 1];
    for (int i = 0; i < readers.length; i++) {
      readers[i] = new Reader(subdirs, nextDir, files, nextFile);
    }
    for (int i = 0; i < helpers.length; i++) {
      helpers[i] = new Thread(readers[i + 1], "postfix-queue-reader");
      helpers[i].setDaemon(true);
      helpers[i].start();
    }
    readers[0].run();
    try {
      for (Thread t : helpers) {
        t.join();
      }
    } catch (InterruptedException e) {
      for (Thread t : helpers) {
        t.interrupt();
      }
      Thread.currentThread().interrupt();
      throw new QueueException("reading the Postfix queue " + dir + " was interrupted", e);
    }
    for (Reader r : readers) {
      if (r.failure instanceof QueueException q) {
        throw q;
      }
      if (r.failure != null) {
        throw new QueueException("reading the Postfix queue " + dir + " failed: " + r.failure, r.failure);
      }
    }
    for (Reader r : readers) {
      messages.addAll(r.messages);
      problems.addAll(r.problems);
    }
  }

  /** One reader thread's work: subdirectories, then batches of files, read into its own buffer. */
  private final class Reader implements Runnable {
    private final List<Subdirectory> subdirs;
    private final AtomicInteger nextDir;
    private final List<Candidate> files;
    private final AtomicInteger nextFile;
    final List<QueuedMessage> messages = new ArrayList<>();
    final List<QueueProblem> problems = new ArrayList<>();
    Exception failure;

    Reader(List<Subdirectory> subdirs, AtomicInteger nextDir, List<Candidate> files, AtomicInteger nextFile) {
      this.subdirs = subdirs;
      this.nextDir = nextDir;
      this.files = files;
      this.nextFile = nextFile;
    }

    @Override
    public void run() {
      byte[] buffer = new byte[BUFFER];
      List<Candidate> found = new ArrayList<>();
      try {
        for (int d = nextDir.getAndIncrement(); d < subdirs.size(); d = nextDir.getAndIncrement()) {
          Subdirectory sub = subdirs.get(d);
          found.clear();
          walk(sub.queue(), sub.dir(), 1, found, null);
          for (Candidate c : found) {
            read(c, buffer, messages, problems);
          }
        }
        for (int from = nextFile.getAndAdd(BATCH); from < files.size(); from = nextFile.getAndAdd(BATCH)) {
          for (int i = from, end = Math.min(files.size(), from + BATCH); i < end; i++) {
            read(files.get(i), buffer, messages, problems);
          }
        }
      } catch (QueueException | RuntimeException e) {
        failure = e;
      }
    }
  }

  /**
   * Collects the names that can be queue IDs under {@code d}, descending into one-character
   * subdirectories (hashed queues) as {@code mail_scan_dir_next()} does; with {@code subdirs},
   * the subdirectories of a queue directory are collected there instead (for the reader threads
   * to list). Symbolic links are not followed. Whether a name is a ready queue file is decided
   * when it is read.
   */
  private void walk(QueueName q, Path d, int depth, List<Candidate> out, List<Subdirectory> subdirs)
      throws QueueException {
    String[] names = d.toFile().list();
    if (names == null) {
      if (!Files.exists(d, LinkOption.NOFOLLOW_LINKS)) {
        return;   // a queue directory Postfix has not created (yet), or gone: empty
      }
      if (Files.isDirectory(d) && !Files.isReadable(d)) {
        throw denied();
      }
      throw new QueueException("cannot read the Postfix queue directory " + d
          + "; check that " + dir + " is Postfix's queue_directory");
    }
    for (String name : names) {
      if (!QueueId.valid(name)) {
        continue;
      }
      Path p = d.resolve(name);
      char c = name.charAt(0);
      if (name.length() == 1 && (c >= '0' && c <= '9' || c >= 'A' && c <= 'Z')) {
        if (depth < 8 && Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
          if (subdirs != null) {
            subdirs.add(new Subdirectory(q, p));
          } else {
            walk(q, p, depth + 1, out, null);
          }
          continue;
        }
      }
      out.add(new Candidate(q, new QueueId(name), p));
    }
  }

  private void checkQueueDirectory() throws QueueException {
    if (!Files.isDirectory(dir)) {
      throw new QueueException("no Postfix queue directory at " + dir
          + "; pass --queue-dir, or --config-dir of the instance (postconf -h queue_directory)");
    }
    if (!Files.isDirectory(dir.resolve("deferred")) && !Files.isDirectory(dir.resolve("incoming"))
        && !Files.isDirectory(dir.resolve("maildrop"))) {
      if (!Files.isReadable(dir) || !Files.isExecutable(dir)) {
        throw denied();
      }
      throw new QueueException(dir + " is not a Postfix queue directory (no deferred/, incoming/ or "
          + "maildrop/); pass --queue-dir, or --config-dir of the instance");
    }
  }

  private QueueException denied() {
    return new QueueException("cannot read the Postfix queue " + dir
        + ": permission denied; run as root or postfix");
  }
}
