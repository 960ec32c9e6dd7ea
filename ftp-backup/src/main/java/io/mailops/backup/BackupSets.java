package io.mailops.backup;

import io.mailops.storage.PathGuard;
import io.mailops.storage.crypto.SegmentedCipher;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The sets on a target: list the complete ones, read their manifests. A set is complete when its
 * {@code manifest.json} exists. The folder manifests of an encrypted set are decrypted with the
 * key from {@link #password(char[])}. Used by one thread at a time.
 */
public final class BackupSets {

  /** Name of the set manifest and of every folder manifest. */
  public static final String MANIFEST = "manifest.json";
  /** Name of a folder's tar. */
  public static final String TAR = "messages.tar.zst";

  /** Name of the file an encrypted set gets before its first folder (for resumed runs). */
  public static final String ENCRYPTION = "encryption.json";

  private final BackupTarget target;
  private final Map<String, SetManifest> manifests = new HashMap<>();
  private SetKey.Cache keys;
  /** A backup's cache of stored folder manifests to read before the target, or null. */
  private Path manifestCache;

  public BackupSets(BackupTarget target) {
    this.target = target;
  }

  /**
   * The password of encrypted sets ({@code null}: none, encrypted folder manifests cannot be
   * read); keys are derived once per salt. Returns {@code this}.
   */
  public BackupSets password(char[] password) {
    this.keys = password == null ? null : new SetKey.Cache(password);
    return this;
  }

  /** Uses the key cache of the caller (shared across runs). */
  BackupSets keys(SetKey.Cache keys) {
    this.keys = keys;
    return this;
  }

  /**
   * Reads folder manifests from {@code cache} (the {@value Backup#MANIFEST_CACHE} directory of
   * the backups' work directory, or null: none) when a file there has the size and SHA-256 the
   * set manifest names, before downloading them; the cache is only read. Returns {@code this}.
   */
  BackupSets manifestCache(Path cache) {
    this.manifestCache = cache;
    return this;
  }

  /** Whether a password was given. */
  boolean hasPassword() {
    return keys != null;
  }

  /**
   * The key of set {@code set}, or {@code null} if the set is plain.
   *
   * @throws BackupException if the set is encrypted and no password was given, or it is wrong
   */
  public SetKey key(String set) throws IOException {
    SetManifest m = manifest(SetId.parse(set));
    if (m.encryption() == null) {
      return null;
    }
    if (keys == null) {
      throw encryptedNoPassword(set);
    }
    return keys.unlock(m.encryption(), set);
  }

  /** The key of {@code set} encrypted as {@code enc}, with the password given. */
  SetKey unlock(Encryption enc, String set) throws BackupException {
    if (keys == null) {
      throw encryptedNoPassword(set);
    }
    return keys.unlock(enc, set);
  }

  static BackupException encryptedNoPassword(String set) {
    return new BackupException("backup set " + set + " is encrypted; give its password with"
        + " --encryption-password-file or MAILOPS_BACKUP_PASSWORD");
  }

  /** The complete sets on the target, oldest first; empty when there are none. */
  public List<SetId> list() throws IOException {
    List<SetId> out = new ArrayList<>();
    for (SetId id : named()) {
      if (complete(id)) {
        out.add(id);
      }
    }
    return out;
  }

  /** The newest complete set for exactly {@code scope}, if any. */
  public Optional<SetId> latest(Scope scope) throws IOException {
    String label = SetId.of(Instant.EPOCH, SetId.Kind.FULL, scope).scopeLabel();
    SetId found = null;
    for (SetId id : list()) {
      if (id.scopeLabel().equals(label)) {
        found = id;
      }
    }
    return Optional.ofNullable(found);
  }

  /**
   * Resolves {@code latest} (newest set of any scope), a set id, a UTC date {@code 2026-11-21}
   * (the newest complete set whose id time is on or before the end of that day) or an ISO
   * instant {@code 2026-11-21T10:00:00Z} (the newest at or before it).
   *
   * @throws BackupException if there is no such complete set
   */
  public SetId resolve(String setOrLatest) throws IOException {
    // newest first, and only as many "is it complete?" checks (one SIZE each over FTP) as it
    // takes to find the set: a restore of one message should not stat every set (ADR 0024)
    if ("latest".equals(setOrLatest)) {
      for (SetId id : newestFirst()) {
        if (complete(id)) {
          return id;
        }
      }
      throw new BackupException("no complete backup set on " + target + "; run a backup first");
    }
    if (setOrLatest != null && !SetId.isSetId(setOrLatest)) {
      Instant end = null;
      boolean inclusive = false;
      try {
        end = LocalDate.parse(setOrLatest).plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant();
      } catch (DateTimeParseException notDate) {
        try {
          end = Instant.parse(setOrLatest);
          inclusive = true;
        } catch (DateTimeParseException notInstant) {
          // neither: reported by SetId.parse below
        }
      }
      if (end != null) {
        for (SetId id : newestFirst()) {
          int c = id.time().compareTo(end);
          if ((c < 0 || (inclusive && c == 0)) && complete(id)) {
            return id;
          }
        }
        throw new BackupException("no complete backup set on " + target + " created "
            + (inclusive ? "at or before " : "on or before ") + setOrLatest
            + " (UTC); list the sets with 'backup list'");
      }
    }
    SetId id;
    try {
      id = SetId.parse(setOrLatest);
    } catch (IllegalArgumentException e) {
      throw new BackupException(e.getMessage());
    }
    if (!complete(id)) {
      throw new BackupException("backup set " + id + " is not on " + target
          + " or incomplete (no " + MANIFEST + "); list the sets with 'backup list'");
    }
    return id;
  }

  /** The set directories on the target, complete or not, oldest first. */
  private List<SetId> named() throws IOException {
    List<SetId> out = new ArrayList<>();
    for (String name : target.list("")) {
      if (SetId.isSetId(name)) {
        out.add(SetId.parse(name));
      }
    }
    out.sort(null);
    return out;
  }

  private List<SetId> newestFirst() throws IOException {
    List<SetId> named = named();
    Collections.reverse(named);
    return named;
  }

  /** Whether set {@code id} is complete (its set manifest exists). */
  private boolean complete(SetId id) throws IOException {
    return manifests.containsKey(id.toString())
        || target.size(id + "/" + MANIFEST).isPresent();
  }

  /** Reads the set manifest of {@code id}. */
  public SetManifest manifest(SetId id) throws IOException {
    SetManifest m = manifests.get(id.toString());
    if (m == null) {
      String name = id + "/" + MANIFEST;
      m = ManifestCodec.read(readAll(name), SetManifest.class, name);
      manifests.put(id.toString(), m);
    }
    return m;
  }

  /**
   * Reads a folder manifest of set {@code set} (from the earlier set that holds it if the entry
   * refers to one, {@link FolderEntry#manifestName}), checks its stored bytes against their size and
   * SHA-256 in the set manifest and decrypts it if the set is encrypted.
   *
   * @throws BackupException naming the file if it is missing, damaged or does not match, or the
   *     set is encrypted and the password is missing or wrong
   */
  public FolderManifest folder(String set, FolderEntry entry) throws IOException {
    String name = entry.manifestName(set);
    byte[] bytes = stored(name, entry.manifestSize(), entry.manifestSha256(), set);
    // the holder and the base lie on set's chain, and a chain has one encryption (an incremental
    // takes its parent's unchanged, §9): set's key opens them without reading their set manifests
    SetKey key = key(set);
    if (entry.deltaBase() == null) {
      return open(bytes, name, key, FolderManifest.class);
    }
    FolderDelta delta = open(bytes, name, key, FolderDelta.class);
    String baseName = entry.deltaBaseName();
    byte[] base = stored(baseName, entry.deltaBase().size(), entry.deltaBase().sha256(), set);
    return delta.applyTo(open(base, baseName, key, FolderManifest.class),
        name);
  }

  /**
   * The stored bytes of folder manifest {@code name} with this size and SHA-256: from the
   * {@linkplain #manifestCache manifest cache} if it holds them, else downloaded and checked.
   */
  private byte[] stored(String name, long size, String sha256, String set) throws IOException {
    byte[] bytes = manifestCache == null ? null : cached(manifestCache, name, size, sha256);
    return bytes != null ? bytes : checked(readAll(name), name, size, sha256, set);
  }

  /**
   * The stored bytes of folder manifest {@code name} in the manifest cache {@code cache} (a
   * backup's, {@link Backup#trailer}) if they have that size and SHA-256: by the cache's trailer
   * (the SHA-256 checked or computed when the file was uploaded or downloaded, and the CRC32C of
   * the bytes, ADR 0032), or (a file cached by an older mailops, without one) by hashing them.
   * Null when the cache does not hold them or cannot be read.
   */
  static byte[] cached(Path cache, String name, long size, String sha256) {
    try {
      Path p = PathGuard.resolveInside(cache, name, "manifest cache");
      long have = Files.size(p);
      if (have != size && have != size + Backup.TRAILER) {
        return null;
      }
      byte[] file = Files.readAllBytes(p);
      if (file.length == size + Backup.TRAILER) {
        byte[] bytes = Arrays.copyOf(file, (int) size);
        byte[] want = Backup.trailer(bytes, sha256);
        return Arrays.equals(file, (int) size, file.length, want, 0, Backup.TRAILER) ? bytes : null;
      }
      if (file.length != size) {
        return null;
      }
      String sha = HexFormat.of().formatHex(TarFrames.sha256().digest(file));
      return sha.equals(sha256) ? file : null;
    } catch (IOException | IllegalArgumentException e) {
      return null;
    }
  }

  /**
   * {@code bytes}, the stored folder manifest {@code name}, if they have the size and SHA-256 set
   * manifest {@code set} gives for them.
   *
   * @throws BackupException naming the file if not
   */
  static byte[] checked(byte[] bytes, String name, long size, String sha256, String set)
      throws BackupException {
    String sha = HexFormat.of().formatHex(TarFrames.sha256().digest(bytes));
    if (bytes.length != size || !sha.equals(sha256)) {
      throw new BackupException("manifest " + name + " does not match its size and SHA-256 in "
          + set + "/" + MANIFEST + "; the set is damaged, take a new full backup");
    }
    return bytes;
  }

  /** Decrypts ({@code key} not {@code null}) and parses the stored folder manifest {@code name}. */
  static <T> T open(byte[] stored, String name, SetKey key, Class<T> type) throws BackupException {
    byte[] json = key == null ? stored : key.open(stored, SegmentedCipher.aad(name), name);
    return ManifestCodec.read(json, type, name);
  }

  byte[] readAll(String name) throws IOException {
    try (InputStream in = target.open(name, 0, -1)) {
      return in.readAllBytes();
    }
  }
}
