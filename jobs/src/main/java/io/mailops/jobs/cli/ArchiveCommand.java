package io.mailops.jobs.cli;

import io.mailops.archiver.Archive;
import io.mailops.archiver.VerifyReport;
import io.mailops.archiver.VolumeInfo;
import io.mailops.jobs.config.MailOpsSettings;
import java.io.IOException;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code mailops archive …}: the encrypted, tamper-evident mail archive. The bigger commands are
 * classes of their own; seal, volumes, restore-volume, reset-search and verify are methods here.
 */
@Command(name = "archive", mixinStandardHelpOptions = true,
    description = "Encrypted, tamper-evident archive of all mail with a search index: a current"
        + " database that ingest fills, sealed volumes, and a search database restored from"
        + " volumes.")
public final class ArchiveCommand {

  @ParentCommand
  MailOpsCommand root;

  @Spec
  CommandSpec spec;

  MailOpsSettings settings() throws IOException {
    return root.settings();
  }

  /** Opens the archive the options name, asking for the password if need be. */
  Archive open(ArchiveOptions options) throws IOException {
    MailOpsSettings s = settings();
    return ArchiveSupport.open(s, options.dir(s), options.password(s, root.terminal, false));
  }

  @Command(name = "seal", mixinStandardHelpOptions = true,
      description = "Move the messages ingested before DATE (default: now) from the current"
          + " database into one sealed, encrypted volume file.")
  int seal(@Mixin ArchiveOptions options,
      @Option(names = "--before", paramLabel = "DATE",
          description = "YYYY-MM-DD (UTC midnight) or an ISO instant; default now.") String before)
      throws IOException {
    Instant cut = before == null ? Instant.now() : ArchiveSupport.instant(before, "--before");
    try (Archive a = open(options)) {
      Optional<VolumeInfo> v = a.seal(cut);
      PrintWriter out = spec.commandLine().getOut();
      if (v.isEmpty()) {
        out.println("Nothing to seal: no message in the current database was ingested before "
            + cut + ".");
      } else {
        out.println("Sealed volume " + v.get().id() + ": " + v.get().count() + " messages, "
            + ArchiveSupport.mib(v.get().bytes()) + ", ingested " + v.get().from() + " to "
            + v.get().to() + ".");
      }
    }
    return ExitCode.OK;
  }

  @Command(name = "volumes", mixinStandardHelpOptions = true,
      description = "List the sealed volumes: period, messages, size, intact/missing/corrupt,"
          + " whether restored into the search database.")
  int volumes(@Mixin ArchiveOptions options,
      @Option(names = "--json", description = "One JSON object per volume and line.") boolean json)
      throws IOException {
    PrintWriter out = spec.commandLine().getOut();
    try (Archive a = open(options)) {
      List<VolumeInfo> vs = a.volumes();
      if (json) {
        for (VolumeInfo v : vs) {
          out.println(ArchiveSupport.JSON.writeValueAsString(Map.of("id", v.id(),
              "from", v.from().toString(), "to", v.to().toString(), "count", v.count(),
              "bytes", v.bytes(), "status", v.status().name().toLowerCase(Locale.ROOT),
              "restored", v.restored())));
        }
        return ExitCode.OK;
      }
      Table t = new Table("VOLUME", "FROM", "TO", "MESSAGES", "SIZE", "STATUS", "RESTORED");
      for (VolumeInfo v : vs) {
        t.row(v.id(), v.from().toString(), v.to().toString(), String.valueOf(v.count()),
            ArchiveSupport.mib(v.bytes()), v.status().name().toLowerCase(Locale.ROOT),
            v.restored() ? "yes" : "no");
      }
      if (vs.isEmpty()) {
        out.println("No sealed volumes yet (mailops archive seal makes one).");
      } else {
        t.print(out);
      }
      boolean bad = vs.stream().anyMatch(v -> v.status() != VolumeInfo.Status.INTACT);
      return bad ? ExitCode.FAILED : ExitCode.OK;
    }
  }

  @Command(name = "restore-volume", mixinStandardHelpOptions = true,
      description = "Load sealed volumes (their messages and index) into the search database.")
  int restoreVolume(@Mixin ArchiveOptions options,
      @Parameters(arity = "1..*", paramLabel = "VOLUME") List<String> ids) throws IOException {
    PrintWriter out = spec.commandLine().getOut();
    try (Archive a = open(options)) {
      for (String id : ids) {
        VolumeInfo v = a.restoreVolume(id);
        out.println("Restored volume " + v.id() + " (" + v.count() + " messages) into the search"
            + " database.");
      }
    }
    return ExitCode.OK;
  }

  @Command(name = "reset-search", mixinStandardHelpOptions = true,
      description = "Empty the search database (the volumes stay as they are).")
  int resetSearch(@Mixin ArchiveOptions options) throws IOException {
    try (Archive a = open(options)) {
      a.resetSearch();
    }
    spec.commandLine().getOut().println("The search database is empty.");
    return ExitCode.OK;
  }

  @Command(name = "verify", mixinStandardHelpOptions = true,
      description = "Check the hash chain, the index files and the volumes; with --deep also"
          + " decrypt and re-hash every message. Exit 1 when anything is wrong.")
  int verify(@Mixin ArchiveOptions options,
      @Option(names = "--volume", paramLabel = "VOLUME",
          description = "Only this volume (default: the current database and every volume).")
      String volume,
      @Option(names = "--deep", description = "Decrypt and re-hash every message.") boolean deep)
      throws IOException {
    PrintWriter out = spec.commandLine().getOut();
    VerifyReport r;
    try (Archive a = open(options)) {
      r = a.verify(volume, deep);
    }
    List<String> lines = new ArrayList<>();
    for (VerifyReport.Problem p : r.problems()) {
      lines.add(p.kind().name().toLowerCase(Locale.ROOT) + " " + p.subject()
          + (p.where() == null || p.where().isBlank() ? "" : " in " + p.where())
          + (p.detail() == null || p.detail().isBlank() ? "" : ": " + p.detail()));
    }
    lines.forEach(out::println);
    out.println((r.intact() ? "Intact" : "NOT INTACT") + ": " + r.messages() + " messages, "
        + r.files() + " files checked" + (r.deep() ? " (deep)" : "") + ", " + r.problems().size()
        + " problems.");
    return r.intact() ? ExitCode.OK : ExitCode.FAILED;
  }
}
