package io.mailops.jobs;

import static io.mailops.jobs.CdsTraining.env;
import static io.mailops.jobs.CdsTraining.execute;
import static io.mailops.jobs.CdsTraining.inTempDir;

import io.mailops.jobs.batch.migrate.MigrateRequest;
import io.mailops.jobs.batch.migrate.NoopTraining;
import io.mailops.jobs.config.MailOpsSettings;
import io.mailops.migrator.Fingerprint;
import io.mailops.migrator.FolderStatus;
import io.mailops.storage.model.FolderPath;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The training behind {@code bin/mailops}'s class-data archive of {@code migrate run}
 * ({@code --cds-training=migrate}; docs/adr/0015 and 0028).
 */
final class MigrateTraining {

  private MigrateTraining() {}

  /** The commands the no-op look of a migration sends (greeting aside). */
  static final Set<String> LOOK = Set.of("CAPABILITY", "LOGIN", "LIST", "STATUS", "LOGOUT");

  /**
   * What the training of {@code migrate run} saw in its last run: the exit code and output of the
   * run with nothing new, and the commands the scripted server was sent.
   */
  record Migrated(int exit, String output, Set<String> commands) {

    /**
     * True when the run was answered by the no-op fast path: done, and the server saw the look
     * and nothing else (the job would have selected folders, which the scripted server refuses).
     */
    boolean fastPath() {
      return exit == 0 && output.contains("Migration done: 1 account(s), 0 failed")
          && commands.contains("LIST") && LOOK.containsAll(commands);
    }
  }

  /**
   * A run against a closed port (Spring Boot, Spring Batch, H2 and the job, which fails at
   * connect), then, on a {@link TrainingImap} server, the run with nothing new that the fast path
   * answers — after a completed, verified migration of one account recorded by the code that
   * records it ({@link NoopTraining}): the job repository opened as it exists, the look,
   * {@code NothingNew}, the recording and the reports. Returns 0, or 1 if the fast path was not
   * reached (the archive then lacks its classes) or the temporary directory could not be made.
   */
  static int run() {
    boolean[] fast = {false};
    int made = inTempDir(dir -> fast[0] = migrate(dir).fastPath());
    return made == 0 && fast[0] ? 0 : 1;
  }

  /** {@link #run} in {@code dir}. */
  static Migrated migrate(Path dir) {
    return migrate(dir, env -> { });
  }

  /** What a test does to the seeded migration before the run with nothing new. */
  interface BeforeRun {
    void accept(Map<String, String> env) throws Exception;
  }

  /** {@link #migrate(Path)}, with {@code beforeRun} given the environment before the run. */
  static Migrated migrate(Path dir, BeforeRun beforeRun) {
    try {
      Map<String, String> env = env(dir);
      Path password = Files.writeString(dir.resolve("password"), "x\n");
      execute(env, List.of("migrate", "run", "--accounts",
          accounts(dir.resolve("closed.csv"), 1, password).toString()));
      Map<FolderPath, FolderStatus> folders = Map.of(
          FolderPath.INBOX, new FolderStatus(1_700_000_001L, 4, 3, 12),
          FolderPath.of("Sent"), new FolderStatus(1_700_000_002L, 2, 1, 3));
      Map<String, String> status = new HashMap<>();
      folders.forEach((f, st) -> status.put(f.toString(), String.format(
          "UIDVALIDITY %d UIDNEXT %d MESSAGES %d HIGHESTMODSEQ %d", st.uidValidity(),
          st.uidNext(), st.messages(), st.highestModSeq())));
      try (TrainingImap imap = new TrainingImap(status)) {
        Path csv = accounts(dir.resolve("accounts.csv"), imap.port(), password);
        // the options of a plain 'migrate run --accounts CSV' (MigrateOptions' defaults)
        var request = new MigrateRequest(csv, null, null, null, null, List.of(), List.of(),
            List.of(), false, false, false, Fingerprint.Mode.HEADERS, false);
        NoopTraining.completed(MailOpsSettings.load(env, null), request, request.accounts(env),
            folders);
        beforeRun.accept(env);
        StringWriter output = new StringWriter();
        PrintWriter sink = new PrintWriter(Writer.nullWriter());
        int exit = MailOpsCli.execute(new PrintWriter(output), sink, env, false, "migrate", "run",
            "--accounts", csv.toString());
        return new Migrated(exit, output.toString(), imap.commands());
      }
    } catch (Exception e) {
      return new Migrated(-1, e.toString(), Set.of());
    }
  }

  /** An accounts file of one account, both sides on 127.0.0.1:{@code port} without TLS. */
  private static Path accounts(Path file, int port, Path password) throws IOException {
    return Files.writeString(file, "source_host,source_port,source_security,source_user,"
        + "source_password_file,target_host,target_port,target_security,target_user,"
        + "target_password_file\n127.0.0.1," + port + ",none,a@cds.invalid," + password
        + ",127.0.0.1," + port + ",none,b@cds.invalid," + password + "\n");
  }
}
