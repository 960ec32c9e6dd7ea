package io.mailops.backup.ftp;

import io.mailops.backup.BackupException;
import io.mailops.backup.BackupTarget;
import io.mailops.storage.MailStoreException;
import io.mailops.storage.PathGuard;
import java.io.ByteArrayInputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.apache.commons.net.ftp.FTPClient;
import org.apache.commons.net.ftp.FTPFile;
import org.apache.commons.net.ftp.FTPReply;

/**
 * A {@link BackupTarget} on an FTP or explicit-FTPS server (Apache Commons Net), passive and
 * binary. Uploads go to {@code NAME.part}, are checked with {@code SIZE} and renamed; a broken
 * connection is retried ({@link FtpSettings#attempts()} tries, doubling backoff) and an upload
 * resumes with {@code REST} when the server offers it, else the file is sent again. A permanent
 * refusal (5xx) fails at once with an {@link FtpRefusedException} naming the remote file and the
 * server's reply. Every name, given or listed, passes {@link PathGuard}.
 *
 * <p>FTPS: data connections resume the control connection's TLS session
 * ({@link SessionReusingFtpsClient}, Bouncy Castle JSSE; plain Commons Net cannot, NET-408), so a
 * vsftpd with its default {@code require_ssl_reuse=YES} accepts them; TLS 1.3 uploads to vsftpd
 * fail intermittently with 426, hence {@code TLSv1.2} by default.
 *
 * <p>Safe for concurrent use: up to {@value #MAX_IDLE} idle connections are kept for reuse
 * (one per thread that uses the target at the same time), others are opened as needed. A stream
 * from {@link #open} holds its own connection until the caller closes it. {@link #close} drops the
 * idle connections.
 */
public final class FtpTarget implements BackupTarget, Closeable {

  /** Supplies the password on each login; the caller's array is wiped after use. */
  @FunctionalInterface
  public interface Password {
    /** A fresh copy of the password. */
    char[] get() throws IOException;
  }

  private static final Path GUARD_ROOT = Path.of("/");
  private static final Duration MAX_BACKOFF = Duration.ofMinutes(1);
  /** Idle connections kept for reuse. */
  static final int MAX_IDLE = 4;
  /** An idle connection used this recently is taken without a NOOP round trip first. */
  private static final long FRESH_NANOS = Duration.ofSeconds(5).toNanos();
  private static final String DELETE_HINT =
      "check the user's delete permission on the server, or remove it by hand";

  private final FtpSettings settings;
  private final FtpConnector connector;
  private final Set<String> madeDirs = new HashSet<>();
  /** Cleared when the server answers MLSD with "not implemented" (vsftpd 3.0.3): NLST from then on. */
  private volatile boolean mlsd = true;
  /** Idle connections, the most recently used first, with when they were handed back. */
  private final ArrayDeque<Idle> idle = new ArrayDeque<>();

  private record Idle(FTPClient client, long since) {}

  /** A connection being opened ahead of the first operation ({@link #connectAhead}), or null. */
  private CompletableFuture<FTPClient> ahead;

  /**
   * A target for {@code settings}; connects on first use.
   *
   * @throws BackupException if the CA file cannot be read
   */
  public FtpTarget(FtpSettings settings, Password password) throws BackupException {
    this(settings, new FtpConnector(settings, password));
  }

  /** A target connecting through {@code connector} (tests choose its TLS suites). */
  FtpTarget(FtpSettings settings, FtpConnector connector) {
    this.settings = settings;
    this.connector = connector;
  }

  /**
   * Starts opening a connection (TLS set-up and handshake, login) on a thread of its own, so that
   * the caller's start-up work runs meanwhile; the next operation that needs a connection waits
   * for it and takes it. Its failure is that operation's, as if it had connected itself (a
   * refusal fails at once, a broken connection is retried). Does nothing if a connection is open
   * or already being opened.
   */
  public void connectAhead() {
    CompletableFuture<FTPClient> f = new CompletableFuture<>();
    synchronized (idle) {
      if (ahead != null || !idle.isEmpty()) {
        return;
      }
      ahead = f;
    }
    Thread t = new Thread(() -> {
      try {
        f.complete(connector.connect());
      } catch (Throwable e) {
        f.completeExceptionally(e);
      }
    }, "ftp-connect-ahead");
    t.setDaemon(true);
    t.start();
  }

  /** The connection opened ahead, waited for; null if none was started. */
  private FTPClient takeAhead() throws IOException {
    CompletableFuture<FTPClient> f;
    synchronized (idle) {
      f = ahead;
      ahead = null;
    }
    if (f == null) {
      return null;
    }
    try {
      return f.get();
    } catch (InterruptedException e) {
      f.thenAccept(FtpConnector::close);
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while connecting to " + settings);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof IOException io) {
        throw io;
      }
      if (cause instanceof RuntimeException r) {
        throw r;
      }
      throw new IOException("connection to " + settings + " failed: " + cause, cause);
    }
  }

  @Override
  public void put(String name, Path source) throws IOException {
    String dest = remote(name);
    String part = dest + ".part";
    long want = Files.size(source);
    boolean[] started = {false};
    retry("upload of " + dest, false, (c, attempt) -> {
      upload(c, source, dest, part, want, started);
      return null;
    });
  }

  /**
   * {@code STOR} straight to {@code name}: one data connection and no {@code SIZE}, {@code RNFR}
   * or {@code RNTO}; the {@code 226} reply to {@code STOR} says the server has every byte. A retry
   * after a broken connection checks the size and resumes with {@code REST} like {@link #put}.
   */
  @Override
  public void write(String name, Path source) throws IOException {
    write(name, () -> Files.newInputStream(source), Files.size(source));
  }

  /** As {@link #write(String, Path)}, from bytes in memory. */
  @Override
  public void write(String name, byte[] bytes, int length) throws IOException {
    write(name, () -> new ByteArrayInputStream(bytes, 0, length), length);
  }

  private void write(String name, Source source, long want) throws IOException {
    String dest = remote(name);
    boolean[] started = {false};
    retry("upload of " + dest, false, (c, attempt) -> {
      mkdirs(c, dest);
      store(c, source, dest, want, started);
      if (attempt > 1) {
        long got = size(c, dest).orElse(-1);
        if (got != want) {
          throw new IOException("upload of " + dest + " is incomplete (" + got + " of " + want
              + " bytes)");
        }
      }
      return null;
    });
  }

  /** Opens the bytes of an upload (again for each attempt). */
  private interface Source {
    InputStream open() throws IOException;
  }

  private void upload(FTPClient c, Path source, String dest, String part, long want,
      boolean[] started) throws IOException {
    mkdirs(c, dest);
    store(c, source, part, want, started);
    long got = size(c, part).orElse(-1);
    if (got != want) {
      throw new IOException("upload of " + part + " is incomplete (" + got + " of " + want
          + " bytes)");
    }
    if (!c.rename(part, dest)) {
      c.deleteFile(dest);
      if (!c.rename(part, dest)) {
        throw failure(c, "rename of " + part + " to " + dest);
      }
    }
  }

  /**
   * {@code STOR source} as {@code remote}; once an earlier attempt of the same upload has
   * {@code started} a {@code STOR}, from what is already there ({@code REST}). Before that the
   * file there may be left from another run and is replaced.
   */
  private void store(FTPClient c, Path source, String remote, long want, boolean[] started)
      throws IOException {
    store(c, () -> Files.newInputStream(source), remote, want, started);
  }

  private void store(FTPClient c, Source source, String remote, long want, boolean[] started)
      throws IOException {
    long offset = 0;
    if (started[0] && c.hasFeature("REST")) {
      OptionalLong have = size(c, remote);
      if (have.isPresent() && have.getAsLong() <= want) {
        offset = have.getAsLong();
      }
    }
    try (InputStream in = source.open()) {
      in.skipNBytes(offset);
      if (offset > 0) {
        c.setRestartOffset(offset);
      }
      started[0] = true;
      if (!c.storeFile(remote, in)) {
        throw failure(c, "upload of " + remote);
      }
    }
  }

  private void mkdirs(FTPClient c, String file) throws IOException {
    int slash = file.lastIndexOf('/');
    if (slash <= 0) {
      return;
    }
    String dir = file.substring(0, slash);
    StringBuilder p = new StringBuilder(dir.startsWith("/") ? "/" : "");
    for (String seg : dir.split("/")) {
      if (seg.isEmpty()) {
        continue;
      }
      p.append(p.length() == 0 || p.charAt(p.length() - 1) == '/' ? "" : "/").append(seg);
      String d = p.toString();
      synchronized (madeDirs) {
        if (madeDirs.contains(d)) {
          continue;
        }
      }
      c.makeDirectory(d); // refused when it exists; a real refusal shows at STOR
      synchronized (madeDirs) {
        madeDirs.add(d);
      }
    }
  }

  @Override
  public InputStream open(String name, long offset, long length) throws IOException {
    String path = remote(name);
    if (offset < 0) {
      throw new IllegalArgumentException("offset " + offset + " of " + path + " is negative");
    }
    if (length == 0) {
      return InputStream.nullInputStream();
    }
    return retry("download of " + path, true, (c, attempt) -> {
      if (offset > 0) {
        c.setRestartOffset(offset);
      }
      InputStream in = c.retrieveFileStream(path);
      if (in == null) {
        if (c.getReplyCode() == FTPReply.FILE_UNAVAILABLE) {
          throw new BackupException("backup file " + path + " on " + settings + " is missing ("
              + FtpConnector.reply(c) + "); run 'backup verify' on its set");
        }
        throw failure(c, "download of " + path);
      }
      return new FtpRangeStream(in, length, c, this::release);
    });
  }

  @Override
  public List<String> list(String dir) throws IOException {
    String path = dir.isEmpty() ? settings.basePath() : remote(dir);
    List<String> raw = retry("listing of " + (path.isEmpty() ? "the login directory" : path),
        false, (c, attempt) -> {
          List<String> names = new ArrayList<>();
          FTPFile[] files = null;
          int code = 0;
          if (mlsd) {
            files = path.isEmpty() ? c.mlistDir() : c.mlistDir(path);
            code = c.getReplyCode();
            if (code == FTPReply.FILE_UNAVAILABLE) {
              return names;
            }
            mlsd = !unsupported(code);
          }
          if (!mlsd) {
            String[] nl = path.isEmpty() ? c.listNames() : c.listNames(path);
            for (String n : nl == null ? new String[0] : nl) {
              names.add(n.substring(n.lastIndexOf('/') + 1));
            }
            return names;
          }
          if (!FTPReply.isPositiveCompletion(code)) {
            throw failure(c, "listing of " + path);
          }
          for (FTPFile f : files) {
            if (f != null) {
              names.add(f.getName());
            }
          }
          return names;
        });
    List<String> out = new ArrayList<>();
    for (String n : raw) {
      if (n.equals(".") || n.equals("..") || n.endsWith(".part")) {
        continue;
      }
      String what = "listing of " + (dir.isEmpty() ? "the top level" : dir) + " on " + settings;
      if (n.indexOf('/') >= 0) {
        throw new BackupException(what + ": unsafe name '" + n
            + "' (it holds a '/'); check the server's MLSD output");
      }
      PathGuard.resolveInside(GUARD_ROOT, dir.isEmpty() ? n : dir + "/" + n, what);
      out.add(n);
    }
    Collections.sort(out);
    return out;
  }

  @Override
  public OptionalLong size(String name) throws IOException {
    String path = remote(name);
    return retry("size of " + path, false, (c, attempt) -> size(c, path));
  }

  private OptionalLong size(FTPClient c, String path) throws IOException {
    String s = c.getSize(path);
    int code = c.getReplyCode();
    if (s == null && unsupported(code)) {
      FTPFile f = c.mlistFile(path);
      return f == null || !f.isFile() ? OptionalLong.empty() : OptionalLong.of(f.getSize());
    }
    if (s == null) {
      if (code == FTPReply.FILE_UNAVAILABLE) {
        return OptionalLong.empty();
      }
      throw failure(c, "size of " + path);
    }
    try {
      return OptionalLong.of(Long.parseLong(s.strip()));
    } catch (NumberFormatException e) {
      throw new FtpRefusedException("FTP server " + settings + " gave size '" + s + "' for "
          + path + "; it is not a number, check the server's SIZE support");
    }
  }

  /**
   * {@inheritDoc}
   *
   * <p>Tries {@code DELE}; if that fails and {@code name} is no file, lists it (MLSD, or NLST
   * on servers without it), removes its entries the same way and then the directory with
   * {@code RMD}. A broken connection restarts the whole delete (it is idempotent).
   */
  @Override
  public void delete(String name) throws IOException {
    String path = remote(name);
    try {
      retry("deletion of " + path, false, (c, attempt) -> {
        deleteTree(c, path, null);
        return null;
      });
    } finally {
      synchronized (madeDirs) {
        madeDirs.removeIf(d -> d.equals(path) || d.startsWith(path + "/"));
      }
    }
  }

  /** Deletes {@code path}; {@code dir} says whether it is a directory, null when unknown. */
  private void deleteTree(FTPClient c, String path, Boolean dir) throws IOException {
    if (!Boolean.TRUE.equals(dir)) {
      if (c.deleteFile(path)) {
        return;
      }
      IOException refused = failure(c, "deletion of " + path, DELETE_HINT);
      if (Boolean.FALSE.equals(dir) || size(c, path).isPresent()) {
        throw refused;
      }
    }
    for (Entry e : entries(c, path)) {
      deleteTree(c, path + "/" + e.name(), e.dir());
    }
    if (c.removeDirectory(path)) {
      return;
    }
    IOException refused = failure(c, "deletion of directory " + path, DELETE_HINT);
    if (exists(c, path)) {
      throw refused;
    }
  }

  /** An entry of a remote directory; {@code dir} is null when NLST cannot tell. */
  private record Entry(String name, Boolean dir) {}

  /** The entries of {@code path}, {@code *.part} files included; empty if it is no directory. */
  private List<Entry> entries(FTPClient c, String path) throws IOException {
    List<Entry> out = new ArrayList<>();
    String what = "listing of " + path + " on " + settings + " for a delete";
    if (mlsd) {
      FTPFile[] files = c.mlistDir(path);
      int code = c.getReplyCode();
      mlsd = !unsupported(code);
      if (mlsd) {
        if (!FTPReply.isPositiveCompletion(code)) {
          return out;
        }
        for (FTPFile f : files) {
          String raw = f == null || f.getRawListing() == null ? ""
              : f.getRawListing().toLowerCase(Locale.ROOT);
          if (f == null || raw.contains("type=cdir;") || raw.contains("type=pdir;")) {
            continue;
          }
          out.add(new Entry(checked(f.getName(), what), f.isDirectory()));
        }
        out.removeIf(e -> e.name() == null);
        return out;
      }
    }
    String[] names = c.listNames(path);
    for (String n : names == null ? new String[0] : names) {
      out.add(new Entry(checked(n.substring(n.lastIndexOf('/') + 1), what), null));
    }
    out.removeIf(e -> e.name() == null);
    return out;
  }

  /** {@code name} if it is a safe entry name, null for {@code .} and {@code ..}. */
  private static String checked(String name, String what) throws IOException {
    if (name == null || name.isEmpty() || name.equals(".") || name.equals("..")) {
      return null;
    }
    if (name.indexOf('/') >= 0) {
      throw new BackupException(what + ": unsafe name '" + name
          + "' (it holds a '/'); check the server's MLSD output");
    }
    PathGuard.resolveInside(GUARD_ROOT, name, what);
    return name;
  }

  /** Whether file or directory {@code path} exists (MLST, else a listing of its parent). */
  private boolean exists(FTPClient c, String path) throws IOException {
    if (mlsd) {
      FTPFile f = c.mlistFile(path);
      int code = c.getReplyCode();
      if (f != null) {
        return true;
      }
      if (!unsupported(code)) {
        if (code == FTPReply.FILE_UNAVAILABLE) {
          return false;
        }
        throw failure(c, "status of " + path);
      }
    }
    int slash = path.lastIndexOf('/');
    String parent = slash < 0 ? "" : path.substring(0, slash);
    String leaf = path.substring(slash + 1);
    String[] names = parent.isEmpty() ? (slash == 0 ? c.listNames("/") : c.listNames())
        : c.listNames(parent);
    for (String n : names == null ? new String[0] : names) {
      if (n.substring(n.lastIndexOf('/') + 1).equals(leaf)) {
        return true;
      }
    }
    return false;
  }

  /** Drops the idle connections; later calls connect again. */
  @Override
  public void close() {
    List<Idle> all;
    synchronized (idle) {
      all = new ArrayList<>(idle);
      idle.clear();
      if (ahead != null) {
        ahead.thenAccept(FtpConnector::close); // never taken: dropped once it is open
        ahead = null;
      }
    }
    for (Idle i : all) {
      FtpConnector.close(i.client());
    }
  }

  @Override
  public String toString() {
    return settings.toString();
  }

  private String remote(String name) throws MailStoreException {
    PathGuard.resolveInside(GUARD_ROOT, name, "file name on " + settings);
    String base = settings.basePath();
    return base.isEmpty() ? name : base + "/" + name;
  }

  private static boolean unsupported(int code) {
    return code == 500 || code == 501 || code == 502 || code == 504;
  }

  /** A refusal (5xx, not retried) or a transient failure (4xx, retried) for the last reply. */
  private IOException failure(FTPClient c, String what) {
    return failure(c, what, "check the user's permissions and the free space on the server");
  }

  /** As {@link #failure(FTPClient, String)} with {@code hint} as the next action. */
  private IOException failure(FTPClient c, String what, String hint) {
    String msg = "FTP server " + settings + " refused " + what + ": " + FtpConnector.reply(c);
    if (FTPReply.isNegativePermanent(c.getReplyCode())) {
      return new FtpRefusedException(msg + "; " + hint);
    }
    return new IOException(msg);
  }

  private interface Op<T> {
    T run(FTPClient c, int attempt) throws IOException;
  }

  private <T> T retry(String what, boolean keep, Op<T> op) throws IOException {
    IOException last = null;
    for (int attempt = 1; attempt <= settings.attempts(); attempt++) {
      if (attempt > 1) {
        pause(attempt);
      }
      FTPClient c = null;
      try {
        c = take();
        T result = op.run(c, attempt);
        if (!keep) {
          release(c, true);
        }
        return result;
      } catch (BackupException | MailStoreException e) {
        release(c, c != null && c.isConnected());
        throw e;
      } catch (IOException e) {
        FtpConnector.close(c);
        last = e;
      }
    }
    throw new BackupException(what + " on " + settings + " failed after " + settings.attempts()
        + " attempts (" + last.getMessage() + "); check the network and the server, then run"
        + " the job again", last);
  }

  private void pause(int attempt) throws InterruptedIOException {
    Duration d = settings.backoff().multipliedBy(1L << Math.min(attempt - 2, 16));
    try {
      Thread.sleep(d.compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF.toMillis() : d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while waiting to retry on " + settings);
    }
  }

  private FTPClient take() throws IOException {
    FTPClient opened = takeAhead();
    if (opened != null) {
      return opened;
    }
    Idle i;
    synchronized (idle) {
      i = idle.pollFirst();
    }
    if (i != null) {
      FTPClient c = i.client();
      if (c.isConnected() && System.nanoTime() - i.since() < FRESH_NANOS) {
        return c; // just used: a NOOP would only cost a round trip; a dead one fails and is retried
      }
      try {
        if (c.isConnected() && c.sendNoOp()) {
          return c;
        }
      } catch (IOException e) {
        // stale idle connection: replace it
      }
      FtpConnector.close(c);
    }
    return connector.connect();
  }

  private void release(FTPClient c, boolean reusable) {
    if (c == null) {
      return;
    }
    if (reusable && c.isConnected()) {
      synchronized (idle) {
        if (idle.size() < MAX_IDLE) {
          idle.addFirst(new Idle(c, System.nanoTime()));
          return;
        }
      }
    }
    FtpConnector.close(c);
  }
}
