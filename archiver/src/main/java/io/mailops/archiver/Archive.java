package io.mailops.archiver;

import io.mailops.archiver.index.ArchiveIndex.Hit;
import io.mailops.archiver.index.ArchiveIndex.SearchRequest;
import io.mailops.archiver.index.MessageDocument;
import io.mailops.storage.MailStore;
import java.io.ByteArrayInputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * An encrypted, tamper-evident mail archive in a directory (layout in docs/archive-format.md).
 * Mail is ingested into the "current" database; {@link #seal} moves it into sealed volume files;
 * {@link #restoreVolume} makes a volume searchable in the "search" database. Message bytes come
 * back exactly as ingested ({@link #message}), checked against their SHA-256.
 *
 * <p>Open with {@link #init} or {@link #open}; a wrong password fails before anything is written.
 * An open archive holds an OS lock on {@code archive.lock}, so a second run fails at once; use
 * from one thread at a time. The caller closes the archive.
 */
public final class Archive implements Closeable {

  /** Which index {@link #search} asks. */
  public enum Database {
    CURRENT, SEARCH
  }

  static final String ARCHIVE_JSON = "archive.json";

  private final Path dir;
  private final ArchiveOptions options;
  private final Keys keys;
  private ArchiveFile file;
  private final Current current;
  private final AuditLog audit;
  private final Map<String, VolumeFile> openVolumes = new LinkedHashMap<>();
  private final SearchDatabase search;
  private String indexError = "";
  private FileChannel lockChannel;

  private Archive(Path dir, ArchiveOptions options, Keys keys, ArchiveFile file) {
    this.dir = dir;
    this.options = options;
    this.keys = keys;
    this.file = file;
    this.current = new Current(dir.resolve("current"), dir.resolve("tmp"), keys);
    this.audit = new AuditLog(dir.resolve("audit.log"), options.clock());
    this.search = new SearchDatabase(dir.resolve("search"), dir.resolve("tmp"), keys.current(),
        options.indexes(), this::volume);
  }

  /**
   * Creates an archive in {@code dir} (missing or empty) with {@code password}, which must pass
   * {@link ArchiveOptions#policy}.
   *
   * @throws ArchiveException if the password is too weak or an archive is already there
   */
  public static Archive init(Path dir, char[] password, ArchiveOptions options)
      throws IOException {
    options.policy().check(password);
    if (Files.exists(dir.resolve(ARCHIVE_JSON))) {
      throw new ArchiveException("there is already an archive at " + dir + "; open it, or give"
          + " another --archive directory");
    }
    if (Files.isDirectory(dir)) {
      try (Stream<Path> s = Files.list(dir)) {
        if (s.findAny().isPresent()) {
          throw new ArchiveException(dir + " is not empty; give an empty or new directory to"
              + " mailops archive init");
        }
      }
    }
    Keys.Created created = Keys.create(password, options.kdf(), options.segmentSize());
    for (String d : List.of("current/blobs", "current/index", "volumes", "search", "tmp")) {
      Files.createDirectories(dir.resolve(d));
    }
    BlobStore.writeAtomically(dir.resolve("tmp"), dir.resolve(ARCHIVE_JSON),
        Json.write(created.file()));
    Archive a = new Archive(dir, options, created.keys(), created.file());
    a.start();
    a.current.commitIndex();
    return a;
  }

  /**
   * Opens the archive in {@code dir}, finishing what a crash interrupted (a torn journal entry,
   * messages not yet in the index, a seal not yet applied to the current database).
   *
   * @throws ArchiveException "no archive at DIR" or "wrong archive password for DIR", and
   *     nothing is written
   */
  public static Archive open(Path dir, char[] password, ArchiveOptions options)
      throws IOException {
    Path json = dir.resolve(ARCHIVE_JSON);
    if (!Files.isRegularFile(json)) {
      throw new ArchiveException("no archive at " + dir + ": run mailops archive init");
    }
    ArchiveFile f = Json.read(Files.readAllBytes(json), ArchiveFile.class, json.toString());
    Keys keys = Keys.unlock(password, f, dir);
    Archive a = new Archive(dir, options, keys, f);
    a.start();
    return a;
  }

  private void start() throws IOException {
    lock();
    try {
      recover();
    } catch (IOException | RuntimeException e) {
      close();
      throw e;
    }
  }

  /** Takes the OS lock on {@code archive.lock}; the OS drops it when the process dies. */
  private void lock() throws IOException {
    Path f = dir.resolve("archive.lock");
    lockChannel = FileChannel.open(f, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    FileLock l;
    try {
      l = lockChannel.tryLock();
    } catch (OverlappingFileLockException e) {
      l = null;
    }
    if (l == null) {
      lockChannel.close();
      lockChannel = null;
      throw new ArchiveException("the archive at " + dir + " is in use by another mailops run;"
          + " wait for it to finish");
    }
  }

  private void recover() throws IOException {
    Path tmp = dir.resolve("tmp");
    Files.createDirectories(tmp);
    try (Stream<Path> s = Files.list(tmp)) {
      for (Path p : s.toList()) {
        deleteTree(p);
      }
    }
    current.load(true);
    search.load();
    try {
      current.index = options.indexes().open(current.indexDir());
    } catch (IOException | RuntimeException e) {
      indexError = "its index in " + current.indexDir() + " does not open (" + e.getMessage()
          + ")";
    }
    if (!current.damage.isEmpty() || current.index == null) {
      return;
    }
    for (ArchiveFile.VolumeEntry v : file.volumes()) {
      if (current.baseSeq < v.lastSeq()) {
        current.dropSealed(v.lastSeq(), v.head());
      }
    }
    boolean reindex = false;
    for (MessageRecord r : current.records.values()) {
      if (r.seq() > current.state.indexedSeq()) {
        current.index.add(document(r, current.assemble(r)));
        reindex = true;
      }
    }
    if (reindex) {
      current.commitIndex();
    }
  }

  /** The archive directory. */
  public Path dir() {
    return dir;
  }

  /** The audit log the command line appends to for search, show, export and resend. */
  public AuditLog audit() {
    return audit;
  }

  /**
   * Ingests every message of {@code source} not ingested before under {@code sourceName}: each
   * is stored once (a second copy anywhere is recorded as another location of the first),
   * appended to the hash chain and added to the current index. A message that vanished or cannot
   * be read is skipped and listed. Interrupted at any point, a re-run stores each message
   * exactly once. The caller closes {@code source}.
   */
  public IngestResult ingest(MailStore source, String sourceName, IngestListener progress)
      throws IOException {
    requireWritable();
    return new Ingester(current, keys, options).ingest(source, sourceName, progress);
  }

  private MessageDocument document(MessageRecord r, byte[] raw) {
    return options.parser().parse(r.id(), raw, r.source(), r.archivedAt());
  }

  private void requireWritable() throws ArchiveException {
    if (!current.damage.isEmpty()) {
      throw new ArchiveException("the current database of " + dir + " is damaged ("
          + current.damage + "); run mailops archive verify and restore it from a backup");
    }
    requireIndex();
  }

  private void requireIndex() throws ArchiveException {
    if (current.index == null) {
      throw new ArchiveException("the current database of " + dir + " cannot be used: "
          + indexError + "; run mailops archive verify");
    }
  }

  /**
   * Seals every current message ingested before {@code before} into one new volume file, with
   * its own index and manifest, and drops them from the current database.
   *
   * @return the new volume, or empty when no message is that old
   */
  public Optional<VolumeInfo> seal(Instant before) throws IOException {
    requireWritable();
    List<MessageRecord> batch = new ArrayList<>();
    for (MessageRecord r : current.records.values()) {
      if (!r.archivedAt().isBefore(before)) {
        break;
      }
      batch.add(r);
    }
    if (batch.isEmpty()) {
      return Optional.empty();
    }
    current.commitIndex();
    ArchiveFile.VolumeEntry v = new VolumeSealer(dir, keys, file, current, options).seal(batch);
    file = file.withVolume(v);
    file = file.withMac(keys.mac(file));
    BlobStore.writeAtomically(dir.resolve("tmp"), dir.resolve(ARCHIVE_JSON), Json.write(file));
    current.dropSealed(v.lastSeq(), v.head());
    return Optional.of(info(v));
  }

  /**
   * Seals what {@code policy} says is due: each finished period's messages into a volume of
   * their own, then, when the current database holds more than the size limit, all of it.
   *
   * @return the volumes made, oldest first; empty when nothing was due
   */
  public List<VolumeInfo> rollover(RolloverPolicy policy) throws IOException {
    List<VolumeInfo> made = new ArrayList<>();
    if (policy.period() != RolloverPolicy.Period.NONE) {
      Instant periodStart = policy.period().start(options.clock().instant());
      while (!current.records.isEmpty()) {
        Instant first = current.records.values().iterator().next().archivedAt();
        if (!first.isBefore(periodStart)) {
          break;
        }
        Instant end = policy.period().next(first);
        Optional<VolumeInfo> v = seal(end.isAfter(periodStart) ? periodStart : end);
        if (v.isEmpty()) {
          break;
        }
        made.add(v.get());
      }
    }
    if (policy.maxBytes() > 0 && !current.records.isEmpty()
        && current.blobs.bytes() > policy.maxBytes()) {
      seal(options.clock().instant().plusNanos(1)).ifPresent(made::add);
    }
    return made;
  }

  /** The sealed volumes, oldest first, each with a quick status check. */
  public List<VolumeInfo> volumes() throws IOException {
    List<VolumeInfo> out = new ArrayList<>();
    for (ArchiveFile.VolumeEntry v : file.volumes()) {
      out.add(info(v));
    }
    return out;
  }

  private VolumeInfo info(ArchiveFile.VolumeEntry v) throws IOException {
    Path p = volumePath(v.id());
    VolumeInfo.Status status;
    if (!Files.isRegularFile(p)) {
      status = VolumeInfo.Status.MISSING;
    } else if (Files.size(p) != v.bytes()) {
      status = VolumeInfo.Status.CORRUPT;
    } else {
      try (VolumeFile f = VolumeFile.open(p, keys.master())) {
        status = f.manifest().head().equals(v.head()) ? VolumeInfo.Status.INTACT
            : VolumeInfo.Status.CORRUPT;
      } catch (ArchiveException e) {
        status = VolumeInfo.Status.CORRUPT;
      }
    }
    return new VolumeInfo(v.id(), v.from(), v.to(), v.count(), v.bytes(), status,
        search.restored().contains(v.id()));
  }

  Path volumePath(String id) {
    return dir.resolve("volumes").resolve(id + ".vol");
  }

  private ArchiveFile.VolumeEntry entry(String id) throws ArchiveException {
    for (ArchiveFile.VolumeEntry v : file.volumes()) {
      if (v.id().equals(id)) {
        return v;
      }
    }
    throw new ArchiveException("no volume " + id + " in the archive at " + dir
        + "; list them with mailops archive volumes");
  }

  /**
   * Restores volume {@code id} into the search database: its index files are extracted (and
   * checked) so {@link #search} with {@link Database#SEARCH} finds its messages, and
   * {@link #message} reads them from the volume. Restoring a restored volume does nothing.
   */
  public VolumeInfo restoreVolume(String id) throws IOException {
    ArchiveFile.VolumeEntry v = entry(id);
    search.restore(id, volume(id));
    return info(v);
  }

  /** Empties the search database (the volumes stay as they are). */
  public void resetSearch() throws IOException {
    search.reset();
  }

  /** The volumes restored into the search database, in the order they were restored. */
  public List<String> restoredVolumes() {
    return List.copyOf(search.restored());
  }

  VolumeFile volume(String id) throws IOException {
    VolumeFile f = openVolumes.get(id);
    if (f == null) {
      entry(id);
      Path p = volumePath(id);
      if (!Files.isRegularFile(p)) {
        throw new ArchiveException("volume file " + p + " is missing; restore it from a backup");
      }
      f = VolumeFile.open(p, keys.master());
      openVolumes.put(id, f);
    }
    return f;
  }

  /**
   * Searches the current database or the search database (every restored volume), newest first,
   * at most {@code request.limit()} hits.
   */
  public List<Hit> search(Database db, SearchRequest request) throws IOException {
    if (db == Database.CURRENT) {
      requireIndex();
      return current.index.search(request);
    }
    return search.search(request);
  }

  /** How many messages the current database holds. */
  public long currentCount() {
    return current.records.size();
  }

  /**
   * The record of message {@code id} in the current database or a restored volume.
   *
   * @throws ArchiveException if it is in neither
   */
  public MessageRecord record(String id) throws IOException {
    MessageRecord r = current.records.get(id);
    if (r != null) {
      return r;
    }
    Optional<Map.Entry<String, MessageRecord>> found = search.find(id);
    if (found.isPresent()) {
      return found.get().getValue();
    }
    throw new ArchiveException("no message " + id + " in the current or search database of "
        + dir + "; find its volume with mailops archive volumes and restore it");
  }

  /**
   * The bytes of message {@code id} exactly as ingested (or, when attachments were discarded, as
   * stored with their stubs), checked against the recorded SHA-256.
   *
   * @throws ArchiveException if the message is unknown, damaged or does not match its digest
   */
  public byte[] message(String id) throws IOException {
    MessageRecord r = record(id);
    byte[] raw;
    if (current.records.containsKey(id)) {
      raw = current.assemble(r);
    } else {
      VolumeFile f = volume(search.find(id).orElseThrow().getKey());
      raw = Current.assemble(r, b -> checkedBlob(f, b));
    }
    if (!Digests.sha256Hex(raw).equals(r.storedDigest())) {
      throw new ArchiveException("message " + id + " does not match its SHA-256 "
          + r.storedDigest() + "; the archive is damaged, run mailops archive verify --deep");
    }
    return raw;
  }

  /** {@link #message} as a stream; the caller closes it. */
  public InputStream openMessage(String id) throws IOException {
    return new ByteArrayInputStream(message(id));
  }

  byte[] checkedBlob(VolumeFile f, String blob) throws IOException {
    byte[] content = f.blob(blob);
    if (!keys.blobId(content).equals(blob)) {
      throw new ArchiveException("blob " + blob + " in volume " + f.path() + " does not match"
          + " its id; run mailops archive verify --deep");
    }
    return content;
  }

  /**
   * Checks the archive: with {@code volume} null, the current database (journal, hash chain,
   * blobs, index files), every volume and the search database; otherwise that volume only. With
   * {@code deep}, every message is decrypted, put together and re-hashed.
   */
  public VerifyReport verify(String volume, boolean deep) throws IOException {
    if (volume != null) {
      entry(volume);
    }
    return new Verifier(this, keys, file, current, search.restored(), indexError).verify(volume, deep);
  }

  Path searchDir(String id) {
    return search.indexDir(id);
  }

  static void deleteTree(Path p) throws IOException {
    if (!Files.exists(p)) {
      return;
    }
    try (Stream<Path> s = Files.walk(p)) {
      for (Path x : s.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(x);
      }
    }
  }

  @Override
  public void close() throws IOException {
    search.close();
    for (VolumeFile f : openVolumes.values()) {
      f.close();
    }
    openVolumes.clear();
    try {
      if (current.index != null) {
        current.index.close();
        current.index = null;
      }
    } finally {
      if (lockChannel != null) {
        lockChannel.close();
        lockChannel = null;
      }
    }
  }
}
