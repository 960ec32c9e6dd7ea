package io.mailops.archiver;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * SHA-256 of the files of an index directory, by name relative to it, leaving out Lucene's
 * {@code write.lock}. Remembers each file's size and modification time so a file unchanged since
 * the last call (Lucene never rewrites a committed file) is not read again. Used by one thread.
 */
final class FileHashes {

  private record Seen(long size, Instant modified, String sha256) {}

  private final Map<Path, Seen> seen = new HashMap<>();

  Map<String, String> of(Path dir) throws IOException {
    Map<String, String> files = new TreeMap<>();
    if (!Files.isDirectory(dir)) {
      return files;
    }
    List<Path> all;
    try (Stream<Path> s = Files.walk(dir)) {
      all = s.filter(Files::isRegularFile).toList();
    }
    for (Path p : all) {
      String name = dir.relativize(p).toString().replace('\\', '/');
      if (name.equals("write.lock")) {
        continue;
      }
      BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class);
      Seen s = seen.get(p);
      if (s == null || s.size() != a.size() || !s.modified().equals(a.lastModifiedTime().toInstant())) {
        s = new Seen(a.size(), a.lastModifiedTime().toInstant(),
            Digests.sha256Hex(Files.readAllBytes(p)));
        seen.put(p, s);
      }
      files.put(name, s.sha256());
    }
    seen.keySet().removeIf(p -> !Files.exists(p));
    return files;
  }
}
