package io.mailops.archiver;

import com.github.luben.zstd.ZstdCompressCtx;
import io.mailops.archiver.index.MessageDocument;
import io.mailops.archiver.mime.MimeSplitter;
import io.mailops.storage.FolderScan;
import io.mailops.storage.MailStore;
import io.mailops.storage.MessageGoneException;
import io.mailops.storage.Skip;
import io.mailops.storage.model.AccountId;
import io.mailops.storage.model.FolderPath;
import io.mailops.storage.model.MessageRef;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One {@link Archive#ingest} run, pipelined and committed in groups.
 *
 * <p>The calling thread scans the source and reads each message; a pool of workers (one per
 * processor) does the CPU work: SHA-256 and ids, the MIME split, zstd and AES-GCM of blobs not
 * stored yet, and parsing for the index. The calling thread takes the results back in source
 * order and decides what each message is (already ingested, duplicate, new), so chain order and
 * de-duplication are those of a sequential run. One writer thread writes the new blob files and
 * commits each group (below) while the calling thread goes on with the next group, so the
 * calling thread, which every message passes through, spends its time on the source and on the
 * bookkeeping only. One index thread adds each committed group's documents to the index (in
 * chain order, so the index is the one a sequential run makes) and commits it.
 *
 * <p>Durability, per group of up to {@link #GROUP_MESSAGES} messages or {@link #GROUP_BYTES}
 * bytes of new blobs, all on the writer thread, one group after the other: (1) the new blob
 * files are written (temporary file and rename, not forced); (2) they and their directories are
 * forced, in parallel; (3) the group's journal
 * entries are appended in one write and forced once: the journal is the commit point; (4) the
 * messages go to the index (on the index thread, one group at a time), committed every {@link
 * ArchiveOptions#indexBatch} messages and at the end. A crash before (3) completes leaves
 * blob files no journal entry refers to, possibly torn by a power loss, so a blob file is
 * rewritten unless it is known whole ({@link Current#wholeBlobs}); what the index misses is
 * re-added when the archive is opened. The run stops at the first error; the messages read
 * before a failing source message are still stored. Used by one thread.
 */
final class Ingester {

  /** At most this many messages per group commit. */
  static final int GROUP_MESSAGES = 1000;
  /** At most about this many bytes of new blob files per group commit. */
  static final long GROUP_BYTES = 64L << 20;
  private static final int WINDOW_MESSAGES = 64;
  private static final long WINDOW_BYTES = 64L << 20;
  private static final int FORCE_THREADS = 16;
  /** Messages read at once when the source allows reads on several threads. */
  private static final int READ_THREADS = 4;
  /**
   * Groups handed to the writer thread and not yet known committed, at most: the calling thread
   * goes on while a slow {@code fsync} (a disk shared with other work) holds one group up.
   */
  private static final int COMMITS_PENDING = 2;

  private final Current current;
  private final Keys keys;
  private final ArchiveOptions options;
  private final Counts n = new Counts();
  private final Deque<InFlight> window = new ArrayDeque<>();
  private final Group group = new Group();
  private long windowBytes;
  private int unindexed;
  private boolean stopped;
  private ExecutorService forcing;
  private ExecutorService writing;
  private ExecutorService indexing;
  /** The writer thread's commits of the groups handed to it and not awaited yet, oldest first. */
  private final Deque<Future<Void>> commits = new ArrayDeque<>();
  /**
   * The index thread's work on the last committed group (adds, and a commit every batch); set by
   * the writer thread, read by the calling thread once the writer thread is done.
   */
  private volatile Future<Void> indexed = CompletableFuture.completedFuture(null);
  /** The first blob write that failed; written and read on the writer thread only. */
  private Exception writeFailure;
  /** One zstd context per worker thread (a context and its work space per blob cost more). */
  private final ThreadLocal<ZstdCompressCtx> compressor;
  private final ConcurrentLinkedQueue<ZstdCompressCtx> compressors =
      new ConcurrentLinkedQueue<>();

  Ingester(Current current, Keys keys, ArchiveOptions options) {
    this.current = current;
    this.keys = keys;
    this.options = options;
    this.compressor = ThreadLocal.withInitial(() -> {
      ZstdCompressCtx c = BlobStore.compressor();
      compressors.add(c);
      return c;
    });
  }

  IngestResult ingest(MailStore source, String sourceName, IngestListener progress)
      throws IOException {
    int cpus = Math.max(1, Runtime.getRuntime().availableProcessors());
    ClassLoader loader = new ServiceLookupLoader(Ingester.class.getClassLoader());
    ExecutorService workers = Executors.newFixedThreadPool(cpus, daemons("mailops-ingest-",
        loader));
    forcing = Executors.newFixedThreadPool(FORCE_THREADS, daemons("mailops-force-", loader));
    writing = Executors.newSingleThreadExecutor(daemons("mailops-write-", loader));
    ExecutorService readers = source.concurrentReads()
        ? Executors.newFixedThreadPool(READ_THREADS, daemons("mailops-read-", loader)) : null;
    indexing = Executors.newSingleThreadExecutor(daemons("mailops-index-", loader));
    Exception failure = null;
    try {
      try {
        read(source, sourceName, progress, workers, readers);
      } catch (IOException | RuntimeException e) {
        failure = e;
      }
      if (!stopped) {
        try {
          while (!window.isEmpty()) {
            accept(window.poll(), progress);
          }
        } catch (IOException | RuntimeException e) {
          // a message read ahead failed: the ones before it are committed below
          if (failure == null) {
            failure = e;
          } else {
            failure.addSuppressed(e);
          }
        }
      }
      if (!stopped) {
        try {
          flush();
          awaitCommit();
          awaitIndex();
          if (unindexed > 0) {
            current.commitIndex();
          }
        } catch (IOException | RuntimeException e) {
          if (failure == null) {
            failure = e;
          } else {
            failure.addSuppressed(e);
          }
        }
      }
    } finally {
      if (readers != null) {
        readers.shutdownNow();
        awaitTermination(readers);   // no read of the source after the ingest returns
      }
      workers.shutdownNow();
      // nothing is written after the ingest returns: the writer thread ends what was handed to it
      // (after a failed write or commit, the blob writes and commits left are skipped, so no
      // later group reaches the journal), then the first failure of its commits is reported
      writing.shutdown();
      boolean written = awaitTermination(writing);
      try {
        awaitCommit();
      } catch (IOException | RuntimeException e) {
        if (failure == null) {
          failure = e;
        } else if (failure != e) {
          failure.addSuppressed(e);
        }
      }
      forcing.shutdownNow();
      indexing.shutdown();
      try {
        awaitIndex();   // the index is not closed under the index thread's feet
      } catch (IOException | RuntimeException e) {
        if (failure == null) {
          failure = e;
        } else if (failure != e) {
          failure.addSuppressed(e);
        }
      }
      if (awaitTermination(workers) && written) {
        compressors.forEach(ZstdCompressCtx::close);
      }
    }
    if (failure instanceof IOException e) {
      throw e;
    }
    if (failure instanceof RuntimeException e) {
      throw e;
    }
    return new IngestResult(n.stored, n.duplicates, n.already, n.blobs, n.discarded, n.skipped);
  }

  private void read(MailStore source, String sourceName, IngestListener progress,
      ExecutorService workers, ExecutorService readers) throws IOException {
    for (AccountId account : source.accounts()) {
      for (FolderPath folder : source.folders(account)) {
        FolderScan scan = source.scan(account, folder);
        for (Skip skip : scan.skipped()) {
          String where = sourceName + "/" + account + "/" + folder + "/" + skip.subject();
          n.skipped.add(where + ": " + skip.reason());
          progress.skipped(where, skip.reason());
        }
        for (MessageRef m : scan.messages()) {
          if (group.entries.isEmpty() && progress.stopRequested()) {
            return; // a group-commit boundary: ingest() commits the messages under way
          }
          String loc = sourceName + "/" + account + "/" + folder + "/" + m.key();
          if (current.locations.containsKey(loc)) {
            n.already++;
            progress.message(loc, IngestResult.Outcome.ALREADY_INGESTED);
            continue;
          }
          Instant now = options.clock().instant();
          long bytes;
          Future<Prepared> prepared;
          if (readers != null) {
            // read ahead on the readers (a message from disk no longer holds up this thread,
            // and several are read at once), prepared on the workers as soon as it is read
            bytes = m.size();
            prepared = CompletableFuture.supplyAsync(() -> readAhead(source, account, m), readers)
                .thenApplyAsync(raw -> prepareAhead(loc, raw, now), workers);
          } else {
            byte[] raw;
            try (InputStream in = source.open(account, m)) {
              raw = in.readAllBytes();
            } catch (MessageGoneException e) {
              n.skipped.add(loc + ": " + e.getMessage());
              progress.skipped(loc, e.getMessage());
              continue;
            }
            bytes = raw.length;
            prepared = workers.submit(() -> prepare(loc, raw, now));
          }
          window.add(new InFlight(loc, bytes, prepared));
          windowBytes += bytes;
          while (window.size() > WINDOW_MESSAGES || windowBytes > WINDOW_BYTES) {
            accept(window.poll(), progress);
          }
        }
      }
    }
  }

  private static final class Counts {
    int stored;
    int duplicates;
    int already;
    int blobs;
    int discarded;
    final List<String> skipped = new ArrayList<>();
  }

  /** A message handed to the workers (and first to the readers when they read ahead). */
  private record InFlight(String loc, long bytes, Future<Prepared> result) {}

  /** The failure of a read ahead, carried through its future. */
  private static final class ReadFailure extends RuntimeException {
    private static final long serialVersionUID = 1L;
    final IOException failure;

    ReadFailure(IOException failure) {
      super(failure);
      this.failure = failure;
    }
  }

  /** Reads a message ahead; runs on a reader. */
  private static byte[] readAhead(MailStore source, AccountId account, MessageRef m) {
    try (InputStream in = source.open(account, m)) {
      return in.readAllBytes();
    } catch (IOException e) {
      throw new ReadFailure(e);
    }
  }

  /** {@link #prepare} for a message read ahead; runs on a worker. */
  private Prepared prepareAhead(String loc, byte[] raw, Instant now) {
    try {
      return prepare(loc, raw, now);
    } catch (IOException e) {
      throw new CompletionException(e);
    }
  }

  /**
   * A blob of a prepared message: its id and its sealed file, or null when the blob was already
   * whole on disk (whole blobs stay whole during an ingest).
   */
  private record Blob(String id, byte[] sealed) {}

  /**
   * The worker's part of one message; {@code doc} is null (and nothing else was done) when the
   * message id was already known.
   */
  private record Prepared(String loc, Instant now, String id, String digest, long size,
      String skeleton, List<MessageRecord.Part> parts, List<MessageRecord.Stub> stubs,
      String storedDigest, List<Blob> blobs, MessageDocument doc) {}

  /** What the next {@link #flush} commits. */
  private static final class Group {
    final List<JournalEntry> entries = new ArrayList<>();
    final Set<Path> files = new LinkedHashSet<>();
    final List<MessageDocument> docs = new ArrayList<>();
    long bytes;

    void clear() {
      entries.clear();
      files.clear();
      docs.clear();
      bytes = 0;
    }
  }

  /** The CPU work for one message; runs on a worker. */
  private Prepared prepare(String loc, byte[] raw, Instant now) throws IOException {
    String digest = Digests.sha256Hex(raw);
    String id = keys.messageId(digest);
    if (current.knownIds.contains(id)) {
      return new Prepared(loc, now, id, digest, raw.length, null, List.of(), List.of(), null,
          List.of(), null);
    }
    ByteArrayOutputStream skeleton = new ByteArrayOutputStream(raw.length);
    List<MessageRecord.Part> parts = new ArrayList<>();
    List<MessageRecord.Stub> stubs = new ArrayList<>();
    List<Blob> blobs = new ArrayList<>();
    Map<String, byte[]> contents = new HashMap<>();
    int pos = 0;
    List<MimeSplitter.Attachment> attachments = MimeSplitter.attachments(raw);
    for (MimeSplitter.Attachment a : attachments) {
      skeleton.write(raw, pos, a.start() - pos);
      byte[] body = Arrays.copyOfRange(raw, a.start(), a.end());
      if (options.discard().discards(body.length)) {
        MessageRecord.Stub stub = new MessageRecord.Stub(a.name(), a.type(), body.length,
            Digests.sha256Hex(body));
        stubs.add(stub);
        skeleton.writeBytes(stubText(stub, a.encoding()));
      } else {
        String blob = keys.blobId(body);
        blobs.add(blob(blob, body));
        contents.put(blob, body);
        parts.add(new MessageRecord.Part(skeleton.size(), blob, body.length));
      }
      pos = a.end();
    }
    skeleton.write(raw, pos, raw.length - pos);
    byte[] sk = skeleton.toByteArray();
    String skeletonId = keys.blobId(sk);
    blobs.add(blob(skeletonId, sk));
    contents.put(skeletonId, sk);
    MessageDocument doc = options.parser().parse(id, raw, attachments, loc, now);
    String storedDigest = stubs.isEmpty() ? digest
        : Digests.sha256Hex(Current.assemble(new MessageRecord(id, 0, digest, raw.length,
            doc.date(), now, loc, skeletonId, parts, stubs, "", "", ""), contents::get));
    return new Prepared(loc, now, id, digest, raw.length, skeletonId, parts, stubs, storedDigest,
        blobs, doc);
  }

  private Blob blob(String id, byte[] content) {
    return new Blob(id, current.wholeBlobs.contains(id) ? null
        : current.blobs.seal(id, content, compressor.get()));
  }

  /** Takes a worker's result in source order and adds the message to the group. */
  private void accept(InFlight f, IngestListener progress) throws IOException {
    windowBytes -= f.bytes();
    Prepared p;
    try {
      p = f.result().get();
    } catch (InterruptedException e) {
      stopped = true;
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("archive ingest interrupted; run it again to go on");
    } catch (ExecutionException e) {
      if (e.getCause() instanceof ReadFailure r) {
        if (r.failure instanceof MessageGoneException gone) {
          n.skipped.add(f.loc() + ": " + gone.getMessage());
          progress.skipped(f.loc(), gone.getMessage());
          return;
        }
        // as if the source had failed here: the messages read after it are dropped (a re-run
        // reads them), the ones before are committed by ingest()
        window.forEach(later -> later.result().cancel(false));
        window.clear();
        windowBytes = 0;
        throw r.failure;
      }
      throw stop(e);
    }
    try {
      if (current.knownIds.contains(p.id())) {
        group.entries.add(JournalEntry.location(p.loc(), p.id()));
        current.locations.put(p.loc(), p.id());
        n.duplicates++;
        progress.message(p.loc(), IngestResult.Outcome.DUPLICATE);
      } else {
        store(p);
        progress.message(p.loc(), IngestResult.Outcome.STORED);
      }
    } catch (RuntimeException e) {
      stopped = true;
      throw e;
    }
    if (group.entries.size() >= GROUP_MESSAGES || group.bytes >= GROUP_BYTES) {
      flush();
    }
  }

  private void store(Prepared p) {
    for (Blob b : p.blobs()) {
      if (b.sealed() != null && !current.wholeBlobs.contains(b.id())) {
        group.files.add(current.blobs.file(b.id()));
        writing.execute(() -> write(b));
        current.wholeBlobs.add(b.id());
        group.bytes += b.sealed().length;
        n.blobs++;
      }
    }
    long seq = current.lastSeq + 1;
    String prev = current.lastHash;
    MessageRecord r = new MessageRecord(p.id(), seq, p.digest(), p.size(), p.doc().date(),
        p.now(), p.loc(), p.skeleton(), p.parts(), p.stubs(), p.storedDigest(), prev,
        Digests.chain(seq, p.id(), p.digest(), prev));
    group.entries.add(JournalEntry.message(r, p.loc()));
    group.docs.add(p.doc());
    current.records.put(p.id(), r);
    current.locations.put(p.loc(), p.id());
    current.knownIds.add(p.id());
    current.lastSeq = seq;
    current.lastHash = r.hash();
    n.stored++;
    n.discarded += p.stubs().size();
  }

  /** Writes a new blob file; runs on the writer thread, before the commit of its group. */
  private void write(Blob b) {
    if (writeFailure != null) {
      return;   // the group's commit fails with the first failure
    }
    try {
      current.blobs.write(b.id(), b.sealed());
    } catch (IOException | RuntimeException e) {
      writeFailure = e;
    }
  }

  /**
   * Hands the group to the writer thread, which commits it after its blob files are written:
   * forces them and their directories, then appends and forces its journal entries, then hands
   * its messages to the index. Waits first while {@link #COMMITS_PENDING} groups are not known
   * committed. A failure leaves the current database unusable for writing until it is opened
   * again (which recovers).
   */
  private void flush() throws IOException {
    if (group.entries.isEmpty()) {
      return;
    }
    List<JournalEntry> entries = List.copyOf(group.entries);
    List<Path> files = List.copyOf(group.files);
    List<MessageDocument> docs = List.copyOf(group.docs);
    group.clear();
    unindexed += docs.size();
    boolean commit = unindexed >= options.indexBatch();
    if (commit) {
      unindexed = 0;
    }
    long seq = current.lastSeq;
    String hash = current.lastHash;
    while (commits.size() >= COMMITS_PENDING) {
      awaitCommit(commits.poll());
    }
    commits.add(writing.submit(() -> {
      commit(entries, files, docs, commit, seq, hash);
      return null;
    }));
  }

  /** One group's commit; runs on the writer thread. */
  private void commit(List<JournalEntry> entries, List<Path> files, List<MessageDocument> docs,
      boolean commitIndex, long seq, String hash) throws Exception {
    try {
      if (writeFailure != null) {
        throw writeFailure;
      }
      forceAll(files);
      Set<Path> dirs = new LinkedHashSet<>();
      files.forEach(f -> dirs.add(f.getParent()));
      if (!dirs.isEmpty()) {
        dirs.add(current.dir.resolve("blobs"));
      }
      forceAll(dirs);
      current.journal.append(entries);
    } catch (Exception e) {
      current.damage = "an ingest could not commit its last group of messages ("
          + e.getMessage() + "); open the archive again, which recovers";
      if (writeFailure == null) {
        writeFailure = e;   // no blob is written after a failed commit
      }
      throw e;
    }
    awaitIndex();
    indexed = indexing.submit(() -> {
      for (MessageDocument d : docs) {
        current.index.add(d);
      }
      if (commitIndex) {
        current.commitIndex(seq, hash);
      }
      return null;
    });
  }

  /** Waits until the writer thread has committed every group handed to it. */
  private void awaitCommit() throws IOException {
    while (!commits.isEmpty()) {
      awaitCommit(commits.poll());
    }
  }

  private void awaitCommit(Future<Void> f) throws IOException {
    try {
      f.get();
    } catch (InterruptedException e) {
      stopped = true;
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("archive ingest interrupted; run it again to go on");
    } catch (ExecutionException e) {
      throw stop(e);
    }
  }

  /** Waits for a pool that was shut down to end; whether it did (it is given a minute). */
  private static boolean awaitTermination(ExecutorService pool) {
    boolean interrupted = false;
    try {
      while (true) {
        try {
          return pool.awaitTermination(1, TimeUnit.MINUTES);
        } catch (InterruptedException e) {
          interrupted = true;
        }
      }
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /**
   * Stops the ingest after a worker or the index thread failed: throws the failure itself when it
   * is an {@link IOException} or a {@link RuntimeException}, else returns it wrapped for the caller
   * to throw.
   */
  private IllegalStateException stop(ExecutionException e) throws IOException {
    stopped = true;
    if (e.getCause() instanceof IOException io) {
      throw io;
    }
    if (e.getCause() instanceof RuntimeException re) {
      throw re;
    }
    return new IllegalStateException(e.getCause());
  }

  /**
   * Waits until the index thread is done with the last group handed to it; its failure is thrown
   * here (the journal already holds those messages: the archive re-indexes them when opened).
   */
  private void awaitIndex() throws IOException {
    Future<Void> f = indexed;
    indexed = CompletableFuture.completedFuture(null);
    boolean interrupted = false;
    try {
      while (true) {
        try {
          f.get();
          return;
        } catch (InterruptedException e) {
          interrupted = true;   // the index thread finishes its group either way
        } catch (ExecutionException e) {
          throw stop(e);
        }
      }
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** Forces every path, in parallel (the file system can then commit them together). */
  private void forceAll(Collection<Path> paths) throws IOException {
    List<Future<Void>> done = new ArrayList<>(paths.size());
    for (Path p : paths) {
      done.add(forcing.submit(() -> {
        BlobStore.force(p);
        return null;
      }));
    }
    IOException first = null;
    for (Future<Void> f : done) {
      try {
        f.get();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new InterruptedIOException("archive ingest interrupted while forcing blobs to"
            + " disk; run it again to go on");
      } catch (ExecutionException e) {
        if (first == null) {
          first = e.getCause() instanceof IOException io ? io
              : new IOException("cannot force " + paths.size() + " blob files to disk ("
                  + e.getCause() + ")", e.getCause());
        }
      }
    }
    if (first != null) {
      throw first;
    }
  }

  private static ThreadFactory daemons(String prefix, ClassLoader loader) {
    AtomicInteger count = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, prefix + count.incrementAndGet());
      t.setDaemon(true);
      t.setContextClassLoader(loader);
      return t;
    };
  }

  private static byte[] stubText(MessageRecord.Stub s, String encoding) {
    String text = "[attachment discarded by the mail archive: name=" + s.name() + " type="
        + s.type() + " size=" + s.size() + " sha256=" + s.sha256() + "]";
    if (encoding.equals("base64")) {
      return Base64.getMimeEncoder().encode(text.getBytes(StandardCharsets.UTF_8));
    }
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
