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
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * The per-account reports of migration runs: {@code $MAILOPS_HOME/migrate/reports/RUN/LINE.json},
 * RUN being the job instance id (a restart adds to its run), one file per account with a row per
 * folder — what {@code mailops migrate report} prints as CSV or JSON.
 */
public final class MigrationReports {

  private static final JsonMapper JSON = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

  private final Path root;

  public MigrationReports(Path home) {
    this.root = home.resolve("migrate/reports");
  }

  /** Writes the report of one account of run {@code run}. */
  void write(long run, MigrationAccount account, AccountReport r, VerifyReport verify) throws IOException {
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
    Path dir = Files.createDirectories(root.resolve(String.valueOf(run)));
    Path tmp = dir.resolve(account.line() + ".json.tmp");
    Files.write(tmp, JSON.writeValueAsBytes(m));
    Files.move(tmp, dir.resolve(account.line() + ".json"), StandardCopyOption.REPLACE_EXISTING,
        StandardCopyOption.ATOMIC_MOVE);
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
        out.add(JSON.readTree(Files.readString(p)));
      }
    }
    return out;
  }

  private static int line(Path p) {
    String n = p.getFileName().toString();
    return Integer.parseInt(n.substring(0, n.indexOf('.')));
  }
}
