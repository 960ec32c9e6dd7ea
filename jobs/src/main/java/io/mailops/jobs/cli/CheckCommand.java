package io.mailops.jobs.cli;

import io.mailops.storage.MailStore;
import io.mailops.storage.check.Action;
import io.mailops.storage.check.Finding;
import io.mailops.storage.check.MaildirCheck;
import io.mailops.storage.check.MaildirRepair;
import io.mailops.storage.maildir.MaildirStore;
import io.mailops.storage.model.AccountId;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
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
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code mailops storage check [--repair]}: finds damaged Maildir files and folders, and with
 * {@code --repair} moves the offending files to a quarantine outside the store and recreates
 * missing directories. Prints every finding and every action; exit 3 while findings remain.
 */
@Command(name = "check", mixinStandardHelpOptions = true,
    description = {"Check Maildir accounts: tmp/ files untouched for 36 h, empty messages, ,S= sizes that"
        + " differ from the file, names that are no Maildir names, one base name in new/ and cur/,"
        + " dovecot-uidlist entries without a file, folders without cur/ new/ tmp/.",
        "--repair moves offending files to the quarantine directory (never deletes; of a new/ and cur/"
            + " pair with the same bytes the cur/ file stays), and creates missing directories with"
            + " their folder's owner and mode. dovecot-uidlist is never written: Dovecot drops stale"
            + " entries itself. A pair whose bytes differ is reported and both files are kept.",
        "Exit 0 when nothing (more) is wrong, 3 when findings remain."})
public final class CheckCommand implements Callable<Integer> {

  @ParentCommand
  StorageCommand parent;

  @Spec
  CommandSpec spec;

  @Mixin
  StoreOptions store;

  @Mixin
  AccountScope scope;

  @Option(names = "--repair", description = "Quarantine offending files and create missing directories.")
  boolean repair;

  @Option(names = "--quarantine", paramLabel = "DIR",
      description = "Where --repair moves files, outside the store (default: $MAILOPS_HOME/quarantine);"
          + " each run makes a subdirectory <timestamp>/<domain>/<user>/<path inside the Maildir>.")
  Path quarantine;

  @Option(names = "--json", description = "One JSON document instead of text.")
  boolean json;

  /** The clock of the 36-hour rule and of the quarantine timestamp. */
  Clock clock = Clock.systemUTC();

  @Override
  public Integer call() throws Exception {
    MailOpsCommand root = parent.root;
    if (quarantine != null && !repair) {
      throw new ParameterException(spec.commandLine(), "--quarantine only applies with --repair");
    }
    String uri = store.uri(root.settings());
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    try (MailStore s = store.open(root.settings(), root.env)) {
      if (!(s instanceof MaildirStore maildir)) {
        err.println("mailops: storage check works on Maildir stores only, and " + uri + " is not one;"
            + " run it on the mail server with --storage maildir:/path/to/vmail");
        return ExitCode.USAGE;
      }
      List<AccountId> accounts = maildir.accounts().stream()
          .filter(scope).toList();
      if (accounts.isEmpty() && scope.narrowed()) {
        err.println(scope.noMatch(uri));
        return ExitCode.FAILED;
      }
      MaildirCheck check = new MaildirCheck(maildir, clock);
      MaildirRepair fixer = repair ? MaildirRepair.into(maildir,
          quarantine != null ? quarantine : root.settings().home().resolve("quarantine"), clock) : null;
      List<Map<String, Object>> jsonFindings = new ArrayList<>();
      int found = 0;
      int resolved = 0;
      for (AccountId a : accounts) {
        for (Finding f : check.check(a)) {
          found++;
          Action act = fixer == null ? null : fixer.repair(f);
          resolved += act != null && act.outcome().resolves() ? 1 : 0;
          if (json) {
            jsonFindings.add(toJson(f, act));
          } else {
            out.println(a + " " + f.folder().map(Object::toString).orElse("-") + "  " + f);
            if (act != null) {
              out.println("  -> " + act.outcome().name().toLowerCase(Locale.ROOT) + ": " + act.detail());
            }
          }
        }
        out.flush();
      }
      int remaining = found - resolved;
      if (json) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("store", uri);
        doc.put("accounts", accounts.size());
        doc.put("repair", repair);
        doc.put("quarantine", fixer == null ? null : fixer.quarantine().toString());
        doc.put("findings", jsonFindings);
        doc.put("summary", Map.of("findings", found, "resolved", resolved, "remaining", remaining));
        out.println(JsonMapper.builder().build().writeValueAsString(doc));
      } else {
        out.println(summary(uri, accounts.size(), found, resolved, remaining, fixer));
      }
      return remaining == 0 ? ExitCode.OK : ExitCode.PARTIAL;
    }
  }

  private String summary(String uri, int accounts, int found, int resolved, int remaining, MaildirRepair fixer) {
    String head = "Checked " + accounts + " accounts of " + uri + ": ";
    if (found == 0) {
      return head + "nothing wrong.";
    }
    if (fixer == null) {
      return head + found + " findings; 'mailops storage check --repair' quarantines the files it can"
          + " and creates missing directories.";
    }
    return head + found + " findings, " + resolved + " repaired or gone, " + remaining + " remain"
        + (remaining == 0 ? "" : " (see above)") + ". Quarantine: " + fixer.quarantine();
  }

  private static Map<String, Object> toJson(Finding f, Action act) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("kind", f.kind().label());
    m.put("account", f.account().toString());
    m.put("folder", f.folder().map(Object::toString).orElse(null));
    m.put("path", f.path().toString());
    m.put("detail", f.detail());
    m.put("remedy", f.remedy().name().toLowerCase(Locale.ROOT).replace('_', '-'));
    if (act == null) {
      m.put("action", null);
    } else {
      Map<String, Object> a = new LinkedHashMap<>();
      a.put("outcome", act.outcome().name().toLowerCase(Locale.ROOT));
      a.put("target", act.target().map(Path::toString).orElse(null));
      a.put("detail", act.detail());
      m.put("action", a);
    }
    return m;
  }
}
