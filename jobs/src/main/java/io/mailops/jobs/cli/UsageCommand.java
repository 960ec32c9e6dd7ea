package io.mailops.jobs.cli;

import io.mailops.storage.MailStore;
import io.mailops.storage.Skip;
import io.mailops.storage.model.AccountId;
import io.mailops.storage.usage.StorageUsage;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Predicate;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;
import tools.jackson.databind.json.JsonMapper;

/** {@code mailops storage usage}: messages and bytes per account (and folder). */
@Command(name = "usage", mixinStandardHelpOptions = true,
    description = "Messages and bytes per account, per domain and in total (reads no message).")
public final class UsageCommand implements Callable<Integer> {

  @ParentCommand
  StorageCommand parent;

  @Spec
  CommandSpec spec;

  @Mixin
  StoreOptions store;

  @Option(names = "--domain", paramLabel = "DOMAIN", description = "Only accounts of this domain.")
  String domain;

  @Option(names = "--account", paramLabel = "USER@DOMAIN", description = "Only this account.")
  AccountId account;

  @Option(names = "--folders", description = "One row per folder as well.")
  boolean folders;

  @Option(names = "--json", description = "One JSON document instead of a table.")
  boolean json;

  @Override
  public Integer call() throws Exception {
    MailOpsCommand root = parent.root;
    Predicate<AccountId> scope = a -> (domain == null || a.domain().equalsIgnoreCase(domain))
        && (account == null || a.equals(account));
    StorageUsage.Report report;
    String uri = store.uri(root.settings());
    try (MailStore s = store.open(root.settings(), root.env)) {
      report = StorageUsage.measure(s, scope, (u, i, n) -> { });
    }
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      out.println(JsonMapper.builder().build().writeValueAsString(toJson(uri, report)));
    } else {
      print(out, uri, report, folders);
    }
    if (report.accounts().isEmpty() && (domain != null || account != null)) {
      spec.commandLine().getErr().println("mailops: no account in " + uri + " matches "
          + (account != null ? account : "domain " + domain) + "; list them with 'mailops storage usage'");
      return ExitCode.FAILED;
    }
    return report.skipped().isEmpty() ? ExitCode.OK : ExitCode.PARTIAL;
  }

  static void print(PrintWriter out, String uri, StorageUsage.Report report, boolean folders) {
    out.println("Store " + uri + ": " + report.domains() + " domains, " + report.accounts().size()
        + " accounts, " + report.messages() + " messages, " + Table.bytes(report.bytes()));
    Table t = new Table("ACCOUNT", "FOLDER", "MESSAGES", "UNSEEN", "SIZE").numeric(2, 3, 4);
    for (StorageUsage.AccountUsage a : report.accounts()) {
      long unseen = a.folders().stream().mapToLong(StorageUsage.FolderUsage::unseen).sum();
      t.row(a.account(), a.folders().size() + " folders", a.messages(), unseen, Table.bytes(a.bytes()));
      if (folders) {
        for (StorageUsage.FolderUsage f : a.folders()) {
          t.row("", f.folder(), f.messages(), f.unseen(), Table.bytes(f.bytes()));
        }
      }
    }
    t.print(out);
    if (!report.skipped().isEmpty()) {
      out.println();
      out.println("Skipped " + report.skipped().size() + " items:");
      for (Skip s : report.skipped()) {
        out.println("  " + s);
      }
    }
  }

  private static Map<String, Object> toJson(String uri, StorageUsage.Report r) {
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("store", uri);
    List<Object> accounts = new ArrayList<>();
    for (StorageUsage.AccountUsage a : r.accounts()) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("account", a.account().toString());
      m.put("domain", a.account().domain());
      m.put("messages", a.messages());
      m.put("bytes", a.bytes());
      List<Object> fs = new ArrayList<>();
      for (StorageUsage.FolderUsage f : a.folders()) {
        fs.add(Map.of("folder", f.folder().toString(), "messages", f.messages(), "bytes", f.bytes(),
            "unseen", f.unseen()));
      }
      m.put("folders", fs);
      accounts.add(m);
    }
    doc.put("accounts", accounts);
    doc.put("totals", Map.of("domains", r.domains(), "accounts", r.accounts().size(),
        "messages", r.messages(), "bytes", r.bytes()));
    doc.put("skipped", r.skipped().stream().map(s -> Map.of("subject", s.subject(), "reason", s.reason())).toList());
    return doc;
  }
}
