package io.mailops.archiver;

import io.mailops.archiver.index.ArchiveIndex;
import io.mailops.storage.crypto.SegmentedCipher;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Writes one volume file from a run of current messages: their blobs re-encrypted under a new
 * volume key, their records, an index built for them alone, and the manifest with their chain
 * segment. The file is written under {@code tmp/}, forced and renamed into {@code volumes/}; the
 * caller then records it in archive.json and drops the messages from the current database.
 */
final class VolumeSealer {

  private final Path dir;
  private final Keys keys;
  private final ArchiveFile file;
  private final Current current;
  private final ArchiveOptions options;

  VolumeSealer(Path dir, Keys keys, ArchiveFile file, Current current, ArchiveOptions options) {
    this.dir = dir;
    this.keys = keys;
    this.file = file;
    this.current = current;
    this.options = options;
  }

  ArchiveFile.VolumeEntry seal(List<MessageRecord> batch) throws IOException {
    String id = String.format("V%06d", file.volumes().size() + 1);
    Path tmp = dir.resolve("tmp");
    Path indexDir = tmp.resolve("index-" + id);
    Archive.deleteTree(indexDir);
    List<VolumeManifest.Message> messages = new ArrayList<>();
    try (ArchiveIndex index = options.indexes().open(indexDir)) {
      for (MessageRecord r : batch) {
        byte[] raw = current.assemble(r);
        index.add(options.parser().parse(r.id(), raw, r.source(), r.archivedAt()));
        messages.add(new VolumeManifest.Message(r.id(), r.seq(), r.digest(), r.hash()));
      }
      index.commit();
    }
    byte[] dataKey = Keys.newDataKey();
    SegmentedCipher cipher = Keys.cipher(dataKey, file.segmentSize());
    VolumeHeader header = new VolumeHeader(1, id, file.kdf(), file.salt(), file.memoryKiB(),
        file.iterations(), file.parallelism(), file.segmentSize(),
        Keys.wrap(keys.master(), "volume " + id, dataKey));
    Arrays.fill(dataKey, (byte) 0);
    Path part = tmp.resolve(id + ".vol.part");
    Files.deleteIfExists(part);
    MessageRecord first = batch.get(0);
    MessageRecord last = batch.get(batch.size() - 1);
    List<VolumeManifest.IndexFile> indexFiles = new ArrayList<>();
    try (VolumeFile.Writer w = new VolumeFile.Writer(part, header, cipher)) {
      Set<String> blobs = new LinkedHashSet<>();
      for (MessageRecord r : batch) {
        blobs.add(r.skeleton());
        r.parts().forEach(p -> blobs.add(p.blob()));
      }
      for (String b : blobs) {
        w.add(VolumeFile.BLOB + b, BlobStore.compress(current.blobs.get(b)));
      }
      w.add(VolumeFile.RECORDS, Json.write(batch));
      for (Map.Entry<String, String> f : Current.hashFiles(indexDir).entrySet()) {
        w.add(VolumeFile.INDEX + f.getKey(), Files.readAllBytes(indexDir.resolve(f.getKey())));
        indexFiles.add(new VolumeManifest.IndexFile(f.getKey(), f.getValue()));
      }
      w.finish(new VolumeManifest(1, id, w.headerSha256(), first.archivedAt(),
          last.archivedAt(), batch.size(), first.seq(), last.seq(), first.prev(), last.hash(),
          messages, w.entries(), indexFiles));
    }
    try (FileChannel ch = FileChannel.open(part, StandardOpenOption.WRITE)) {
      ch.force(true);
    }
    Archive.deleteTree(indexDir);
    Path target = dir.resolve("volumes").resolve(id + ".vol");
    Files.createDirectories(target.getParent());
    Files.move(part, target, StandardCopyOption.ATOMIC_MOVE,
        StandardCopyOption.REPLACE_EXISTING);
    return new ArchiveFile.VolumeEntry(id, first.archivedAt(), last.archivedAt(), batch.size(),
        Files.size(target), first.seq(), last.seq(), first.prev(), last.hash(), sha256(target));
  }

  static String sha256(Path p) throws IOException {
    MessageDigest md = Digests.sha256();
    try (var in = Files.newInputStream(p)) {
      byte[] buf = new byte[1 << 16];
      int n;
      while ((n = in.read(buf)) > 0) {
        md.update(buf, 0, n);
      }
    }
    return HexFormat.of().formatHex(md.digest());
  }
}
