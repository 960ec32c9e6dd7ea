package io.mailops.jobs.cli;

import io.mailops.backup.Restore;
import io.mailops.backup.RestoreResult;
import io.mailops.backup.Scope;
import io.mailops.jobs.batch.backup.OpenTarget;
import io.mailops.jobs.config.MailOpsSettings;
import io.mailops.storage.MailStore;
import io.mailops.storage.MailStores;
import io.mailops.storage.PasswordSource;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code mailops backup restore [SET|latest|DATE] --scope … [--message-id ID] [--into URI]
 * [--dry-run]}. Runs directly, not as a batch job: a restore skips what the target folder already
 * holds (same SHA-256), so running it again is its restart.
 */
@Command(name = "restore", mixinStandardHelpOptions = true,
    description = {"Restore a domain, an account, a folder or one message from a set (the chain of"
        + " full + incrementals up to it) into the mail store: fresh Maildir names, flags,"
        + " keywords and dates kept, owner and mode of the target folder. Messages the target"
        + " folder already holds (same SHA-256) are skipped, so a re-run creates no duplicates."
        + " Dovecot control files are restored only into an empty account.",
        "Exit 0 done, 1 failed, 3 done but some items were skipped (listed)."})
public final class BackupRestoreCommand implements Callable<Integer> {

  @ParentCommand
  BackupCommand parent;

  @Spec
  CommandSpec spec;

  @Mixin
  BackupTargetOptions target;

  @Parameters(arity = "0..1", paramLabel = "SET", defaultValue = "latest",
      description = "A set id, latest (default), a date 2026-11-21 (last set of that UTC day or"
          + " before) or an instant 2026-11-21T10:00:00Z.")
  String set;

  @Option(names = "--scope", required = true, paramLabel = "SCOPE",
      description = "example.com, alice@example.com or alice@example.com/INBOX/Sub (all: everything).")
  String scope;

  @Option(names = "--message-id", paramLabel = "ID",
      description = "Only the message with this Message-ID (with or without <>); needs a folder scope.")
  String messageId;

  @Option(names = "--message", paramLabel = "BASENAME",
      description = "Only the message with this Maildir base name; needs a folder scope.")
  String baseName;

  @Option(names = "--into", paramLabel = "URI",
      description = "Store to restore into, e.g. maildir:/other/root (default: mailops.storage).")
  String into;

  @Option(names = "--dry-run", description = "Print what would be restored; change nothing.")
  boolean dryRun;

  @Override
  public Integer call() throws Exception {
    MailOpsSettings settings = parent.root.settings();
    PrintWriter out = spec.commandLine().getOut();
    Scope sc = Scope.parse(scope);
    if (messageId != null && baseName != null) {
      throw new IllegalArgumentException("give either --message-id or --message, not both");
    }
    if (messageId != null) {
      String id = messageId.trim();
      sc = sc.withMessage(id.startsWith("<") ? id : "<" + id + ">");
    } else if (baseName != null) {
      sc = sc.withMessage(baseName);
    }
    String intoUri = into != null ? into : settings.get("mailops.storage");
    String shownUri = intoUri;
    Path emptyRoot = null;
    if (intoUri.startsWith("maildir:")) {
      // --into maildir:/other/root names a new root: create it (a dry run looks at an empty one)
      String p = intoUri.substring("maildir:".length());
      p = p.indexOf('?') >= 0 ? p.substring(0, p.indexOf('?')) : p;
      Path root = Path.of(p.startsWith("//") ? p.substring(2) : p);
      if (!Files.exists(root)) {
        if (dryRun) {
          emptyRoot = Files.createTempDirectory("mailops-dry-run");
          intoUri = "maildir:" + emptyRoot + (intoUri.contains("?") ? intoUri.substring(intoUri.indexOf('?')) : "");
        } else {
          Files.createDirectories(root);
        }
      }
    }
    Path work = Path.of(settings.get("mailops.backup.work-dir", settings.home().resolve("backup/work").toString()));
    Files.createDirectories(work);
    long t0 = System.nanoTime();
    try (OpenTarget t = target.open(settings);
        MailStore store = MailStores.open(intoUri, PasswordSource.NONE)) {
      // the FTP(S) connection is opened while this thread builds the manifest readers (ADR 0029)
      t.connectAhead();
      Restore.warmUp();
      RestoreResult r = new Restore(t, store, work).password(target.encryptionPassword(settings))
          .dryRun(dryRun).run(set, sc);
      out.printf("%s %d message(s) of %s from %s into %s; %d already there (same SHA-256)%s in %.1f s%n",
          dryRun ? "Would restore" : "Restored", r.restored(), sc, set, shownUri, r.duplicates(),
          r.controlFiles() > 0 ? ", " + r.controlFiles() + " control file(s)" : "",
          (System.nanoTime() - t0) / 1e9);
      for (String s : r.skipped()) {
        out.println("  skipped " + s);
      }
      return r.skipped().isEmpty() ? ExitCode.OK : ExitCode.PARTIAL;
    } finally {
      if (emptyRoot != null) {
        Files.deleteIfExists(emptyRoot);
      }
    }
  }
}
