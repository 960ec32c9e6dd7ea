package io.mailops.archiver;

import io.mailops.archiver.index.ArchiveIndex;
import io.mailops.archiver.index.ArchiveIndex.Hit;
import io.mailops.archiver.index.ArchiveIndex.SearchRequest;
import io.mailops.storage.PathGuard;
import io.mailops.storage.crypto.DecryptionException;
import io.mailops.storage.crypto.SegmentedCipher;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The "search" database: {@code search/restored} (the restored volume ids, sealed with the
 * current data key) and {@code search/ID/}, the index files of each restored volume. Message
 * records and bytes of restored volumes are read from their volume files. Used by one thread.
 */
final class SearchDatabase {

  static final String RESTORED = "restored";

  /** Opens a volume file of the archive. */
  @FunctionalInterface
  interface Volumes {
    VolumeFile open(String id) throws IOException;
  }

  private final Path dir;
  private final Path tmp;
  private final SegmentedCipher cipher;
  private final IndexFactory indexes;
  private final Volumes volumes;
  private final Map<String, ArchiveIndex> open = new LinkedHashMap<>();
  private final Map<String, Map<String, MessageRecord>> records = new LinkedHashMap<>();
  private List<String> restored = List.of();

  SearchDatabase(Path dir, Path tmp, SegmentedCipher cipher, IndexFactory indexes,
      Volumes volumes) {
    this.dir = dir;
    this.tmp = tmp;
    this.cipher = cipher;
    this.indexes = indexes;
    this.volumes = volumes;
  }

  void load() throws IOException {
    Path f = dir.resolve(RESTORED);
    if (!Files.exists(f)) {
      restored = List.of();
      return;
    }
    try {
      byte[] json = cipher.open(Files.readAllBytes(f), SegmentedCipher.aad(RESTORED),
          f.toString());
      restored = List.of(Json.read(json, String[].class, f.toString()));
    } catch (DecryptionException e) {
      throw new ArchiveException(e.getMessage() + "; delete " + f + " and restore the volumes"
          + " again with mailops archive restore-volume", e);
    }
  }

  List<String> restored() {
    return restored;
  }

  Path indexDir(String id) {
    return dir.resolve(id);
  }

  /** Extracts the index of volume {@code f} (each file checked) and records it as restored. */
  void restore(String id, VolumeFile f) throws IOException {
    if (restored.contains(id)) {
      return;
    }
    Path target = indexDir(id);
    Path work = tmp.resolve("restore-" + id);
    Archive.deleteTree(work);
    Archive.deleteTree(target);
    Files.createDirectories(work);
    for (VolumeManifest.IndexFile x : f.manifest().indexFiles()) {
      byte[] bytes = f.entry(VolumeFile.INDEX + x.name());
      if (!Digests.sha256Hex(bytes).equals(x.sha256())) {
        throw new ArchiveException("index file " + x.name() + " of volume " + id
            + " does not match its manifest; run mailops archive verify --volume " + id);
      }
      Path out = PathGuard.resolveInside(work, x.name(), "index file in volume " + id);
      Files.createDirectories(out.getParent());
      Files.write(out, bytes);
    }
    Files.createDirectories(dir);
    Files.move(work, target, StandardCopyOption.ATOMIC_MOVE);
    List<String> now = new ArrayList<>(restored);
    now.add(id);
    write(now);
  }

  /** Forgets every restored volume and deletes their index files. */
  void reset() throws IOException {
    close();
    write(List.of());
    try (Stream<Path> s = Files.list(dir)) {
      for (Path p : s.toList()) {
        if (!p.getFileName().toString().equals(RESTORED)) {
          Archive.deleteTree(p);
        }
      }
    }
  }

  private void write(List<String> ids) throws IOException {
    Files.createDirectories(dir);
    BlobStore.writeAtomically(tmp, dir.resolve(RESTORED),
        cipher.seal(Json.write(ids), SegmentedCipher.aad(RESTORED)));
    restored = List.copyOf(ids);
  }

  /** The hits of every restored volume's index, newest first, at most {@code limit}. */
  List<Hit> search(SearchRequest request) throws IOException {
    List<Hit> all = new ArrayList<>();
    for (String id : restored) {
      ArchiveIndex idx = open.get(id);
      if (idx == null) {
        idx = indexes.open(indexDir(id));
        open.put(id, idx);
      }
      all.addAll(idx.search(request));
    }
    all.sort(Comparator.comparing(Hit::date, Comparator.nullsLast(Comparator.reverseOrder())));
    return all.size() > request.limit() ? List.copyOf(all.subList(0, request.limit())) : all;
  }

  /** The volume holding message {@code id} and its record, if a restored volume has it. */
  Optional<Map.Entry<String, MessageRecord>> find(String id) throws IOException {
    for (String v : restored) {
      Map<String, MessageRecord> byId = records.get(v);
      if (byId == null) {
        byId = new LinkedHashMap<>();
        for (MessageRecord x : volumes.open(v).records()) {
          byId.put(x.id(), x);
        }
        records.put(v, byId);
      }
      MessageRecord r = byId.get(id);
      if (r != null) {
        return Optional.of(Map.entry(v, r));
      }
    }
    return Optional.empty();
  }

  void close() throws IOException {
    records.clear();
    for (ArchiveIndex i : open.values()) {
      i.close();
    }
    open.clear();
  }
}
