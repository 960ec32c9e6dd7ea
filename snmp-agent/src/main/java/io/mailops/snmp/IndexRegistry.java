package io.mailops.snmp;

import io.mailops.reporting.series.ScopeRef;
import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;

/**
 * The stable integer index of each domain and account in the SNMP tables, so that a manager's
 * history stays attached to the same row across restarts. Kept in {@code FILE}
 * ({@code scope=index} lines) when a file is given, else in memory. Thread-safe.
 */
final class IndexRegistry {

  private final Path file;
  private final Map<String, Integer> indexes = new HashMap<>();
  private final Map<String, Integer> next = new HashMap<>();

  private IndexRegistry(Path file) {
    this.file = file;
  }

  /** Loads {@code file} (missing: empty); null keeps the indexes in memory only. */
  static IndexRegistry load(Path file) throws SnmpException {
    IndexRegistry r = new IndexRegistry(file);
    if (file == null) {
      return r;
    }
    Properties p = new Properties();
    try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      p.load(in);
    } catch (NoSuchFileException e) {
      return r;
    } catch (IOException | IllegalArgumentException e) {
      throw new SnmpException("cannot read the SNMP table indexes " + file + ": " + e.getMessage()
          + "; fix or delete the file (rows get new indexes)", e);
    }
    for (String key : p.stringPropertyNames()) {
      try {
        int index = Integer.parseInt(p.getProperty(key).trim());
        ScopeRef scope = ScopeRef.parse(key);
        r.indexes.put(scope.toString(), index);
        r.next.merge(scope.kind().name(), index + 1, Math::max);
      } catch (IllegalArgumentException e) {
        throw new SnmpException("cannot read the SNMP table indexes " + file + ": bad line " + key + "="
            + p.getProperty(key) + "; fix or delete the file", e);
      }
    }
    return r;
  }

  /** The index of {@code scope}, assigning (and saving) the next free one the first time. */
  synchronized int indexOf(ScopeRef scope) throws IOException {
    Integer i = indexes.get(scope.toString());
    if (i != null) {
      return i;
    }
    int assigned = next.getOrDefault(scope.kind().name(), 1);
    next.put(scope.kind().name(), assigned + 1);
    indexes.put(scope.toString(), assigned);
    save();
    return assigned;
  }

  private void save() throws IOException {
    if (file == null) {
      return;
    }
    Properties p = new Properties();
    indexes.forEach((k, v) -> p.setProperty(k, Integer.toString(v)));
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    try (Writer w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
      p.store(w, "mailops SNMP table indexes: scope=index; keep them stable for the managers' history");
    }
    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }
}
