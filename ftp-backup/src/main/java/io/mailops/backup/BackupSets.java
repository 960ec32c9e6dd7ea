package io.mailops.backup;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * The sets on a target: list the complete ones, read their manifests. A set is complete when its
 * {@code manifest.json} exists. Used by one thread at a time.
 */
public final class BackupSets {

  /** Name of the set manifest and of every folder manifest. */
  public static final String MANIFEST = "manifest.json";
  /** Name of a folder's tar. */
  public static final String TAR = "messages.tar.zst";

  private final BackupTarget target;

  public BackupSets(BackupTarget target) {
    this.target = target;
  }

  /** The complete sets on the target, oldest first; empty when there are none. */
  public List<SetId> list() throws IOException {
    List<SetId> out = new ArrayList<>();
    for (String name : target.list("")) {
      if (SetId.isSetId(name) && target.size(name + "/" + MANIFEST).isPresent()) {
        out.add(SetId.parse(name));
      }
    }
    out.sort(null);
    return out;
  }

  /** The newest complete set for exactly {@code scope}, if any. */
  public Optional<SetId> latest(Scope scope) throws IOException {
    String label = SetId.of(java.time.Instant.EPOCH, SetId.Kind.FULL, scope).scopeLabel();
    SetId found = null;
    for (SetId id : list()) {
      if (id.scopeLabel().equals(label)) {
        found = id;
      }
    }
    return Optional.ofNullable(found);
  }

  /**
   * Resolves {@code latest} (newest set of any scope) or a set id.
   *
   * @throws BackupException if there is no such complete set
   */
  public SetId resolve(String setOrLatest) throws IOException {
    List<SetId> all = list();
    if ("latest".equals(setOrLatest)) {
      if (all.isEmpty()) {
        throw new BackupException("no complete backup set on " + target + "; run a backup first");
      }
      return all.get(all.size() - 1);
    }
    SetId id;
    try {
      id = SetId.parse(setOrLatest);
    } catch (IllegalArgumentException e) {
      throw new BackupException(e.getMessage());
    }
    if (!all.contains(id)) {
      throw new BackupException("backup set " + id + " is not on " + target
          + " or incomplete (no " + MANIFEST + "); list the sets with 'backup list'");
    }
    return id;
  }

  /** Reads the set manifest of {@code id}. */
  public SetManifest manifest(SetId id) throws IOException {
    String name = id + "/" + MANIFEST;
    return ManifestCodec.read(readAll(name), SetManifest.class, name);
  }

  /**
   * Reads a folder manifest of set {@code set} and checks it against its size and SHA-256 in the
   * set manifest.
   *
   * @throws BackupException naming the file if it is missing, damaged or does not match
   */
  public FolderManifest folder(String set, FolderEntry entry) throws IOException {
    String name = set + "/" + entry.dir() + "/" + MANIFEST;
    byte[] bytes = readAll(name);
    String sha = HexFormat.of().formatHex(TarFrames.sha256().digest(bytes));
    if (bytes.length != entry.manifestSize() || !sha.equals(entry.manifestSha256())) {
      throw new BackupException("manifest " + name + " does not match its size and SHA-256 in "
          + set + "/" + MANIFEST + "; the set is damaged, take a new full backup");
    }
    return ManifestCodec.read(bytes, FolderManifest.class, name);
  }

  byte[] readAll(String name) throws IOException {
    try (InputStream in = target.open(name, 0, -1)) {
      return in.readAllBytes();
    }
  }
}
