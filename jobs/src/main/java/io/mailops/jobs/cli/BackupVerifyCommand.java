package io.mailops.jobs.cli;

import io.mailops.backup.Verify;
import io.mailops.backup.VerifyReport;
import io.mailops.jobs.batch.backup.OpenTarget;
import io.mailops.jobs.config.MailOpsSettings;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import tools.jackson.databind.json.JsonMapper;

/** {@code mailops backup verify [SET|latest] [--deep]}. */
@Command(name = "verify", mixinStandardHelpOptions = true,
    description = {"Check a backup set on the target: manifests parse and match their SHA-256,"
        + " every tar and control file exists with its size, every message points into an existing"
        + " file of the chain. --deep also downloads and re-hashes every tar, control file and"
        + " message.", "The result is kept as SET/verify.json and shown by 'backup list'."
        + " Exit 0 when the set is good, 1 when problems were found (each names the file)."})
public final class BackupVerifyCommand implements Callable<Integer> {

  @ParentCommand
  BackupCommand parent;

  @Spec
  CommandSpec spec;

  @Mixin
  BackupTargetOptions target;

  @Parameters(arity = "0..1", paramLabel = "SET", defaultValue = "latest",
      description = "A set id from 'backup list', or latest (default).")
  String set;

  @Option(names = "--deep", description = "Download and re-hash everything.")
  boolean deep;

  @Option(names = "--json", description = "One JSON object instead of text.")
  boolean json;

  @Override
  public Integer call() throws Exception {
    MailOpsSettings settings = parent.root.settings();
    PrintWriter out = spec.commandLine().getOut();
    try (OpenTarget t = target.open(settings)) {
      long t0 = System.nanoTime();
      VerifyReport r = new Verify(t).password(target.encryptionPassword(settings)).run(set, deep);
      double secs = (System.nanoTime() - t0) / 1e9;
      new VerifyMarker(Instant.now().toString(), deep, r.ok(), r.problems().size())
          .write(t, r.set(), Path.of(settings.get("mailops.backup.work-dir",
              settings.home().resolve("backup/work").toString())));
      if (json) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("set", r.set());
        m.put("deep", r.deep());
        m.put("ok", r.ok());
        m.put("files", r.files());
        m.put("messages", r.messages());
        m.put("problems", r.problems());
        out.println(JsonMapper.builder().build().writeValueAsString(m));
      } else {
        out.printf("Set %s on %s: %s (%s check: %d files, %d messages, %.1f s)%n", r.set(), t,
            r.ok() ? "OK" : r.problems().size() + " problem(s)", deep ? "deep" : "quick", r.files(),
            r.messages(), secs);
        for (String p : r.problems()) {
          out.println("  " + p);
        }
      }
      return r.ok() ? ExitCode.OK : ExitCode.FAILED;
    }
  }
}
