package io.mailops.backup;

import com.github.luben.zstd.util.Native;
import io.mailops.storage.MailStore;
import io.mailops.storage.MailStoreException;
import io.mailops.storage.PathGuard;
import io.mailops.storage.crypto.SegmentedCipher;
import io.mailops.storage.maildir.MaildirStore;
import io.mailops.storage.maildir.Ownership;
import io.mailops.storage.model.AccountId;
import io.mailops.storage.model.Flag;
import io.mailops.storage.model.Flags;
import io.mailops.storage.model.FolderPath;
import io.mailops.storage.model.MessageRef;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Restores a domain, an account, a folder or one message from a set (whose manifests hold the
 * whole chain's state) into a {@link MailStore}. Messages are appended with their flags,
 * keywords and internal date, so they get fresh unique names; one already present in the target
 * folder with the same SHA-256 is left out, so a re-run creates no duplicates. Each message is
 * read from its own zstd frame — a bounded byte range. Dovecot control files are restored only
 * into an account that has no messages yet, and only into a {@link MaildirStore}. An encrypted
 * set needs its {@link #password(char[])}; a {@link #dryRun(boolean) dry run} counts without
 * changing the target store. Used by one thread at a time; the caller closes the store.
 */
public final class Restore {

  private final BackupTarget source;
  private final MailStore into;
  private final Path work;
  private SetKey.Cache keys;
  private boolean dryRun;

  /** @param work a local scratch directory for one message at a time */
  public Restore(BackupTarget source, MailStore into, Path work) {
    this.source = source;
    this.into = into;
    this.work = work;
  }

  /**
   * Does now what the first restore of a process would do between its downloads: builds the
   * manifest readers ({@link ManifestCodec#warmUp}) and loads the zstd library. For a caller
   * that waits for something else meanwhile, e.g. a connection being opened (ADR 0029).
   */
  public static void warmUp() {
    ManifestCodec.warmUp();
    try {
      Native.load();
    } catch (UnsatisfiedLinkError e) {
      // reported by the first read of a tar, which needs it
    }
  }

  /**
   * The password of encrypted sets (copied; {@code null}: none, the default); its key is derived
   * once per salt, also across runs. Returns {@code this}.
   */
  public Restore password(char[] password) {
    this.keys = password == null ? null : new SetKey.Cache(password);
    return this;
  }

  /**
   * With {@code true}, {@link #run} counts exactly what it would restore, leave out as duplicate
   * and which control files it would write, without creating folders, appending messages or
   * writing control files (message bytes are not read). Returns {@code this}.
   */
  public Restore dryRun(boolean dryRun) {
    this.dryRun = dryRun;
    return this;
  }

  /**
   * Restores {@code scope} from set {@code setOrLatest} (a set id or {@code latest}).
   *
   * @param setOrLatest a set id, {@code latest}, a UTC date or an instant (see {@link
   *     BackupSets#resolve})
   * @throws BackupException naming the set or file if it is missing or damaged, or a tar entry
   *     name is unsafe, or the set is encrypted and the password is missing or wrong
   */
  public RestoreResult run(String setOrLatest, Scope scope) throws IOException {
    // the folder manifests a backup from this host cached (same work directory) are not
    // downloaded again when they have the size and SHA-256 the set manifest names (ADR 0037)
    BackupSets sets = new BackupSets(source).keys(keys)
        .manifestCache(work.resolve(Backup.MANIFEST_CACHE));
    SetId id = sets.resolve(setOrLatest);
    SetManifest set = sets.manifest(id);
    // an encrypted set without (the right) password fails here. Every file the set refers to lies
    // on its chain, which has one encryption (§9): this key opens them all, and a one-message
    // restore reads no set manifest of the earlier sets holding its bytes (ADR 0024)
    SetKey key = sets.key(id.toString());
    Map<AccountId, List<FolderEntry>> byAccount = new LinkedHashMap<>();
    // each account's id parsed once, a folder's path only in a covered account: a set lists every
    // folder (457 in the bench's), a one-folder restore needs one (ADR 0037)
    Map<String, AccountId> ids = new HashMap<>();
    for (FolderEntry f : set.folders()) {
      AccountId a = ids.computeIfAbsent(f.account(), AccountId::of);
      if (scope.coversAccount(a) && scope.covers(a, FolderPath.of(f.folder()))) {
        byAccount.computeIfAbsent(a, k -> new ArrayList<>()).add(f);
      }
    }
    if (byAccount.isEmpty()) {
      throw new BackupException("set " + id + " holds nothing of scope " + scope
          + " (set scope " + set.scope() + "); pick another set or scope");
    }
    int[] counts = new int[3];
    List<String> skipped = new ArrayList<>();
    Path spool = Files.createTempFile(work, "restore", ".eml");
    try {
      for (Map.Entry<AccountId, List<FolderEntry>> e : byAccount.entrySet()) {
        AccountId account = e.getKey();
        boolean empty = scope.message() == null && isEmpty(account);
        for (FolderEntry f : e.getValue()) {
          FolderManifest fm = sets.folder(id.toString(), f);
          FolderPath folder = FolderPath.of(fm.folder());
          if (!dryRun) {
            into.createFolder(account, folder);
          }
          if (empty) {
            counts[2] += controlFiles(key, f, fm, account, folder);
          }
          restoreFolder(account, folder, fm, scope, key, spool, counts);
        }
      }
    } finally {
      Files.deleteIfExists(spool);
    }
    if (scope.message() != null && counts[0] + counts[1] == 0) {
      throw new BackupException("message " + scope.message() + " is not in set " + id
          + " under " + scope.account() + "/" + scope.folder() + "; check the base name or Message-ID");
    }
    return new RestoreResult(counts[0], counts[1], counts[2], skipped);
  }

  private void restoreFolder(AccountId account, FolderPath folder, FolderManifest fm,
      Scope scope, SetKey key, Path spool, int[] counts) throws IOException {
    Set<String> present = null;
    for (Map.Entry<String, MessageEntry> m : fm.messages().entrySet()) {
      MessageEntry me = m.getValue();
      if (!scope.selects(m.getKey(), me.messageId())) {
        continue;
      }
      if (present == null) {
        present = presentHashes(account, folder);
      }
      if (present.contains(me.sha256())) {
        counts[1]++;
        continue;
      }
      if (dryRun) {
        present.add(me.sha256());
        counts[0]++;
        continue;
      }
      String sha;
      try (OutputStream out = Files.newOutputStream(spool)) {
        sha = TarFrames.copyEntry(source, me.location(), out, key);
      }
      if (!sha.equals(me.sha256()) || Files.size(spool) != me.size()) {
        throw new BackupException("message " + m.getKey() + " in " + me.location().file()
            + " does not match its SHA-256 in the manifest; the set is damaged, run 'backup verify --deep'");
      }
      EnumSet<Flag> system = EnumSet.noneOf(Flag.class);
      for (String f : me.flags()) {
        system.add(Flag.ofImapName(f).orElseThrow(() -> new BackupException("manifest of "
            + account + "/" + folder + " has unknown flag '" + f + "' on " + m.getKey())));
      }
      try (InputStream in = Files.newInputStream(spool)) {
        into.append(account, folder, in, new Flags(system, new TreeSet<>(me.keywords())),
            Instant.parse(me.internalDate()));
      }
      present.add(sha);
      counts[0]++;
    }
  }

  /** SHA-256 of every message already in the target folder. */
  private Set<String> presentHashes(AccountId account, FolderPath folder) throws IOException {
    Set<String> out = new HashSet<>();
    if (dryRun && (!into.accounts().contains(account) || !into.folders(account).contains(folder))) {
      return out; // a real run would have created the folder empty
    }
    for (MessageRef ref : into.scan(account, folder).messages()) {
      MessageDigest sha = TarFrames.sha256();
      try (InputStream in = new DigestInputStream(into.open(account, ref), sha)) {
        in.transferTo(OutputStream.nullOutputStream());
      }
      out.add(HexFormat.of().formatHex(sha.digest()));
    }
    return out;
  }

  /** Whether the account is absent from the target or has no message in any folder. */
  private boolean isEmpty(AccountId account) throws IOException {
    if (!into.accounts().contains(account)) {
      return true;
    }
    for (FolderPath f : into.folders(account)) {
      if (!into.scan(account, f).messages().isEmpty()) {
        return false;
      }
    }
    return true;
  }

  private int controlFiles(SetKey key, FolderEntry f, FolderManifest fm, AccountId account,
      FolderPath folder) throws IOException {
    if (!(into instanceof MaildirStore maildir) || fm.controlFiles().isEmpty()) {
      return 0;
    }
    Path dir = maildir.folderDir(account, folder);
    int n = 0;
    for (ControlFile c : fm.controlFiles()) {
      Path dest;
      try {
        dest = PathGuard.resolveInside(dir, c.name(), "control file of " + account + "/" + folder);
      } catch (MailStoreException e) {
        throw new BackupException(e.getMessage(), e);
      }
      if (Files.exists(dest)) {
        continue;
      }
      if (dryRun) {
        n++;
        continue;
      }
      String name = c.storedName(fm, f.dir());
      Path tmp = Files.createTempFile(work, "control", ".tmp");
      try {
        try (InputStream in = source.open(name, 0, -1)) {
          Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
        }
        if (Files.size(tmp) != c.size() || !Backup.sha(tmp).equals(c.sha256())) {
          throw new BackupException("control file " + name
              + " does not match its manifest; the set is damaged, run 'backup verify'");
        }
        if (key != null) {
          byte[] stored = Files.readAllBytes(tmp);
          Files.write(tmp, key.open(stored, SegmentedCipher.aad(name), name));
        }
        Files.copy(tmp, dest);
        // Dovecot runs as the mail user: a control file it cannot read makes the folder unusable
        Ownership.of(dir).applyToFile(dest);
        n++;
      } finally {
        Files.deleteIfExists(tmp);
      }
    }
    return n;
  }
}
