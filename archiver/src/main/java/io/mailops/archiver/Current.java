package io.mailops.archiver;

import io.mailops.archiver.index.ArchiveIndex;
import io.mailops.storage.crypto.DecryptionException;
import io.mailops.storage.crypto.SegmentedCipher;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The current database: blobs, the journal (records, locations, chain) and the index with its
 * state file, held in memory as maps rebuilt from the journal on open. Used by one thread at a
 * time, but for {@link #knownIds} and {@link #wholeBlobs}, which ingest workers read.
 */
final class Current {

  static final String STATE = "index.state";

  final Path dir;
  final Path tmp;
  final BlobStore blobs;
  final Journal journal;
  private final SegmentedCipher cipher;
  /** Current messages by id, in chain order. */
  final LinkedHashMap<String, MessageRecord> records = new LinkedHashMap<>();
  /** Every location ingested (also of sealed messages) → message id. */
  final Map<String, String> locations = new HashMap<>();
  /** Ids of every message ingested, current or sealed (read by ingest workers too). */
  final Set<String> knownIds = ConcurrentHashMap.newKeySet();
  /**
   * Blobs known whole on disk: those the journal's current messages refer to, and those this
   * process wrote (read by ingest workers too). Another blob file may be a leftover of a crash,
   * torn by a power loss, and is rewritten before a message refers to it.
   */
  final Set<String> wholeBlobs = ConcurrentHashMap.newKeySet();
  long baseSeq;
  String baseHash = Digests.GENESIS;
  long lastSeq;
  String lastHash = Digests.GENESIS;
  String damage = "";
  ArchiveIndex index;
  private final FileHashes hashes = new FileHashes();
  IndexState state = IndexState.EMPTY;

  Current(Path dir, Path tmp, Keys keys) {
    this.dir = dir;
    this.tmp = tmp;
    this.cipher = keys.current();
    this.blobs = new BlobStore(dir.resolve("blobs"), tmp, cipher, keys);
    this.journal = new Journal(dir.resolve("journal"), cipher);
  }

  Path indexDir() {
    return dir.resolve("index");
  }

  /** Reads the journal; cuts a torn tail when {@code writable}. */
  void load(boolean writable) throws IOException {
    Journal.Contents c = journal.read();
    damage = c.damage();
    if (writable && damage.isEmpty() && c.validLength() < c.fileLength()) {
      journal.truncate(c.validLength());
    }
    for (JournalEntry e : c.entries()) {
      switch (e.type()) {
        case JournalEntry.BASE -> {
          baseSeq = e.seq();
          baseHash = e.hash();
          lastSeq = e.seq();
          lastHash = e.hash();
        }
        case JournalEntry.MESSAGE -> {
          MessageRecord r = e.record();
          records.put(r.id(), r);
          locations.put(e.location(), r.id());
          knownIds.add(r.id());
          wholeBlobs.addAll(referenced(List.of(r)));
          lastSeq = r.seq();
          lastHash = r.hash();
        }
        case JournalEntry.LOCATION -> {
          locations.put(e.location(), e.id());
          knownIds.add(e.id());
        }
        default -> damage = journal + " holds an entry of unknown type " + e.type();
      }
    }
    state = readState();
  }

  IndexState readState() throws IOException {
    Path f = dir.resolve(STATE);
    if (!Files.exists(f)) {
      return IndexState.EMPTY;
    }
    try {
      byte[] json = cipher.open(Files.readAllBytes(f), SegmentedCipher.aad(STATE), f.toString());
      return Json.read(json, IndexState.class, f.toString());
    } catch (DecryptionException e) {
      throw new ArchiveException(e.getMessage() + "; run mailops archive verify", e);
    }
  }

  /** Commits the index and records the new state (indexed position, chain head, file hashes). */
  void commitIndex() throws IOException {
    commitIndex(lastSeq, lastHash);
  }

  /**
   * Commits the index, which holds the messages up to chain position {@code seq} (whose hash is
   * {@code hash}), and records that state. Ingest calls it from its index thread while the
   * calling thread goes on with later messages.
   */
  void commitIndex(long seq, String hash) throws IOException {
    index.commit();
    state = new IndexState(seq, seq, hash, hashes.of(indexDir()));
    BlobStore.writeAtomically(tmp, dir.resolve(STATE),
        cipher.seal(Json.write(state), SegmentedCipher.aad(STATE)));
  }

  /** SHA-256 of every regular file under {@code dir} but Lucene's {@code write.lock}. */
  static Map<String, String> hashFiles(Path dir) throws IOException {
    return new FileHashes().of(dir);
  }

  /** The exact bytes the archive gives back for {@code r} (from this database's blobs). */
  byte[] assemble(MessageRecord r) throws IOException {
    return assemble(r, blobs::get);
  }

  /** Reads one blob by id. */
  @FunctionalInterface
  interface BlobSource {
    byte[] get(String id) throws IOException;
  }

  static byte[] assemble(MessageRecord r, BlobSource source) throws IOException {
    byte[] skeleton = source.get(r.skeleton());
    ByteArrayOutputStream out = new ByteArrayOutputStream((int) Math.min(r.size() + 1024,
        Integer.MAX_VALUE - 16));
    int pos = 0;
    for (MessageRecord.Part p : r.parts()) {
      if (p.offset() < pos || p.offset() > skeleton.length) {
        throw new ArchiveException("the record of message " + r.id() + " places an attachment"
            + " outside its skeleton; run mailops archive verify --deep");
      }
      out.write(skeleton, pos, (int) p.offset() - pos);
      byte[] body = source.get(p.blob());
      if (body.length != p.length()) {
        throw new ArchiveException("attachment blob " + p.blob() + " of message " + r.id()
            + " has " + body.length + " bytes, the record says " + p.length()
            + "; run mailops archive verify --deep");
      }
      out.write(body);
      pos = (int) p.offset();
    }
    out.write(skeleton, pos, skeleton.length - pos);
    return out.toByteArray();
  }

  /** Blob ids the records reference. */
  static Set<String> referenced(Collection<MessageRecord> rs) {
    Set<String> ids = new HashSet<>();
    for (MessageRecord r : rs) {
      ids.add(r.skeleton());
      for (MessageRecord.Part p : r.parts()) {
        ids.add(p.blob());
      }
    }
    return ids;
  }

  /**
   * Drops the messages up to chain position {@code seq} (now in a volume whose head is {@code
   * hash}): the journal is rewritten starting from a base entry and keeping every location, the
   * index loses them, and blobs no longer referenced are deleted. Safe to repeat after a crash.
   */
  void dropSealed(long seq, String hash) throws IOException {
    List<MessageRecord> gone = new ArrayList<>();
    List<MessageRecord> kept = new ArrayList<>();
    for (MessageRecord r : records.values()) {
      (r.seq() <= seq ? gone : kept).add(r);
    }
    Map<String, List<String>> byId = new LinkedHashMap<>();
    for (Map.Entry<String, String> l : new TreeMap<>(locations).entrySet()) {
      byId.computeIfAbsent(l.getValue(), k -> new ArrayList<>()).add(l.getKey());
    }
    List<JournalEntry> entries = new ArrayList<>();
    entries.add(JournalEntry.base(seq, hash));
    Set<String> keptIds = new HashSet<>();
    kept.forEach(r -> keptIds.add(r.id()));
    byId.forEach((id, locs) -> {
      if (!keptIds.contains(id)) {
        locs.forEach(l -> entries.add(JournalEntry.location(l, id)));
      }
    });
    for (MessageRecord r : kept) {
      entries.add(JournalEntry.message(r, r.source()));
      for (String l : byId.getOrDefault(r.id(), List.of())) {
        if (!l.equals(r.source())) {
          entries.add(JournalEntry.location(l, r.id()));
        }
      }
    }
    journal.rewrite(entries, tmp);
    gone.forEach(r -> records.remove(r.id()));
    baseSeq = seq;
    baseHash = hash;
    index.delete(gone.stream().map(MessageRecord::id).toList());
    commitIndex();
    Set<String> keep = referenced(records.values());
    wholeBlobs.retainAll(keep);
    for (String id : blobs.ids()) {
      if (!keep.contains(id)) {
        blobs.delete(id);
      }
    }
  }
}
