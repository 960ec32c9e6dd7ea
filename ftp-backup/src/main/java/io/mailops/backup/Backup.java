package io.mailops.backup;

import io.mailops.storage.FolderScan;
import io.mailops.storage.MailStore;
import io.mailops.storage.MessageGoneException;
import io.mailops.storage.PathGuard;
import io.mailops.storage.Skip;
import io.mailops.storage.crypto.Argon2id;
import io.mailops.storage.crypto.SegmentedCipher;
import io.mailops.storage.maildir.MaildirStore;
import io.mailops.storage.maildir.ModifiedUtf7;
import io.mailops.storage.model.AccountId;
import io.mailops.storage.model.Flag;
import io.mailops.storage.model.FolderPath;
import io.mailops.storage.model.MessageRef;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Queue;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.zip.CRC32C;

/**
 * Writes a full or incremental backup set of a {@link MailStore} to a {@link BackupTarget}.
 * Messages are keyed by their Maildir base name: in an incremental set a message its parent
 * already holds (same base name and size) is a manifest entry pointing at the parent's bytes;
 * only new messages go into the set's tars. The store is only read ({@code tmp/} never);
 * a message expunged during the run is a recorded skip. With a {@link #password(char[])} the
 * set's tars (frame by frame), control files and folder manifests are encrypted; the set manifest
 * stays readable and records the {@link Encryption}.
 *
 * <p>Folders are packed (read, hashed, compressed into a local tar) by {@link #threads(int)}
 * threads while {@value #UPLOADERS} upload threads put finished folders on the target (each
 * folder's files in order, its manifest last, a folder as soon as it is packed); a window of a
 * few folders not yet on the target bounds the work ahead, and a folder leaves it once it is on
 * the target, in any order (ADR 0038). A folder's tar is packed in memory up to
 * {@value #TAR_IN_MEMORY} bytes. The {@link Listener} is called on the caller's thread, in store
 * order, after each folder is on the target. Meanwhile
 * the store and the target are used from several threads, as the bundled stores and targets
 * allow. A failure of any stage fails the run with its exception.
 *
 * <p>The work directory keeps a copy of the stored folder manifests of the newest set of each
 * scope ({@value #MANIFEST_CACHE}); the next incremental reads its parent's manifests from there
 * when their size and SHA-256 match the parent's set manifest, and from the target otherwise.
 * Used by one thread at a time; the caller closes the store.
 */
public final class Backup {

  /** Told after each folder is complete on the target; store the progress to restart from it. */
  public interface Listener {
    Listener NONE = progress -> { };

    void folderDone(BackupProgress progress) throws IOException;
  }

  /**
   * {@link #run} ended early because {@link #stopWhen} said so: every folder the listener heard
   * of is whole on the target, no set manifest was written; a run with the last progress as
   * {@code resume} continues the set.
   */
  public static final class Stopped extends BackupException {
    private static final long serialVersionUID = 1L;

    public Stopped(String message) {
      super(message);
    }
  }

  private static final int HEADER_LIMIT = 64 * 1024;
  /**
   * A folder's tar up to this size is packed in memory and uploaded from there (less if the heap
   * is small); a larger one goes through a scratch file (ADR 0038).
   */
  static final int TAR_IN_MEMORY = 32 * 1024 * 1024;
  /** Messages up to this size are read into memory; larger ones go through a spool file. */
  static final int IN_MEMORY = 8 * 1024 * 1024;
  /**
   * Folders put on the target at the same time: most folders are small, and each file costs a
   * few round trips and a TLS handshake on an FTPS data connection, so a few connections overlap
   * those waits.
   */
  static final int UPLOADERS = 3;
  /** Under the work directory: the stored folder manifests of the last set of each scope. */
  static final String MANIFEST_CACHE = "manifest-cache";
  /**
   * A changed folder's manifest is stored as a delta against the last complete one while the
   * delta holds at most 1/{@value} of the folder's entries; above, a complete manifest is stored
   * (and becomes the base of the next deltas).
   */
  static final int DELTA_SHARE = 4;

  private final MailStore store;
  private final BackupTarget target;
  private final Clock clock;
  private final Path work;
  private char[] password;
  private Argon2id.Params kdf = Argon2id.Params.DEFAULT;
  private int threads = Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors()));
  private BooleanSupplier stopRequested = () -> false;

  /**
   * @param work a local scratch directory for tars and manifests before they are put on the
   *     target (removed when done), and for the cache of the last set's folder manifests
   */
  public Backup(MailStore store, BackupTarget target, Clock clock, Path work) {
    this.store = store;
    this.target = target;
    this.clock = clock;
    this.work = work;
  }

  /**
   * Encrypts the sets this backup writes with {@code password} (copied; {@code null}: plain, the
   * default). A full set gets a fresh salt; an incremental reuses its parent's encryption and
   * needs the parent's password. Returns {@code this}.
   */
  public Backup password(char[] password) {
    this.password = password == null ? null : password.clone();
    return this;
  }

  /**
   * The number of folders packed at the same time (default: the number of processors, at most
   * 4); the upload runs on a thread of its own besides. Returns {@code this}.
   */
  public Backup threads(int threads) {
    if (threads < 1) {
      throw new IllegalArgumentException("threads must be at least 1, not " + threads);
    }
    this.threads = threads;
    return this;
  }

  /**
   * The Argon2id cost of the key of a new full encrypted set ({@link Argon2id.Params#DEFAULT}
   * unless set; lower values only for tests or very small hosts). Returns {@code this}.
   */
  public Backup kdf(Argon2id.Params params) {
    this.kdf = Objects.requireNonNull(params, "params");
    return this;
  }

  /**
   * Asked before each folder is started: once it says true, {@link #run} starts no more folders,
   * finishes those under way and throws {@link Stopped}. Returns {@code this}.
   */
  public Backup stopWhen(BooleanSupplier stopRequested) {
    this.stopRequested = Objects.requireNonNull(stopRequested, "stopRequested");
    return this;
  }

  /**
   * Backs up {@code scope}. {@code INCREMENTAL} needs a complete earlier set of the same scope on
   * the target. With {@code resume} (from an interrupted run) the run continues that set and
   * leaves its completed folders as they are.
   *
   * @throws BackupException if there is no parent for an incremental, the set exists, or a
   *     folder cannot be read or written
   */
  public BackupResult run(Scope scope, SetId.Kind kind, BackupProgress resume, Listener listener)
      throws IOException {
    if (scope.message() != null) {
      throw new IllegalArgumentException("a backup covers folders, not one message; drop '"
          + scope.message() + "' from scope " + scope);
    }
    BackupSets sets = new BackupSets(target).password(password);
    SetId id = resume != null ? SetId.parse(resume.set()) : SetId.of(clock.instant(), kind, scope);
    List<SetId> existing = sets.list();
    if (existing.contains(id)) {
      throw new BackupException("backup set " + id + " already exists on " + target
          + "; wait a second and run again");
    }
    SetId parent = null;
    for (SetId s : existing) {
      if (s.scopeLabel().equals(id.scopeLabel()) && s.compareTo(id) < 0) {
        parent = s;
      }
    }
    if (id.kind() == SetId.Kind.FULL) {
      parent = null;
    } else if (parent == null) {
      throw new BackupException("no earlier backup set of scope " + scope + " on " + target
          + " to build an incremental on; run a full backup first");
    }
    Map<String, FolderEntry> parentFolders = new HashMap<>();
    if (parent != null) {
      SetManifest pm = sets.manifest(parent);
      if (pm.encrypted() != (password != null)) {
        throw new BackupException("set " + parent + " is " + (pm.encrypted() ? "" : "not ")
            + "encrypted; give the same --encryption-password-file or take a --full backup");
      }
      for (FolderEntry f : pm.folders()) {
        parentFolders.put(f.dir(), f);
      }
    }
    SetKey key = key(sets, id, parent, resume);
    Map<String, FolderEntry> done = new HashMap<>();
    if (resume != null) {
      resume.completed().forEach(f -> done.put(f.dir(), f));
    }
    Tally t = new Tally();
    List<FolderEntry> entries = new ArrayList<>();
    SetKey parentKey = parent == null ? null : sets.key(parent.toString());
    Path scratch = Files.createTempDirectory(work, "backup");
    boolean stopped = false;
    try (Pipeline p = new Pipeline(threads)) {
      ArrayDeque<Step> inFlight = new ArrayDeque<>();
      folders:
      for (AccountId account : scope.filter(store.accounts())) {
        List<String> problems = new ArrayList<>();
        for (Skip s : store.folderProblems(account)) {
          problems.add(s.toString());
        }
        inFlight.add(new Step(null, null, problems));
        for (FolderPath folder : store.folders(account)) {
          if (!scope.covers(account, folder)) {
            continue;
          }
          if (stopRequested.getAsBoolean()) {
            stopped = true;
            break folders;
          }
          String dir = dirOf(account, folder);
          FolderEntry entry = done.get(dir);
          Step step;
          if (entry != null) {
            step = new Step(entry, null, List.of());
          } else {
            FolderEntry pe = parentFolders.get(dir);
            String parentSet = parent == null ? null : parent.toString();
            // waits while the window is full: a folder leaves it once it is on the target (or
            // failed), in whatever order, so one large folder does not hold up the others
            p.enter();
            if (p.failed) {
              // a folder failed: start no more; the run fails with its exception below
              p.leave();
              break folders;
            }
            CompletableFuture<Packed> packed = p.async(p.packers, () -> p.withWorker(w -> pack(
                id, account, folder, dir, parentSet, pe,
                pe == null ? null : previous(parentSet, pe, parentKey), key, w, scratch)));
            CompletableFuture<Packed> uploaded = packed.thenCompose(
                pk -> p.async(p.uploader, () -> upload(pk)));
            uploaded.whenComplete((r, e) -> {
              if (e != null) {
                p.failed = true;
              }
              p.leave();
            });
            step = new Step(null, uploaded, List.of());
          }
          inFlight.add(step);
          // report the folders at the head that are done (in store order), without waiting
          while (!inFlight.isEmpty() && inFlight.peek().ready()) {
            complete(inFlight.poll(), id, entries, t, listener);
          }
        }
      }
      while (!inFlight.isEmpty()) {
        complete(inFlight.poll(), id, entries, t, listener);
      }
    } finally {
      deleteTree(scratch);
    }
    if (stopped) {
      throw new Stopped("backup set " + id + " stopped on request after " + entries.size()
          + " folders; the next run continues it");
    }
    // an incremental may refer to files of earlier sets (unchanged folders and control files)
    // and store folder manifests as deltas (format 4 only when it did: older readers read the rest)
    int format = parent == null ? (key == null ? SetManifest.FORMAT : SetManifest.FORMAT_ENCRYPTED)
        : entries.stream().anyMatch(e -> e.deltaBase() != null) ? SetManifest.FORMAT_DELTA
        : SetManifest.FORMAT_REFS;
    SetManifest m = new SetManifest(format,
        id.toString(), id.kind().name().toLowerCase(Locale.ROOT), scope.toString(),
        clock.instant().toString(), parent == null ? null : parent.toString(), entries, t.skipped,
        key == null ? null : key.encryption());
    put(id + "/" + BackupSets.MANIFEST, ManifestCodec.write(m));
    pruneCache(id, entries);
    return new BackupResult(id, m.parent(), entries.size(), t.messages, t.written, t.bytes,
        t.unchanged, t.skipped);
  }

  /**
   * One item of the run, in store order: an account's folder problems, a folder done in an
   * earlier run ({@code entry}) or a folder being packed and uploaded ({@code uploaded}).
   */
  private record Step(FolderEntry entry, Future<Packed> uploaded, List<String> skipped) {
    boolean ready() {
      return uploaded == null || uploaded.isDone();
    }
  }

  /**
   * Waits for {@code step}, adds it to the tally and tells the listener about a folder; called on
   * the caller's thread in store order, so the listener sees the folders in order and only once
   * they are on the target.
   */
  private void complete(Step step, SetId id, List<FolderEntry> entries, Tally t,
      Listener listener) throws IOException {
    t.skipped.addAll(step.skipped());
    FolderEntry entry = step.entry();
    if (step.uploaded() != null) {
      Packed packed = get(step.uploaded());
      t.skipped.addAll(packed.skipped);
      t.written += packed.written;
      t.bytes += packed.bytes;
      t.unchanged += packed.unchanged;
      entry = packed.entry;
    }
    if (entry == null) {
      return;
    }
    entries.add(entry);
    t.messages += entry.messages();
    listener.folderDone(new BackupProgress(id.toString(), entries));
  }

  /**
   * The key of set {@code id} ({@code null}: plain). A new full set gets a fresh salt, an
   * incremental its parent's encryption; either is stored as {@code SET_ID/encryption.json} before
   * the first folder, and a resumed run takes the interrupted set's from there. A resumed run
   * with no folder done and no {@code encryption.json} has nothing on the target yet and starts
   * the set like a new one.
   */
  private SetKey key(BackupSets sets, SetId id, SetId parent, BackupProgress resume)
      throws IOException {
    String name = id + "/" + BackupSets.ENCRYPTION;
    boolean encrypted = resume != null && target.size(name).isPresent();
    if (resume != null && (encrypted || !resume.completed().isEmpty())) {
      if (encrypted != (password != null)) {
        throw new BackupException("set " + id + " is " + (encrypted ? "" : "not ")
            + "encrypted; give the same --encryption-password-file or take a --full backup");
      }
      if (!encrypted) {
        return null;
      }
      Encryption enc = ManifestCodec.read(sets.readAll(name), Encryption.class, name);
      return sets.unlock(enc, id.toString());
    }
    if (password == null) {
      return null;
    }
    SetKey key = parent == null ? SetKey.create(password, kdf) : sets.key(parent.toString());
    put(name, ManifestCodec.write(key.encryption()));
    return key;
  }

  private static final class Tally {
    int messages;
    int written;
    int unchanged;
    long bytes;
    final List<String> skipped = new ArrayList<>();
  }

  /** {@code DOMAIN/USER/INBOX} or {@code DOMAIN/USER/.A.B} (Maildir++ names, modified UTF-7). */
  static String dirOf(AccountId account, FolderPath folder) throws BackupException {
    if (folder.isInbox()) {
      return account.domain() + "/" + account.user() + "/INBOX";
    }
    StringBuilder b = new StringBuilder();
    for (String seg : folder.segments()) {
      if (seg.indexOf('.') >= 0) {
        throw new BackupException("folder '" + folder + "' of " + account + " has a '.' in its"
            + " name, which Maildir++ uses as separator; rename it");
      }
      b.append('.').append(ModifiedUtf7.encode(seg));
    }
    return account.domain() + "/" + account.user() + "/" + b;
  }

  /** A folder packed into local files, to be put on the target in this order. */
  private static final class Packed {
    /** The folder's tar (first to go up), {@code null} when it has no new messages. */
    Scratch tar;
    String tarName;
    /** The folder's control files and manifest (last), small: held in memory. */
    final List<Map.Entry<String, byte[]>> uploads = new ArrayList<>();
    final List<String> skipped = new ArrayList<>();
    FolderEntry entry;
    int written;
    int unchanged;
    long bytes;
  }

  /**
   * Packs one folder into local files under {@code scratch}: the tar of its new messages, its
   * control files and its manifest. Runs on a packing thread; only reads the store (and the
   * parent's folder manifest, read by the caller).
   */
  private Packed pack(SetId id, AccountId account, FolderPath folder, String dir,
      String parentSet, FolderEntry parentEntry, Previous prev, SetKey key, Worker w,
      Path scratch) throws IOException {
    Packed out = new Packed();
    FolderManifest previous = prev == null ? null : prev.state();
    FolderScan scan = store.scan(account, folder);
    for (Skip s : scan.skipped()) {
      out.skipped.add(s.toString());
    }
    String tarName = id + "/" + dir + "/" + BackupSets.TAR;
    Map<String, MessageEntry> messages = new TreeMap<>();
    Scratch tmpTar = new Scratch(w.buffers, w.inMemory, scratch);
    boolean keep = false;
    Path spool = null;
    long tarSize = 0;
    String tarSha = "";
    try {
      TarFrames tar = TarFrames.create(tmpTar, key, tarName, w.packer);
      try (tar) {
        for (MessageRef ref : scan.messages()) {
          String base = ref.key().value();
          List<String> flags = ref.flags().system().stream().map(Flag::imapName).toList();
          List<String> keywords = List.copyOf(ref.flags().keywords());
          String state = ref.location().startsWith("new/") ? "new" : "cur";
          String date = ref.internalDate().toString();
          MessageEntry old = previous == null ? null : previous.messages().get(base);
          if (old != null && old.size() == ref.size()) {
            messages.put(base, new MessageEntry(old.sha256(), old.size(), date, flags, keywords,
                state, old.messageId(), old.location()));
            out.unchanged++;
            continue;
          }
          MessageDigest sha = w.sha;
          sha.reset();
          long size;
          long[] frame;
          String messageId;
          try (InputStream in = store.open(account, ref)) {
            // read after the room for its tar header, where the tar entry is compressed from
            int at = TarFrames.HEADER_ROOM;
            int n = ref.size() <= IN_MEMORY ? w.fill(in, IN_MEMORY) : 0;
            if (ref.size() <= IN_MEMORY && !w.more) {
              sha.update(w.message, at, n);
              size = n;
              messageId = messageId(w.message, at, n);
              frame = tar.addInPlace(base, w.room(n), n, ref.internalDate());
            } else {
              // a large message (or one that grew): through a spool file, never all in memory
              if (spool == null) {
                spool = Files.createTempFile(scratch, "message", ".eml");
              }
              sha.update(w.message, at, n);
              try (OutputStream o = Files.newOutputStream(spool)) {
                o.write(w.message, at, n);
                new DigestInputStream(in, sha).transferTo(o);
              }
              size = Files.size(spool);
              try (InputStream sin = Files.newInputStream(spool)) {
                frame = tar.add(base, sin, size, ref.internalDate());
              }
              messageId = messageId(spool);
            }
          } catch (MessageGoneException e) {
            out.skipped.add(account + "/" + folder + "/" + base
                + ": vanished during the backup (expunged by the server); not in this set");
            continue;
          }
          messages.put(base, new MessageEntry(HexFormat.of().formatHex(sha.digest()), size, date,
              flags, keywords, state, messageId,
              new Location(id.toString(), tarName, base, frame[0], frame[1])));
          out.bytes += size;
        }
        out.written = tar.entries();
      }
      if (out.written > 0) {
        tarSize = tar.size();
        tarSha = tar.fileSha256();
        out.tar = tmpTar;
        out.tarName = tarName;
        keep = true;
      }
    } finally {
      if (!keep) {
        tmpTar.release();
      }
      if (spool != null) {
        Files.deleteIfExists(spool);
      }
    }
    List<ControlFile> controls = controlFiles(id, account, folder, dir, previous, key, out);
    if (previous != null && out.written == 0 && messages.equals(previous.messages())
        && controls.size() == previous.controlFiles().size()
        && controls.stream().allMatch(c -> c.set() != null)) {
      // nothing changed since the parent: this set stores nothing for the folder
      out.uploads.clear();
      out.entry = parentEntry.unchangedSince(parentSet);
      return out;
    }
    String manifestName = id + "/" + dir + "/" + BackupSets.MANIFEST;
    FolderManifest now = new FolderManifest(id.toString(), account.toString(), folder.toString(),
        controls, messages);
    Object stored = now;
    FolderEntry.DeltaBase deltaBase = null;
    if (prev != null) {
      // only what changed since the last complete manifest, while that stays a small share
      FolderDelta delta = FolderDelta.between(prev.base(), now);
      if ((long) delta.size() * DELTA_SHARE <= messages.size()) {
        stored = delta;
        deltaBase = prev.baseRef();
      }
    }
    byte[] json = ManifestCodec.write(stored);
    if (key != null) {
      json = key.cipher().seal(json, SegmentedCipher.aad(manifestName));
    }
    out.uploads.add(Map.entry(manifestName, json));
    out.entry = new FolderEntry(account.toString(), folder.toString(), dir, json.length,
        HexFormat.of().formatHex(TarFrames.sha256().digest(json)), tarSize, tarSha,
        messages.size(), out.written, null, deltaBase);
    return out;
  }

  /**
   * Puts a packed folder on the target (tar, control files, manifest last) and keeps its manifest
   * in the cache; on an upload thread.
   */
  private Packed upload(Packed packed) throws IOException {
    if (packed.tar != null) {
      Scratch tar = packed.tar;
      try {
        if (tar.file() != null) {
          target.write(packed.tarName, tar.file());
        } else {
          target.write(packed.tarName, tar.bytes(), tar.length());
        }
      } finally {
        tar.release();
        packed.tar = null;
      }
    }
    for (Map.Entry<String, byte[]> u : packed.uploads) {
      // no rename: nothing reads a set's files before its set manifest, written last with put
      byte[] bytes = u.getValue();
      target.write(u.getKey(), bytes, bytes.length);
      if (u.getKey().endsWith("/" + BackupSets.MANIFEST)) {
        cache(u.getKey(), bytes, packed.entry.manifestSha256());
      }
    }
    return packed;
  }

  /**
   * Puts the stored folder manifest {@code bytes} (target name {@code name}, SHA-256
   * {@code sha256}) into the cache with a {@linkplain #trailer trailer}: written to a temporary
   * file in the work directory, then moved into place. Best effort: on a failure the cache holds
   * no version of the file.
   */
  private void cache(String name, byte[] bytes, String sha256) throws IOException {
    Path tmp = null;
    try {
      tmp = Files.createTempFile(work, "manifest", ".json");
      try (OutputStream o = Files.newOutputStream(tmp)) {
        o.write(bytes);
        o.write(trailer(bytes, sha256));
      }
      Path dest = PathGuard.resolveInside(work.resolve(MANIFEST_CACHE), name, "manifest cache");
      Files.createDirectories(dest.getParent());
      Files.move(tmp, dest, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      if (tmp != null) {
        Files.deleteIfExists(tmp); // only a cache: the next incremental downloads the manifest
      }
      try {
        Files.deleteIfExists(PathGuard.resolveInside(work.resolve(MANIFEST_CACHE), name,
            "manifest cache")); // an older version must not stay
      } catch (IOException again) {
        // then its trailer names another SHA-256 and it is not used
      }
    }
  }

  /** Bytes after the stored bytes of a cached folder manifest ({@link #trailer}). */
  static final int TRAILER = 75;

  /**
   * What the cache appends to a stored folder manifest {@code bytes}: a line with their SHA-256
   * {@code sha256} (as the set manifest names it, checked or computed when the file was
   * uploaded or downloaded) and their CRC32C, {@value #TRAILER} bytes. The next incremental
   * takes the cached bytes when the SHA-256 is the one its parent's set manifest names and the
   * CRC32C matches: the same check as hashing them again, for accidental damage, at a fraction of
   * the CPU (SHA-256 runs as plain Java in the incremental's C1-only JVM; CRC32C is an intrinsic
   * there too, ADR 0032).
   */
  static byte[] trailer(byte[] bytes, String sha256) {
    CRC32C crc = new CRC32C();
    crc.update(bytes);
    byte[] t = ("\n" + sha256 + " " + String.format("%08x", crc.getValue()) + "\n")
        .getBytes(StandardCharsets.US_ASCII);
    if (t.length != TRAILER) {
      throw new IllegalArgumentException("not a SHA-256: " + sha256);
    }
    return t;
  }

  /**
   * Drops the cached manifests of the other sets of {@code id}'s scope (after {@code id} is
   * complete) except those of sets {@code id} refers to for unchanged folders; best effort.
   */
  private void pruneCache(SetId id, List<FolderEntry> entries) {
    Path root = work.resolve(MANIFEST_CACHE);
    Set<String> keep = new HashSet<>();
    keep.add(id.toString());
    for (FolderEntry e : entries) {
      keep.add(e.manifestHolder(id.toString()));
      if (e.deltaBase() != null) {
        keep.add(e.deltaBase().set());
      }
    }
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(root)) {
      for (Path p : ds) {
        String n = p.getFileName().toString();
        if (!keep.contains(n) && SetId.isSetId(n)
            && SetId.parse(n).scopeLabel().equals(id.scopeLabel())) {
          deleteTree(p);
        }
      }
    } catch (IOException | RuntimeException e) {
      // only a cache
    }
  }

  /**
   * Reads the folder's Dovecot control files (Maildir stores only) for the upload (in memory:
   * they are small), encrypted when there is a key; size and SHA-256 are those of the stored bytes.
   */
  private List<ControlFile> controlFiles(SetId id, AccountId account, FolderPath folder,
      String dir, FolderManifest previous, SetKey key, Packed packed)
      throws IOException {
    Map<String, ControlFile> before = new HashMap<>();
    if (previous != null) {
      previous.controlFiles().forEach(c -> before.put(c.name(), c));
    }
    List<ControlFile> out = new ArrayList<>();
    if (!(store instanceof MaildirStore maildir)) {
      return out;
    }
    Path fdir = maildir.folderDir(account, folder);
    List<Path> found = new ArrayList<>();
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(fdir)) {
      for (Path p : ds) {
        String n = p.getFileName().toString();
        if (n.equals("dovecot-uidlist") || n.equals("dovecot-keywords") || n.equals("maildirsize")
            || n.startsWith("dovecot-uidvalidity") || (folder.isInbox() && n.equals("subscriptions"))) {
          found.add(p);
        }
      }
    }
    found.sort(null);
    for (Path p : found) {
      byte[] bytes;
      try {
        bytes = Files.readAllBytes(p);
      } catch (NoSuchFileException e) {
        continue; // replaced by Dovecot between listing and copying: its successor is listed next run
      }
      String name = p.getFileName().toString();
      String plainSha = HexFormat.of().formatHex(TarFrames.sha256().digest(bytes));
      ControlFile old = before.get(name);
      // stored bytes of an encrypted file differ on every run (random nonces): compare the plain
      // SHA-256 kept inside the encrypted folder manifest instead
      String oldPlain = old == null ? null : key == null ? old.sha256() : old.plainSha256();
      if (plainSha.equals(oldPlain) && (key != null || old.size() == bytes.length)) {
        out.add(new ControlFile(name, old.size(), old.sha256(), old.holder(previous),
            old.plainSha256()));
        continue; // the same bytes are in an earlier set of the chain
      }
      String stored = id + "/" + dir + "/" + name;
      if (key != null) {
        bytes = key.cipher().seal(bytes, SegmentedCipher.aad(stored));
      }
      out.add(new ControlFile(name, bytes.length,
          HexFormat.of().formatHex(TarFrames.sha256().digest(bytes)), null,
          key == null ? null : plainSha));
      packed.uploads.add(Map.entry(stored, bytes));
    }
    return out;
  }

  /**
   * A parent folder's state for an incremental: its complete manifest ({@code state}) and the
   * complete manifest a delta of this set would apply to ({@code base}, stored as {@code baseRef}:
   * the parent's own manifest, or the base of the parent's delta).
   */
  private record Previous(FolderManifest state, FolderManifest base,
      FolderEntry.DeltaBase baseRef) {}

  /**
   * Reads folder manifest {@code entry} of set {@code set} (the parent), and its base if it is a
   * delta, each checked against its size and SHA-256 in the set manifest and decrypted with
   * {@code key} ({@code null}: plain). The same checks as {@link BackupSets#folder}, without its
   * caches, for the packing threads.
   */
  private Previous previous(String set, FolderEntry entry, SetKey key) throws IOException {
    String name = entry.manifestName(set);
    byte[] bytes = stored(name, entry.manifestSize(), entry.manifestSha256(), set);
    if (entry.deltaBase() == null) {
      FolderManifest fm = BackupSets.open(bytes, name, key, FolderManifest.class);
      return new Previous(fm, fm, new FolderEntry.DeltaBase(entry.manifestHolder(set),
          entry.manifestSize(), entry.manifestSha256()));
    }
    FolderDelta delta = BackupSets.open(bytes, name, key, FolderDelta.class);
    String baseName = entry.deltaBaseName();
    FolderManifest base = BackupSets.open(stored(baseName, entry.deltaBase().size(),
        entry.deltaBase().sha256(), set), baseName, key, FolderManifest.class);
    return new Previous(delta.applyTo(base, name), base, entry.deltaBase());
  }

  /**
   * The stored bytes of folder manifest {@code name} of the parent {@code set}, from the cache or
   * the target, checked against {@code size} and {@code sha256}; a downloaded one is cached.
   */
  private byte[] stored(String name, long size, String sha256, String set) throws IOException {
    byte[] bytes = cached(name, size, sha256);
    if (bytes != null) {
      return bytes;
    }
    try (InputStream in = target.open(name, 0, -1)) {
      bytes = BackupSets.checked(in.readAllBytes(), name, size, sha256, set);
    }
    // serves the next incremental too (an unchanged folder or a delta's base refers to it)
    cache(name, bytes, sha256);
    return bytes;
  }

  /** {@link BackupSets#cached} in this backup's manifest cache. */
  private byte[] cached(String name, long size, String sha256) {
    return BackupSets.cached(work.resolve(MANIFEST_CACHE), name, size, sha256);
  }

  /** The reusable state of one packing thread. */
  private static final class Worker implements AutoCloseable {
    final TarFrames.Packer packer = new TarFrames.Packer();
    /** Arrays for the tars packed in memory, shared by the packing threads. */
    final Queue<byte[]> buffers;
    /** The largest tar packed in memory; a larger one goes to a scratch file. */
    final int inMemory;
    final MessageDigest sha = TarFrames.sha256();
    byte[] message = new byte[256 * 1024];
    /** Whether the last {@link #fill} stopped at its limit before the end of the stream. */
    boolean more;

    Worker(Queue<byte[]> buffers, int inMemory) {
      this.buffers = buffers;
      this.inMemory = inMemory;
    }

    /**
     * Reads {@code in} into {@link #message} from {@link TarFrames#HEADER_ROOM}, at most
     * {@code limit + 1} bytes; returns the count. {@link #more} tells whether it stopped past the
     * limit (the rest is still in {@code in}).
     */
    int fill(InputStream in, int limit) throws IOException {
      int at = TarFrames.HEADER_ROOM;
      int n = 0;
      more = false;
      while (true) {
        if (at + n == message.length) {
          if (n > limit) {
            more = true;
            return n;
          }
          message = Arrays.copyOf(message,
              (int) Math.min(at + limit + 1L, 2L * message.length));
        }
        int r = in.read(message, at + n, message.length - at - n);
        if (r < 0) {
          return n;
        }
        n += r;
      }
    }

    /**
     * {@link #message} holding {@code n} bytes of content from {@link TarFrames#HEADER_ROOM},
     * grown if needed to leave room for the tar padding after them.
     */
    byte[] room(int n) {
      int need = TarFrames.inPlaceLength(n);
      if (message.length < need) {
        message = Arrays.copyOf(message, need);
      }
      return message;
    }

    @Override
    public void close() {
      packer.close();
    }
  }

  /**
   * The threads of one run: packers, uploaders, the packers' reusable state, and the window of
   * folders packed or being packed and not yet on the target (it bounds the local scratch space).
   */
  private static final class Pipeline implements AutoCloseable {
    final ExecutorService packers;
    final ExecutorService uploader;
    final BlockingQueue<Worker> workers;
    private final List<Worker> all = new ArrayList<>();
    private final Semaphore window;
    /** Whether a folder's pack or upload failed. */
    volatile boolean failed;

    Pipeline(int threads) {
      packers = Executors.newFixedThreadPool(threads, named("mailops-backup-pack"));
      uploader = Executors.newFixedThreadPool(UPLOADERS, named("mailops-backup-upload"));
      workers = new ArrayBlockingQueue<>(threads);
      int places = 2 * threads + UPLOADERS + 1;
      // the folders in the window hold at most a quarter of the heap in tars packed in memory
      int inMemory = (int) Math.min(TAR_IN_MEMORY, Runtime.getRuntime().maxMemory() / 4 / places);
      Queue<byte[]> buffers = new ConcurrentLinkedQueue<>();
      for (int i = 0; i < threads; i++) {
        Worker w = new Worker(buffers, inMemory);
        all.add(w);
        workers.add(w);
      }
      window = new Semaphore(places);
    }

    interface Task<T> {
      T run(Worker w) throws IOException;
    }

    interface Job<T> {
      T call() throws IOException, InterruptedException;
    }

    /** Takes a place in the window, waiting while it is full. */
    void enter() throws InterruptedIOException {
      try {
        window.acquire();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new InterruptedIOException("backup interrupted");
      }
    }

    /** Frees the place of a folder that is on the target or failed. */
    void leave() {
      window.release();
    }

    /** {@code job} on {@code executor}; its exception, as thrown, fails the future. */
    <T> CompletableFuture<T> async(ExecutorService executor, Job<T> job) {
      CompletableFuture<T> f = new CompletableFuture<>();
      try {
        executor.execute(() -> {
          try {
            f.complete(job.call());
          } catch (Throwable e) {
            f.completeExceptionally(e);
          }
        });
      } catch (RuntimeException e) { // rejected: the pipeline is closing after a failure
        f.completeExceptionally(e);
      }
      return f;
    }

    <T> T withWorker(Task<T> task) throws IOException, InterruptedException {
      Worker w = workers.take();
      try {
        return task.run(w);
      } finally {
        workers.add(w);
      }
    }

    private static ThreadFactory named(String prefix) {
      AtomicInteger n = new AtomicInteger();
      return r -> {
        Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
        t.setDaemon(true);
        return t;
      };
    }

    /** Stops what is still running (after a failure) and frees the native zstd contexts. */
    @Override
    public void close() throws InterruptedIOException {
      packers.shutdownNow();
      uploader.shutdownNow();
      try {
        packers.awaitTermination(1, TimeUnit.MINUTES);
        uploader.awaitTermination(1, TimeUnit.MINUTES);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new InterruptedIOException("interrupted while stopping the backup threads");
      } finally {
        if (packers.isTerminated()) {
          all.forEach(Worker::close);
        }
      }
    }
  }

  /** The result of {@code f}; a failure of its task is rethrown as it was thrown. */
  private static <T> T get(Future<T> f) throws IOException {
    try {
      return f.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("backup interrupted");
    } catch (ExecutionException e) {
      Throwable c = e.getCause();
      if (c instanceof IOException io) {
        throw io;
      }
      if (c instanceof RuntimeException r) {
        throw r;
      }
      if (c instanceof Error err) {
        throw err;
      }
      throw new BackupException("backup failed: " + c, c);
    }
  }

  private static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (var walk = Files.walk(dir)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

  private void put(String name, byte[] bytes) throws IOException {
    Path tmp = Files.createTempFile(work, "manifest", ".json");
    try {
      Files.write(tmp, bytes);
      target.put(name, tmp);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  static String sha(Path file) throws IOException {
    MessageDigest sha = TarFrames.sha256();
    try (InputStream in = new DigestInputStream(Files.newInputStream(file), sha)) {
      in.transferTo(OutputStream.nullOutputStream());
    }
    return HexFormat.of().formatHex(sha.digest());
  }

  /** The Message-ID header of a message file ({@code <id@host>}), or {@code null}. */
  static String messageId(Path file) throws IOException {
    byte[] head;
    try (InputStream in = Files.newInputStream(file)) {
      head = in.readNBytes(HEADER_LIMIT);
    }
    return messageId(head, 0, head.length);
  }

  /**
   * The length of the header of the message in {@code len} bytes of {@code b} from {@code off}:
   * up to and including the line break of its first empty line ({@code len} if there is none).
   * Only these bytes become a string: a message's header is a few KiB, its body up to 64 KiB.
   */
  static int headerLength(byte[] b, int off, int len) {
    int end = off + len;
    boolean lineStart = true;
    for (int i = off; i < end; i++) {
      byte c = b[i];
      if (c == '\n') {
        if (lineStart) {
          return i + 1 - off;
        }
        lineStart = true;
      } else if (c == '\r') {
        // a lone CR ends a line too; CR LF is one line break
        if (lineStart) {
          return (i + 1 < end && b[i + 1] == '\n' ? i + 2 : i + 1) - off;
        }
        if (i + 1 < end && b[i + 1] == '\n') {
          i++;
        }
        lineStart = true;
      } else {
        lineStart = false;
      }
    }
    return len;
  }

  /** The Message-ID header of the message in {@code len} bytes of {@code b} from {@code off}. */
  static String messageId(byte[] b, int off, int len) {
    String value = null;
    int end = off + headerLength(b, off, Math.min(len, HEADER_LIMIT));
    // line by line over the header bytes (CR LF, LF or CR), without a reader and its buffers
    for (int i = off; i < end; ) {
      int e = i;
      while (e < end && b[e] != '\n' && b[e] != '\r') {
        e++;
      }
      if (e == i) {
        break; // the empty line ending the header
      }
      if (value != null && (b[i] == ' ' || b[i] == '\t')) {
        value += new String(b, i, e - i, StandardCharsets.ISO_8859_1).trim();
      } else if (value != null) {
        break;
      } else if (e - i >= 11 && (b[i] | 0x20) == 'm'
          && new String(b, i, 11, StandardCharsets.ISO_8859_1).equalsIgnoreCase("Message-ID:")) {
        value = new String(b, i + 11, e - i - 11, StandardCharsets.ISO_8859_1).trim();
      }
      i = e < end && b[e] == '\r' && e + 1 < end && b[e + 1] == '\n' ? e + 2 : e + 1;
    }
    if (value == null) {
      return null;
    }
    int lt = value.indexOf('<');
    int gt = value.indexOf('>', lt + 1);
    return lt >= 0 && gt > lt ? value.substring(lt, gt + 1) : null;
  }
}
