package io.mailops.jobs.batch.migrate;

import io.mailops.migrator.AccountReport;
import io.mailops.migrator.FolderReport;
import io.mailops.migrator.MigrationAccount;
import io.mailops.migrator.VerifyReport;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The per-account reports of migration runs: {@code $MAILOPS_HOME/migrate/reports/RUN/LINE.json},
 * RUN being the job instance id (a restart adds to its run), one file per account with a row per
 * folder — what {@code mailops migrate report} prints as CSV or JSON.
 */
public final class MigrationReports {

  /** Jackson, for reading only: made on the first read, not by a run that only writes. */
  private static final class Reader {
    static final JsonMapper JSON = JsonMapper.builder().build();
  }

  private final Path root;

  public MigrationReports(Path home) {
    this.root = home.resolve("migrate/reports");
  }

  /** Writes the report of one account of run {@code run}. */
  void write(long run, MigrationAccount account, AccountReport r, VerifyReport verify) throws IOException {
    write(run, account, text(account, r, verify));
  }

  /** Writes {@code text}, the report of {@code account} made by {@link #text}, for run {@code run}. */
  void write(long run, MigrationAccount account, String text) throws IOException {
    write(run, account.line(), text);
  }

  /** Writes {@code text}, the report of the account on line {@code line}, for run {@code run}. */
  void write(long run, int line, String text) throws IOException {
    Path dir = Files.createDirectories(root.resolve(String.valueOf(run)));
    Path tmp = dir.resolve(line + ".json.tmp");
    Files.writeString(tmp, text, java.nio.charset.StandardCharsets.UTF_8);
    Files.move(tmp, dir.resolve(line + ".json"), StandardCopyOption.REPLACE_EXISTING,
        StandardCopyOption.ATOMIC_MOVE);
  }

  /** The report of one account, as {@link #write} writes it. */
  static String text(MigrationAccount account, AccountReport r, VerifyReport verify) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("line", account.line());
    m.put("source", account.source().uri());
    m.put("source_account", r.sourceAccount().toString());
    m.put("target", account.target().uri());
    m.put("target_account", r.targetAccount().toString());
    m.put("dry_run", r.dryRun());
    List<Map<String, Object>> folders = new ArrayList<>();
    for (FolderReport f : r.folders()) {
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("source_folder", f.sourceFolder().toString());
      row.put("target_folder", f.targetFolder().toString());
      row.put("source_count", f.sourceCount());
      row.put("target_count", f.targetCountAfter());
      row.put("copied", f.copied());
      row.put("duplicates", f.duplicates());
      row.put("already_done", f.alreadyDone());
      row.put("vanished", f.vanished());
      row.put("failed", f.failed());
      row.put("failures", f.failures());
      row.put("bytes", f.bytes());
      row.put("flags_updated", f.flagsUpdated());
      folders.add(row);
    }
    m.put("folders", folders);
    m.put("excluded", r.excluded().stream().map(Object::toString).toList());
    m.put("verified", verify == null ? null : verify.ok());
    m.put("verify", verify == null ? List.of() : verify.lines());
    return json(m);
  }

  /**
   * {@code value} (maps with string keys, lists, strings, numbers, booleans, null) as indented
   * JSON, as Jackson reads it back. Written by hand: building Jackson's serializers for the first
   * report of a run loaded ~600 classes and cost ~0.5 s of every {@code migrate run} (ADR 0019).
   */
  static String json(Object value) {
    StringBuilder b = new StringBuilder();
    json(b, value, 0);
    return b.append('\n').toString();
  }

  private static void json(StringBuilder b, Object v, int indent) {
    if (v == null) {
      b.append("null");
    } else if (v instanceof String s) {
      string(b, s);
    } else if (v instanceof Integer || v instanceof Long || v instanceof Boolean) {
      b.append(v);
    } else if (v instanceof Map<?, ?> m) {
      if (m.isEmpty()) {
        b.append("{ }");
        return;
      }
      b.append('{');
      String sep = "\n";
      for (Map.Entry<?, ?> e : m.entrySet()) {
        b.append(sep).append("  ".repeat(indent + 1));
        string(b, (String) e.getKey());
        b.append(" : ");
        json(b, e.getValue(), indent + 1);
        sep = ",\n";
      }
      b.append('\n').append("  ".repeat(indent)).append('}');
    } else if (v instanceof List<?> l) {
      if (l.isEmpty()) {
        b.append("[ ]");
        return;
      }
      b.append('[');
      String sep = "\n";
      for (Object o : l) {
        b.append(sep).append("  ".repeat(indent + 1));
        json(b, o, indent + 1);
        sep = ",\n";
      }
      b.append('\n').append("  ".repeat(indent)).append(']');
    } else {
      throw new IllegalArgumentException("no JSON for " + v.getClass().getName());
    }
  }

  /** A JSON string: quotes, backslashes and control characters escaped, the rest as it is. */
  private static void string(StringBuilder b, String s) {
    b.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        case '\n' -> b.append("\\n");
        case '\r' -> b.append("\\r");
        case '\t' -> b.append("\\t");
        default -> {
          if (Character.isHighSurrogate(c) && i + 1 < s.length()
              && Character.isLowSurrogate(s.charAt(i + 1))) {
            b.append(c).append(s.charAt(++i));
          } else if (c < 0x20 || Character.isSurrogate(c)) {
            b.append(String.format("\\u%04x", (int) c));
          } else {
            b.append(c);
          }
        }
      }
    }
    b.append('"');
  }

  /** The newest run with reports, or -1. */
  public long latest() throws IOException {
    if (!Files.isDirectory(root)) {
      return -1;
    }
    try (Stream<Path> s = Files.list(root)) {
      return s.map(p -> p.getFileName().toString()).filter(n -> n.matches("\\d+"))
          .mapToLong(Long::parseLong).max().orElse(-1);
    }
  }

  /** The account reports of run {@code run}, by line. */
  public List<JsonNode> read(long run) throws IOException {
    Path dir = root.resolve(String.valueOf(run));
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    List<JsonNode> out = new ArrayList<>();
    try (Stream<Path> s = Files.list(dir)) {
      for (Path p : s.filter(f -> f.toString().endsWith(".json")).sorted((a, b) -> Integer.compare(
          line(a), line(b))).toList()) {
        out.add(Reader.JSON.readTree(Files.readString(p)));
      }
    }
    return out;
  }

  private static int line(Path p) {
    String n = p.getFileName().toString();
    return Integer.parseInt(n.substring(0, n.indexOf('.')));
  }
}
