package io.mailops.jobs.batch.migrate;

import io.mailops.jobs.config.MailOpsSettings;
import io.mailops.migrator.FileMigrationState;
import io.mailops.migrator.FolderStatus;
import io.mailops.migrator.MigrationAccount;
import io.mailops.migrator.VerifiedFolder;
import io.mailops.storage.model.FolderPath;
import java.sql.Connection;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The ground for the class-data archive's training of the no-op fast path of {@code migrate run}
 * (docs/adr/0028): what a completed, verified migration leaves behind, written with the code that
 * writes it for real — each account's {@code .verified} snapshot through {@link
 * FileMigrationState}, and a completed execution with its account steps through {@link
 * NoopRunRecord} into the existing job repository. A {@code migrate run} of the same accounts,
 * options and statuses afterwards takes the fast path ({@link MigrateNoopRun}). Training only.
 */
public final class NoopTraining {

  private NoopTraining() {}

  private static final String TASKLET_STEP =
      "org.springframework.batch.core.step.tasklet.TaskletStep";

  /**
   * Records {@code accounts} of {@code request} as migrated and verified, every folder of
   * {@code folders} unchanged on both sides at the given status.
   *
   * @throws IllegalStateException when the job repository does not exist yet (run a job first)
   */
  public static void completed(MailOpsSettings settings, MigrateRequest request,
      List<MigrationAccount> accounts, Map<FolderPath, FolderStatus> folders) throws Exception {
    String rules = VerifiedFolder.rules(request.options());
    Map<FolderPath, VerifiedFolder> verified = new HashMap<>();
    folders.forEach((f, st) -> verified.put(f, new VerifiedFolder(f, rules, st, st)));
    List<NoopRunRecord.Step> steps = new ArrayList<>();
    for (MigrationAccount a : accounts) {
      try (FileMigrationState s = new FileMigrationState(
          MigrateJobConfig.stateDir(settings.home(), a))) {
        s.verified(a.source().account(), verified);
      }
      steps.add(NoopRunRecord.Step.of(MigrateNoopRun.stepName(steps.size()),
          Map.of("index", steps.size()), TASKLET_STEP));
    }
    MigrateNoopRun run = new MigrateNoopRun(settings, request, accounts, 1);
    try (Connection db = run.connect()) {
      if (db == null) {
        throw new IllegalStateException("no job repository to record the training run in");
      }
      Instant started = Instant.now();
      new NoopRunRecord(db, settings.get("spring.batch.jdbc.table-prefix", "BATCH_"),
          db.getMetaData().getURL().startsWith("jdbc:postgresql:")).write(MigrateJobConfig.JOB,
          request.parameters(started, accounts.size()),
          LocalDateTime.ofInstant(started, ZoneId.systemDefault()),
          NoopRunRecord.Step.of("migrate", Map.of(), NoopRunRecord.PARTITION_STEP), steps);
    }
  }
}
