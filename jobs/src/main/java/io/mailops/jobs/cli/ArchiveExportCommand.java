package io.mailops.jobs.cli;

import io.mailops.archiver.Archive;
import io.mailops.archiver.ArchiveException;
import io.mailops.archiver.index.ArchiveIndex.Hit;
import io.mailops.archiver.index.ArchiveIndex.Match;
import io.mailops.archiver.index.ArchiveIndex.SearchRequest;
import io.mailops.archiver.index.Criteria;
import io.mailops.storage.MailStore;
import io.mailops.storage.MailStores;
import io.mailops.storage.PasswordSource;
import io.mailops.storage.model.Flags;
import io.mailops.storage.model.FolderPath;
import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code mailops archive export ID…|--where … --format eml|mbox --out PATH}: archived messages
 * as files, each checked against its SHA-256 on the way out.
 */
@Command(name = "export", mixinStandardHelpOptions = true,
    description = "Export archived messages, by id or by search, as one ID.eml file each in the"
        + " directory PATH (--format eml) or into the mbox file PATH (--format mbox). Every"
        + " message is checked against the SHA-256 taken at ingest. Written to the audit log.")
public final class ArchiveExportCommand implements Callable<Integer> {

  @ParentCommand
  ArchiveCommand parent;

  @Spec
  CommandSpec spec;

  @Mixin
  ArchiveOptions options;

  @Parameters(arity = "0..*", paramLabel = "ID", description = "Ids 'archive search' printed.")
  List<String> ids = new ArrayList<>();

  @Option(names = "--where", paramLabel = "FIELD:OP:VALUE",
      description = "Export what this search finds (at most 5, as in 'archive search').")
  List<String> where = new ArrayList<>();

  @Option(names = "--query", paramLabel = "LUCENE", description = "Export what this query finds.")
  String query;

  @Option(names = "--match", defaultValue = "all", paramLabel = "all|any",
      description = "How --where criteria are joined, default ${DEFAULT-VALUE}.")
  String match;

  @Option(names = "--db", defaultValue = "current", paramLabel = "current|search",
      description = "Database searched by --where/--query, default ${DEFAULT-VALUE}.")
  String db;

  @Option(names = "--limit", defaultValue = "100000", paramLabel = "N",
      description = "At most N messages from a search, default ${DEFAULT-VALUE}.")
  int limit;

  @Option(names = "--format", required = true, paramLabel = "eml|mbox",
      description = "eml: one ID.eml file per message in the directory --out; mbox: one mboxrd"
          + " file --out.")
  String format;

  @Option(names = "--out", required = true, paramLabel = "PATH",
      description = "Directory (eml) or file (mbox) to write.")
  Path out;

  @Option(names = "--as", paramLabel = "ADDRESS",
      description = "Export as this user: only mail sent by or to the address.")
  String as;

  @Override
  public Integer call() throws Exception {
    String fmt = format.toLowerCase(Locale.ROOT);
    if (!fmt.equals("eml") && !fmt.equals("mbox")) {
      throw new IllegalArgumentException("--format '" + format + "': use eml or mbox");
    }
    boolean bySearch = !where.isEmpty() || (query != null && !query.isBlank());
    if (ids.isEmpty() == !bySearch) {
      throw new IllegalArgumentException("give message ids or --where/--query, not both");
    }
    PrintWriter pw = spec.commandLine().getOut();
    try (Archive a = parent.open(options)) {
      List<String> selected = new ArrayList<>(ids);
      if (bySearch) {
        Archive.Database database = "search".equalsIgnoreCase(db) ? Archive.Database.SEARCH
            : Archive.Database.CURRENT;
        SearchRequest r = new SearchRequest(Criteria.parseAll(where), Match.parse(match), query,
            as == null ? null : as.trim().toLowerCase(Locale.ROOT), limit);
        for (Hit h : a.search(database, r)) {
          selected.add(h.id());
        }
      }
      Map<String, String> details = new LinkedHashMap<>();
      details.put("ids", String.join(" ", selected));
      details.put("format", fmt);
      details.put("out", out.toAbsolutePath().toString());
      a.audit().record(as == null ? "admin" : as, "export", details);
      int n = fmt.equals("eml") ? eml(a, selected) : mbox(a, selected);
      pw.println("Exported " + n + " messages to " + out + " (" + fmt + "), each matching its"
          + " SHA-256.");
    }
    return ExitCode.OK;
  }

  private int eml(Archive a, List<String> selected) throws Exception {
    Files.createDirectories(out);
    for (String id : selected) {
      byte[] bytes = a.message(id);
      checkScope(as, id, bytes);
      Path tmp = out.resolve("." + id + ".eml.tmp");
      Files.write(tmp, bytes);
      Files.move(tmp, out.resolve(id + ".eml"), StandardCopyOption.REPLACE_EXISTING,
          StandardCopyOption.ATOMIC_MOVE);
    }
    return selected.size();
  }

  /** Writes a new mbox file next to {@code out} and moves it over, so a re-run replaces it. */
  private int mbox(Archive a, List<String> selected) throws Exception {
    if (Files.isDirectory(out)) {
      throw new IllegalArgumentException("--out " + out + " is a directory; give a file for"
          + " --format mbox");
    }
    Path target = out.toAbsolutePath();
    Files.createDirectories(target.getParent());
    Path tmp = target.resolveSibling("." + target.getFileName() + ".tmp");
    Files.deleteIfExists(tmp);
    Files.createFile(tmp);
    try (MailStore mbox = MailStores.open("mbox:" + tmp, PasswordSource.NONE)) {
      var account = mbox.accounts().get(0);
      for (String id : selected) {
        byte[] bytes = a.message(id);
        checkScope(as, id, bytes);
        mbox.append(account, FolderPath.INBOX, new ByteArrayInputStream(bytes), Flags.NONE,
            a.record(id).date());
      }
    } catch (Exception e) {
      Files.deleteIfExists(tmp);
      throw e;
    }
    Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    return selected.size();
  }

  /** Refuses a message {@code user} neither sent nor received (null user: administrator). */
  static void checkScope(String user, String id, byte[] bytes) throws ArchiveException {
    if (user != null && !ArchiveSupport.participant(user, id, bytes)) {
      throw new ArchiveException("no message " + id + " for " + user
          + " (it was neither sent by nor to that address)");
    }
  }
}
