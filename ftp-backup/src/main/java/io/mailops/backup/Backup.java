package io.mailops.backup;

import io.mailops.storage.FolderScan;
import io.mailops.storage.MailStore;
import io.mailops.storage.MessageGoneException;
import io.mailops.storage.Skip;
import io.mailops.storage.maildir.MaildirStore;
import io.mailops.storage.maildir.ModifiedUtf7;
import io.mailops.storage.model.AccountId;
import io.mailops.storage.model.Flag;
import io.mailops.storage.model.FolderPath;
import io.mailops.storage.model.MessageRef;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Writes a full or incremental backup set of a {@link MailStore} to a {@link BackupTarget}.
 * Messages are keyed by their Maildir base name: in an incremental set a message its parent
 * already holds (same base name and size) is a manifest entry pointing at the parent's bytes;
 * only new messages go into the set's tars. The store is only read ({@code tmp/} never);
 * a message expunged during the run is a recorded skip. With a {@link #password(char[])} the
 * set's tars (frame by frame), control files and folder manifests are encrypted; the set manifest
 * stays readable and records the {@link Encryption}. Used by one thread at a time; the caller
 * closes the store.
 */
public final class Backup {

  /** Told after each folder is complete on the target; store the progress to restart from it. */
  public interface Listener {
    Listener NONE = progress -> { };

    void folderDone(BackupProgress progress) throws IOException;
  }

  private static final int HEADER_LIMIT = 64 * 1024;

  private final MailStore store;
  private final BackupTarget target;
  private final Clock clock;
  private final Path work;
  private char[] password;
  private Encryption.Params kdf = Encryption.Params.DEFAULT;

  /**
   * @param work a local scratch directory for tars and manifests before they are put on the
   *     target; files are removed when done
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
   * The Argon2id cost of the key of a new full encrypted set ({@link Encryption.Params#DEFAULT}
   * unless set; lower values only for tests or very small hosts). Returns {@code this}.
   */
  public Backup kdf(Encryption.Params params) {
    this.kdf = java.util.Objects.requireNonNull(params, "params");
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
    for (AccountId account : scope.filter(store.accounts())) {
      for (Skip s : store.folderProblems(account)) {
        t.skipped.add(s.toString());
      }
      for (FolderPath folder : store.folders(account)) {
        if (!scope.covers(account, folder)) {
          continue;
        }
        String dir = dirOf(account, folder);
        FolderEntry entry = done.get(dir);
        if (entry == null) {
          FolderEntry pe = parentFolders.get(dir);
          FolderManifest previous = pe == null ? null : sets.folder(parent.toString(), pe);
          entry = folder(id, account, folder, dir, previous, key, t);
        }
        entries.add(entry);
        t.messages += entry.messages();
        listener.folderDone(new BackupProgress(id.toString(), entries));
      }
    }
    SetManifest m = new SetManifest(key == null ? SetManifest.FORMAT : SetManifest.FORMAT_ENCRYPTED,
        id.toString(), id.kind().name().toLowerCase(java.util.Locale.ROOT), scope.toString(),
        clock.instant().toString(), parent == null ? null : parent.toString(), entries, t.skipped,
        key == null ? null : key.encryption());
    put(id + "/" + BackupSets.MANIFEST, ManifestCodec.write(m));
    return new BackupResult(id, m.parent(), entries.size(), t.messages, t.written, t.bytes,
        t.unchanged, t.skipped);
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

  private FolderEntry folder(SetId id, AccountId account, FolderPath folder, String dir,
      FolderManifest previous, SetKey key, Tally t) throws IOException {
    FolderScan scan = store.scan(account, folder);
    for (Skip s : scan.skipped()) {
      t.skipped.add(s.toString());
    }
    String tarName = id + "/" + dir + "/" + BackupSets.TAR;
    Map<String, MessageEntry> messages = new TreeMap<>();
    Path tmpTar = Files.createTempFile(work, "messages", ".tar.zst");
    Path spool = Files.createTempFile(work, "message", ".eml");
    int written;
    try {
      try (TarFrames tar = TarFrames.create(tmpTar, key, tarName)) {
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
            t.unchanged++;
            continue;
          }
          MessageDigest sha = TarFrames.sha256();
          try (InputStream in = new DigestInputStream(store.open(account, ref), sha)) {
            Files.copy(in, spool, StandardCopyOption.REPLACE_EXISTING);
          } catch (MessageGoneException e) {
            t.skipped.add(account + "/" + folder + "/" + base
                + ": vanished during the backup (expunged by the server); not in this set");
            continue;
          }
          long size = Files.size(spool);
          long[] frame;
          try (InputStream in = Files.newInputStream(spool)) {
            frame = tar.add(base, in, size, ref.internalDate());
          }
          messages.put(base, new MessageEntry(HexFormat.of().formatHex(sha.digest()), size, date,
              flags, keywords, state, messageId(spool),
              new Location(id.toString(), tarName, base, frame[0], frame[1])));
          t.bytes += size;
        }
        written = tar.entries();
      }
      t.written += written;
      long tarSize = 0;
      String tarSha = "";
      if (written > 0) {
        tarSize = Files.size(tmpTar);
        tarSha = sha(tmpTar);
        target.put(tarName, tmpTar);
      }
      List<ControlFile> controls = controlFiles(id, account, folder, dir, spool, key);
      String manifestName = id + "/" + dir + "/" + BackupSets.MANIFEST;
      byte[] json = ManifestCodec.write(new FolderManifest(id.toString(), account.toString(),
          folder.toString(), controls, messages));
      if (key != null) {
        json = SegmentedCipher.seal(json, key, SegmentedCipher.aad(manifestName));
      }
      put(manifestName, json);
      return new FolderEntry(account.toString(), folder.toString(), dir, json.length,
          HexFormat.of().formatHex(TarFrames.sha256().digest(json)), tarSize, tarSha,
          messages.size(), written);
    } finally {
      Files.deleteIfExists(tmpTar);
      Files.deleteIfExists(spool);
    }
  }

  /**
   * Copies the folder's Dovecot control files (Maildir stores only) into the set, encrypted when
   * there is a key; size and SHA-256 are those of the stored bytes.
   */
  private List<ControlFile> controlFiles(SetId id, AccountId account, FolderPath folder,
      String dir, Path spool, SetKey key) throws IOException {
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
      try {
        Files.copy(p, spool, StandardCopyOption.REPLACE_EXISTING);
      } catch (NoSuchFileException e) {
        continue; // replaced by Dovecot between listing and copying: its successor is listed next run
      }
      String name = p.getFileName().toString();
      String stored = id + "/" + dir + "/" + name;
      if (key != null) {
        byte[] plain = Files.readAllBytes(spool);
        Files.write(spool, SegmentedCipher.seal(plain, key, SegmentedCipher.aad(stored)));
      }
      out.add(new ControlFile(name, Files.size(spool), sha(spool)));
      target.put(stored, spool);
    }
    return out;
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
      in.transferTo(java.io.OutputStream.nullOutputStream());
    }
    return HexFormat.of().formatHex(sha.digest());
  }

  /** The Message-ID header of a message file ({@code <id@host>}), or {@code null}. */
  static String messageId(Path file) throws IOException {
    byte[] head;
    try (InputStream in = Files.newInputStream(file)) {
      head = in.readNBytes(HEADER_LIMIT);
    }
    String value = null;
    try (BufferedReader r = new BufferedReader(new java.io.StringReader(
        new String(head, StandardCharsets.ISO_8859_1)))) {
      for (String line = r.readLine(); line != null && !line.isEmpty(); line = r.readLine()) {
        if (value != null && (line.startsWith(" ") || line.startsWith("\t"))) {
          value += line.trim();
        } else if (value != null) {
          break;
        } else if (line.regionMatches(true, 0, "Message-ID:", 0, 11)) {
          value = line.substring(11).trim();
        }
      }
    }
    if (value == null) {
      return null;
    }
    int lt = value.indexOf('<');
    int gt = value.indexOf('>', lt + 1);
    return lt >= 0 && gt > lt ? value.substring(lt, gt + 1) : null;
  }
}
