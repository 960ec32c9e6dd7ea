package io.mailops.jobs.cli;

import io.mailops.jobs.batch.migrate.MigrationReports;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** {@code mailops migrate report [RUN] --format csv|json}: per account and folder. */
@Command(name = "report", mixinStandardHelpOptions = true,
    description = "Per account and folder of a migration run (the newest by default): source"
        + " count, target count, copied, skipped as duplicate, already done, vanished, failed with"
        + " reasons, bytes, verify result.")
public final class MigrateReportCommand implements Callable<Integer> {

  static final List<String> COLUMNS = List.of("source_account", "target_account", "source_folder",
      "target_folder", "source_count", "target_count", "copied", "duplicates", "already_done",
      "vanished", "failed", "bytes", "verified", "failures");

  @ParentCommand
  MigrateCommand parent;

  @Spec
  CommandSpec spec;

  @Parameters(arity = "0..1", paramLabel = "RUN",
      description = "Job instance id of the run (see 'mailops jobs history migrate'); default the newest.")
  Long run;

  @Option(names = "--format", defaultValue = "csv", paramLabel = "csv|json",
      description = "csv (header row, one row per folder) or json (one document per account), default ${DEFAULT-VALUE}.")
  String format;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    MigrationReports reports = new MigrationReports(parent.root.settings().home());
    long r = run != null ? run : reports.latest();
    List<JsonNode> accounts = r < 0 ? List.of() : reports.read(r);
    if (accounts.isEmpty()) {
      spec.commandLine().getErr().println("mailops: no migration report" + (run != null ? " for run " + run : "")
          + " under " + parent.root.settings().home().resolve("migrate/reports")
          + "; run 'mailops migrate run' first");
      return ExitCode.FAILED;
    }
    switch (format) {
      case "json" -> out.println(JsonMapper.builder().build().writeValueAsString(accounts));
      case "csv" -> {
        try (CSVPrinter csv = new CSVPrinter(out, CSVFormat.DEFAULT.builder().setRecordSeparator("\n").get())) {
          csv.printRecord(COLUMNS);
          for (JsonNode a : accounts) {
            for (JsonNode f : a.get("folders")) {
              csv.printRecord(a.get("source_account").asString(), a.get("target_account").asString(),
                  f.get("source_folder").asString(), f.get("target_folder").asString(),
                  f.get("source_count").asInt(), f.get("target_count").asInt(), f.get("copied").asInt(),
                  f.get("duplicates").asInt(), f.get("already_done").asInt(), f.get("vanished").asInt(),
                  f.get("failed").asInt(), f.get("bytes").asLong(),
                  a.get("verified").isNull() ? "" : a.get("verified").asBoolean(),
                  String.join("; ", f.get("failures").valueStream().map(JsonNode::asString).toList()));
            }
          }
        }
      }
      default -> throw new IllegalArgumentException("--format '" + format + "': use csv or json");
    }
    return ExitCode.OK;
  }
}
