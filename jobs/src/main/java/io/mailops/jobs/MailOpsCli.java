package io.mailops.jobs;

import io.mailops.jobs.cli.MailOpsCommand;
import io.mailops.jobs.cli.RawOutput;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * The {@code mailops} command line. {@link #main} is the only place that reads the process
 * environment, touches the console and exits; everything else goes through {@link #execute}.
 */
public final class MailOpsCli {

  private MailOpsCli() {}

  public static void main(String[] args) {
    // picocli's DefaultFactory looks for Groovy's Closure class when it is first used: a class
    // that is not on the class path, so the lookup opens every jar of it (~40 ms of the main
    // thread; docs/adr/0039). Groovy closures in annotations are not used here.
    if (System.getProperty("picocli.disable.closures") == null) {
      System.setProperty("picocli.disable.closures", "true");
    }
    if (args.length == 1 && args[0].equals("--cds-training")) {
      System.exit(CdsTraining.run()); // bin/mailops, to make the class-data archive
    }
    if (args.length == 1 && args[0].equals("--cds-training=jobs")) {
      System.exit(CdsTraining.runJobs()); // bin/mailops, the archive of the jobs commands
    }
    if (args.length == 1 && args[0].equals("--cds-training=migrate")) {
      System.exit(MigrateTraining.run()); // bin/mailops, the archive of migrate run
    }
    if (args.length == 1 && args[0].equals("--cds-training=restore")) {
      System.exit(RestoreTraining.run()); // bin/mailops, the archive of backup restore|list|verify
    }
    System.exit(execute(new RawOutput(System.out),
        new PrintWriter(System.err, true, StandardCharsets.UTF_8), System.getenv(),
        System.console() != null, args));
  }

  /**
   * Runs one command and returns its exit code: 0 done, 1 failed, 2 bad usage, 3 finished with
   * skipped items (listed in the output).
   */
  public static int execute(PrintWriter out, PrintWriter err, Map<String, String> env,
      boolean terminal, String... args) {
    return MailOpsCommand.run(out, err, env, terminal, args);
  }
}
