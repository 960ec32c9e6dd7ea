package io.mailops.archiver;

import io.mailops.archiver.VerifyReport.Kind;
import io.mailops.archiver.VerifyReport.Problem;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The checks behind {@link Archive#verify}: archive.json's volume list links up as one chain;
 * the current journal authenticates, continues the chain and reaches the head recorded at the
 * last index commit; blobs are there (and with deep, decrypt and re-hash); index files match
 * their recorded SHA-256; each volume file matches its recorded size and SHA-256, every frame its
 * manifest, its records the manifest's chain segment; restored index files match their volume.
 */
final class Verifier {

  private final Archive archive;
  private final Keys keys;
  private final ArchiveFile file;
  private final Current current;
  private final List<String> restored;
  private final String indexError;
  private final List<Problem> problems = new ArrayList<>();
  private long messages;
  private long files;

  Verifier(Archive archive, Keys keys, ArchiveFile file, Current current, List<String> restored,
      String indexError) {
    this.indexError = indexError;
    this.archive = archive;
    this.keys = keys;
    this.file = file;
    this.current = current;
    this.restored = restored;
  }

  VerifyReport verify(String volume, boolean deep) throws IOException {
    if (volume == null) {
      volumeChain();
      current(deep);
    }
    for (ArchiveFile.VolumeEntry v : file.volumes()) {
      if (volume == null || volume.equals(v.id())) {
        volume(v, deep);
      }
    }
    if (volume == null) {
      search();
    }
    return new VerifyReport(messages, files, deep, problems);
  }

  private void add(Kind kind, String subject, String where, String detail) {
    problems.add(new Problem(kind, subject, where, detail));
  }

  private void volumeChain() {
    long seq = 0;
    String hash = Digests.GENESIS;
    for (ArchiveFile.VolumeEntry v : file.volumes()) {
      if (v.firstSeq() != seq + 1 || !v.prev().equals(hash)) {
        add(Kind.STATE_CORRUPT, v.id(), v.id(), "volume " + v.id() + " does not continue the"
            + " hash chain of the volume before it (expected position " + (seq + 1) + ")");
      }
      seq = v.lastSeq();
      hash = v.head();
    }
    if (current.damage.isEmpty() && (current.baseSeq != seq || !current.baseHash.equals(hash))) {
      add(Kind.STATE_CORRUPT, "journal", "current", "the current journal does not continue from"
          + " the last sealed volume (at position " + seq + ")");
    }
  }

  private void current(boolean deep) throws IOException {
    files++;
    if (!current.damage.isEmpty()) {
      add(Kind.STATE_CORRUPT, "journal", "current", current.damage);
    }
    long expected = current.baseSeq + 1;
    String prev = current.baseHash;
    for (MessageRecord r : current.records.values()) {
      messages++;
      if (r.seq() < expected) {
        add(Kind.REORDERED, r.id(), "current", "message " + r.id() + " is at chain position "
            + r.seq() + " after position " + (expected - 1));
      } else if (r.seq() > expected) {
        add(Kind.MISSING, "seq " + expected + ".." + (r.seq() - 1), "current", (r.seq()
            - expected) + " message(s) missing from the chain before message " + r.id());
      }
      if (!r.prev().equals(prev) || !Digests.chain(r.seq(), r.id(), r.digest(), r.prev())
          .equals(r.hash())) {
        add(Kind.MODIFIED, r.id(), "current", "the chain entry of message " + r.id()
            + " does not match its neighbours");
      }
      expected = r.seq() + 1;
      prev = r.hash();
      message(r, deep);
    }
    IndexState state;
    try {
      state = current.readState();
    } catch (ArchiveException e) {
      add(Kind.STATE_CORRUPT, Current.STATE, "current", e.getMessage());
      return;
    }
    if (state.headSeq() > current.lastSeq) {
      add(Kind.MISSING, "seq " + (current.lastSeq + 1) + ".." + state.headSeq(), "current",
          (state.headSeq() - current.lastSeq) + " message(s) recorded at the last commit are no"
              + " longer in the journal");
    }
    indexFiles(current.indexDir(), state.files(), "current");
    if (current.index == null) {
      add(Kind.INDEX_FILE_CHANGED, current.indexDir().toString(), "current", indexError);
      return;
    }
    long indexed = current.index.count();
    if (indexed > current.records.size()) {
      add(Kind.ADDED, "index", "current", "the current index holds " + indexed
          + " messages, the chain " + current.records.size());
    }
  }

  private void message(MessageRecord r, boolean deep) {
    List<String> blobs = new ArrayList<>();
    blobs.add(r.skeleton());
    r.parts().forEach(p -> blobs.add(p.blob()));
    for (String b : blobs) {
      if (!current.blobs.exists(b)) {
        add(Kind.MISSING, r.id(), "current", "blob " + b + " of message " + r.id()
            + " is missing");
        return;
      }
    }
    if (!deep) {
      return;
    }
    for (String b : blobs) {
      files++;
      try {
        current.blobs.get(b);
      } catch (ArchiveException e) {
        add(Kind.BLOB_CORRUPT, b, "current", e.getMessage());
        add(Kind.MODIFIED, r.id(), "current", "message " + r.id() + " cannot be read back: blob "
            + b + " is damaged");
        return;
      }
    }
    try {
      if (!Digests.sha256Hex(current.assemble(r)).equals(r.storedDigest())) {
        add(Kind.MODIFIED, r.id(), "current", "message " + r.id() + " does not match its SHA-256");
      }
    } catch (IOException e) {
      add(Kind.MODIFIED, r.id(), "current", e.getMessage());
    }
  }

  private void indexFiles(Path dir, Map<String, String> expected, String where)
      throws IOException {
    Map<String, String> actual = Current.hashFiles(dir);
    for (Map.Entry<String, String> f : expected.entrySet()) {
      files++;
      String got = actual.get(f.getKey());
      if (got == null) {
        add(Kind.INDEX_FILE_CHANGED, dir.resolve(f.getKey()).toString(), where,
            "index file " + dir.resolve(f.getKey()) + " is missing");
      } else if (!got.equals(f.getValue())) {
        add(Kind.INDEX_FILE_CHANGED, dir.resolve(f.getKey()).toString(), where,
            "index file " + dir.resolve(f.getKey()) + " was changed since it was committed");
      }
    }
  }

  private void volume(ArchiveFile.VolumeEntry v, boolean deep) throws IOException {
    Path p = archive.volumePath(v.id());
    files++;
    if (!Files.isRegularFile(p)) {
      add(Kind.VOLUME_MISSING, p.toString(), v.id(), "volume file " + p + " is missing");
      return;
    }
    if (Files.size(p) != v.bytes() || !VolumeSealer.sha256(p).equals(v.sha256())) {
      add(Kind.VOLUME_CORRUPT, p.toString(), v.id(), "volume file " + p + " does not match the"
          + " size and SHA-256 recorded when it was sealed");
    }
    try (VolumeFile f = VolumeFile.open(p, keys.master())) {
      for (String name : f.damagedEntries()) {
        Kind kind = name.startsWith(VolumeFile.BLOB) ? Kind.BLOB_CORRUPT
            : name.startsWith(VolumeFile.INDEX) ? Kind.INDEX_FILE_CHANGED : Kind.VOLUME_CORRUPT;
        add(kind, name, v.id(), "entry " + name + " of volume file " + p + " is damaged");
      }
      VolumeManifest m = f.manifest();
      if (m.firstSeq() != v.firstSeq() || m.lastSeq() != v.lastSeq() || !m.prev().equals(v.prev())
          || !m.head().equals(v.head())) {
        add(Kind.VOLUME_CORRUPT, p.toString(), v.id(), "the chain segment in volume " + v.id()
            + " differs from the one recorded when it was sealed");
      }
      List<MessageRecord> records;
      try {
        records = f.records();
      } catch (ArchiveException e) {
        add(Kind.VOLUME_CORRUPT, VolumeFile.RECORDS, v.id(), e.getMessage());
        return;
      }
      compare(v.id(), m, records);
      if (deep) {
        for (MessageRecord r : records) {
          try {
            byte[] raw = Current.assemble(r, b -> archive.checkedBlob(f, b));
            if (!Digests.sha256Hex(raw).equals(r.storedDigest())) {
              add(Kind.MODIFIED, r.id(), v.id(), "message " + r.id() + " does not match its"
                  + " SHA-256");
            }
          } catch (IOException e) {
            add(Kind.MODIFIED, r.id(), v.id(), e.getMessage());
          }
        }
      }
    } catch (ArchiveException e) {
      add(Kind.VOLUME_CORRUPT, p.toString(), v.id(), e.getMessage());
    }
  }

  /** The records against the manifest's chain segment: by id, order, digest and chain hash. */
  private void compare(String where, VolumeManifest m, List<MessageRecord> records) {
    Map<String, VolumeManifest.Message> listed = new HashMap<>();
    List<String> order = new ArrayList<>();
    for (VolumeManifest.Message x : m.messages()) {
      listed.put(x.id(), x);
      order.add(x.id());
    }
    Set<String> seen = new HashSet<>();
    List<String> got = new ArrayList<>();
    String prev = m.prev();
    for (MessageRecord r : records) {
      messages++;
      seen.add(r.id());
      VolumeManifest.Message x = listed.get(r.id());
      if (x == null) {
        add(Kind.ADDED, r.id(), where, "message " + r.id() + " is in volume " + where
            + " but not in its manifest");
        continue;
      }
      got.add(r.id());
      if (!x.digest().equals(r.digest()) || !x.hash().equals(r.hash())
          || !Digests.chain(r.seq(), r.id(), r.digest(), r.prev()).equals(r.hash())) {
        add(Kind.MODIFIED, r.id(), where, "the record of message " + r.id()
            + " does not match its manifest entry");
      } else if (!r.prev().equals(prev)) {
        add(Kind.REORDERED, r.id(), where, "message " + r.id() + " is out of chain order");
      }
      prev = r.hash();
    }
    for (String id : order) {
      if (!seen.contains(id)) {
        add(Kind.MISSING, id, where, "message " + id + " of the manifest of volume " + where
            + " is not in it");
      }
    }
    List<String> expected = new ArrayList<>(order);
    expected.retainAll(got);
    if (!expected.equals(got) && problems.stream().noneMatch(p -> p.kind() == Kind.REORDERED)) {
      add(Kind.REORDERED, where, where, "the messages of volume " + where
          + " are not in chain order");
    }
  }

  private void search() throws IOException {
    for (String id : restored) {
      Path dir = archive.searchDir(id);
      try {
        VolumeFile f = archive.volume(id);
        Map<String, String> expected = new HashMap<>();
        f.manifest().indexFiles().forEach(x -> expected.put(x.name(), x.sha256()));
        indexFiles(dir, expected, "search");
      } catch (ArchiveException e) {
        add(Kind.VOLUME_CORRUPT, id, "search", e.getMessage());
      }
    }
  }
}
