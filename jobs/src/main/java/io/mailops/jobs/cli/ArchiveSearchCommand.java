package io.mailops.jobs.cli;

import io.mailops.archiver.Archive;
import io.mailops.archiver.index.ArchiveIndex.Hit;
import io.mailops.archiver.index.ArchiveIndex.Match;
import io.mailops.archiver.index.ArchiveIndex.SearchRequest;
import io.mailops.archiver.index.Criteria;
import java.io.PrintWriter;
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
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code mailops archive search}: up to 5 criteria joined by AND/OR, or a Lucene query. */
@Command(name = "search", mixinStandardHelpOptions = true,
    description = "Search the current or the search database, newest first. Fields: from, to,"
        + " cc, bcc, recipient, address, subject, body, text, date, size, message-id,"
        + " attachment, type, source; operators: contains, is, before, after, larger, smaller."
        + " Addresses match whole, by local part or by domain. Written to the audit log.")
public final class ArchiveSearchCommand implements Callable<Integer> {

  @ParentCommand
  ArchiveCommand parent;

  @Spec
  CommandSpec spec;

  @Mixin
  ArchiveOptions options;

  @Option(names = "--db", defaultValue = "current", paramLabel = "current|search",
      description = "current (what ingest filled) or search (restored volumes), default"
          + " ${DEFAULT-VALUE}.")
  String db;

  @Option(names = "--match", defaultValue = "all", paramLabel = "all|any",
      description = "all: every criterion (AND); any: at least one (OR). Default ${DEFAULT-VALUE}.")
  String match;

  @Option(names = "--where", paramLabel = "FIELD:OP:VALUE",
      description = "A criterion, at most 5, e.g. from:contains:example.com,"
          + " date:after:2026-01-01, size:larger:1M.")
  List<String> where = new ArrayList<>();

  @Option(names = "--query", paramLabel = "LUCENE",
      description = "A query in Lucene syntax, e.g. 'subject:invoice AND from:alice'.")
  String query;

  @Option(names = "--as", paramLabel = "ADDRESS",
      description = "Search as this user: only mail sent by or to the address (default: the"
          + " administrator, all mail).")
  String as;

  @Option(names = "--limit", defaultValue = "100", paramLabel = "N",
      description = "At most N hits, default ${DEFAULT-VALUE}.")
  int limit;

  @Option(names = "--json", description = "One JSON object per hit and line (JSON Lines).")
  boolean json;

  @Override
  public Integer call() throws Exception {
    if (where.isEmpty() && (query == null || query.isBlank())) {
      throw new IllegalArgumentException("give --where FIELD:OP:VALUE (up to 5) or --query");
    }
    if (limit < 1) {
      throw new IllegalArgumentException("--limit " + limit + ": give 1 or more");
    }
    Archive.Database database = switch (db.toLowerCase(Locale.ROOT)) {
      case "current" -> Archive.Database.CURRENT;
      case "search" -> Archive.Database.SEARCH;
      default -> throw new IllegalArgumentException("--db '" + db + "': use current or search");
    };
    Match m;
    try {
      m = Match.parse(match);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("--match '" + match + "': use all or any");
    }
    SearchRequest request = new SearchRequest(Criteria.parseAll(where), m, query,
        as == null ? null : as.trim().toLowerCase(Locale.ROOT), limit);
    PrintWriter out = spec.commandLine().getOut();
    try (Archive a = parent.open(options)) {
      List<Hit> hits = a.search(database, request);
      Map<String, String> details = new LinkedHashMap<>();
      details.put("db", db);
      details.put("match", m.name().toLowerCase(Locale.ROOT));
      details.put("where", String.join(" ", where));
      details.put("query", query == null ? "" : query);
      details.put("hits", String.valueOf(hits.size()));
      a.audit().record(as == null ? "admin" : as, "search", details);
      if (json) {
        for (Hit h : hits) {
          Map<String, Object> line = new LinkedHashMap<>();
          line.put("id", h.id());
          line.put("message_id", h.messageId());
          line.put("date", h.date() == null ? null : h.date().toString());
          line.put("from", String.join(", ", h.from()));
          line.put("to", h.to());
          line.put("cc", h.cc());
          line.put("subject", h.subject());
          line.put("size", h.size());
          out.println(ArchiveSupport.JSON.writeValueAsString(line));
        }
      } else if (hits.isEmpty()) {
        out.println("No messages match.");
      } else {
        Table t = new Table("ID", "DATE", "FROM", "SUBJECT", "SIZE").numeric(4);
        for (Hit h : hits) {
          t.row(h.id(), h.date() == null ? "" : h.date().toString(), String.join(", ", h.from()),
              abbreviate(h.subject(), 60), String.valueOf(h.size()));
        }
        t.print(out);
      }
    }
    return ExitCode.OK;
  }

  private static String abbreviate(String s, int max) {
    return s.length() <= max ? s : s.substring(0, max - 1) + "…";
  }
}
