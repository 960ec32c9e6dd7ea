package io.mailops.jobs.cli;

import io.mailops.backup.BackupSets;
import io.mailops.backup.FolderEntry;
import io.mailops.backup.SetId;
import io.mailops.backup.SetManifest;
import io.mailops.jobs.batch.backup.OpenTarget;
import java.io.PrintWriter;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import tools.jackson.databind.json.JsonMapper;

/** {@code mailops backup list}: the complete sets on a target. */
@Command(name = "list", mixinStandardHelpOptions = true,
    description = "The complete backup sets on the target, oldest first: date (UTC), kind, scope,"
        + " stored size, messages, whether encrypted, and the last 'backup verify' result.")
public final class BackupListCommand implements Callable<Integer> {

  static final DateTimeFormatter DATE =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneOffset.UTC);

  @ParentCommand
  BackupCommand parent;

  @Spec
  CommandSpec spec;

  @Mixin
  BackupTargetOptions target;

  @Option(names = "--json", description = "A JSON array instead of a table.")
  boolean json;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    try (OpenTarget t = target.open(parent.root.settings())) {
      BackupSets sets = new BackupSets(t);
      List<Map<String, Object>> rows = new ArrayList<>();
      for (SetId id : sets.list()) {
        SetManifest m = sets.manifest(id);
        long size = 0;
        int messages = 0;
        for (FolderEntry f : m.folders()) {
          size += f.tarSize() + (f.manifestSet() == null ? f.manifestSize() : 0);
          messages += f.messages();
        }
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("set", id.toString());
        row.put("date", DATE.format(id.time()));
        row.put("kind", m.kind());
        row.put("scope", m.scope());
        row.put("parent", m.parent());
        row.put("size", size);
        row.put("messages", messages);
        row.put("encrypted", m.encryption() != null);
        row.put("verified", VerifyMarker.read(t, id).map(VerifyMarker::label).orElse("no"));
        rows.add(row);
      }
      if (json) {
        out.println(JsonMapper.builder().build().writeValueAsString(rows));
        return ExitCode.OK;
      }
      if (rows.isEmpty()) {
        out.println("No complete backup sets on " + t + ". Take one with 'mailops backup run'.");
        return ExitCode.OK;
      }
      Table table = new Table("SET", "DATE (UTC)", "KIND", "SCOPE", "SIZE", "MESSAGES", "ENCRYPTED",
          "VERIFIED").numeric(4, 5);
      for (Map<String, Object> r : rows) {
        table.row(r.get("set"), r.get("date"), r.get("kind"), r.get("scope"),
            Table.bytes((Long) r.get("size")), r.get("messages"),
            (Boolean) r.get("encrypted") ? "yes" : "no", r.get("verified"));
      }
      table.print(out);
      return ExitCode.OK;
    }
  }
}
