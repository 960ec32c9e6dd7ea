package io.mailops.jobs.cli;

import io.mailops.storage.MailStore;
import io.mailops.storage.maildir.MaildirLayout;
import io.mailops.storage.maildir.MaildirStore;
import io.mailops.storage.sample.SampleGenerator;
import io.mailops.storage.sample.SampleSettings;
import io.mailops.storage.usage.StorageUsage;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code mailops storage sample}: a deterministic, realistic Maildir tree, then its usage. */
@Command(name = "sample", mixinStandardHelpOptions = true,
    description = {"Create a deterministic, realistic Maildir tree (Dovecot layout {domain}/{user}/Maildir)"
        + " for demos and benchmarks, then print its usage report.",
        "An existing non-empty directory is never written to: its usage is printed instead."})
public final class SampleCommand implements Callable<Integer> {

  @ParentCommand
  StorageCommand parent;

  @Spec
  CommandSpec spec;

  @Option(names = "--out", paramLabel = "DIR", description = "Where to create it (default: $MAILOPS_HOME/sample).")
  Path out;

  @Option(names = "--domains", paramLabel = "N", description = "Domains (default ${DEFAULT-VALUE}).", defaultValue = "3")
  int domains;

  @Option(names = "--accounts", paramLabel = "N", description = "Accounts per domain (default ${DEFAULT-VALUE}).", defaultValue = "4")
  int accounts;

  @Option(names = "--messages", paramLabel = "N", description = "Messages per account (default ${DEFAULT-VALUE}).", defaultValue = "60")
  int messages;

  @Option(names = "--seed", paramLabel = "S", description = "Random seed; the same seed gives the same mail (default ${DEFAULT-VALUE}).", defaultValue = "42")
  long seed;

  @Override
  public Integer call() throws Exception {
    MailOpsCommand root = parent.root;
    Path dir = (out != null ? out : root.settings().home().resolve("sample")).toAbsolutePath().normalize();
    SampleSettings settings = new SampleSettings(domains, accounts, messages, seed);
    PrintWriter pw = spec.commandLine().getOut();
    boolean exists = false;
    if (Files.isDirectory(dir)) {
      try (Stream<Path> s = Files.list(dir)) {
        exists = s.findAny().isPresent();
      }
    } else if (Files.exists(dir)) {
      spec.commandLine().getErr().println("mailops: " + dir + " exists and is not a directory; choose another --out");
      return ExitCode.FAILED;
    }
    try (MailStore store = new MaildirStore(dir, MaildirLayout.standard(), MaildirStore.Settings.defaults())) {
      if (exists) {
        pw.println("Sample store " + dir + " already exists; nothing written (remove it to make a new one).");
      } else {
        Files.createDirectories(dir);
        long t0 = System.nanoTime();
        var report = SampleGenerator.generate(store, settings, (a, i, n) -> {
          if (root.terminal) {
            spec.commandLine().getErr().print("\rsample: account " + i + "/" + n + " " + a);
            spec.commandLine().getErr().flush();
          }
        });
        if (root.terminal) {
          spec.commandLine().getErr().println();
        }
        pw.printf("Created sample store %s: %d messages in %.1f s (seed %d)%n", dir, report.messages(),
            (System.nanoTime() - t0) / 1e9, seed);
      }
      StorageUsage.Report usage = StorageUsage.measure(store, a -> true, (u, i, n) -> { });
      pw.println();
      UsageCommand.print(pw, "maildir:" + dir, usage, StorageUsage.By.ACCOUNT,
          UsageCommand.DEFAULT_WARN_PERCENT);
      pw.println();
      pw.println("Next: mailops storage usage --storage maildir:" + dir + " --by folder");
      return usage.skipped().isEmpty() ? ExitCode.OK : ExitCode.PARTIAL;
    }
  }
}
