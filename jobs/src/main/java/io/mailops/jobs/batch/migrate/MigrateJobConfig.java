package io.mailops.jobs.batch.migrate;

import io.mailops.jobs.config.MailOpsSettings;
import io.mailops.migrator.AccountReport;
import io.mailops.migrator.FileMigrationState;
import io.mailops.migrator.FolderMap;
import io.mailops.migrator.FolderReport;
import io.mailops.migrator.MigrationAccount;
import io.mailops.migrator.MigrationVerify;
import io.mailops.migrator.Migrator;
import io.mailops.migrator.VerifyReport;
import io.mailops.migrator.wire.Logins;
import io.mailops.migrator.wire.WireIo;
import io.mailops.migrator.wire.WireStore;
import io.mailops.storage.MailStore;
import io.mailops.storage.MailStoreException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.springframework.batch.core.ExitStatus;
import org.springframework.batch.core.configuration.annotation.StepScope;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.builder.JobBuilder;
import org.springframework.batch.core.partition.Partitioner;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.Step;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.core.step.builder.StepBuilder;
import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;
import org.springframework.batch.infrastructure.support.transaction.ResourcelessTransactionManager;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.task.SimpleAsyncTaskExecutor;

/**
 * The {@code migrate} job: a manager step that makes one partition per account of the request
 * and runs them on up to {@code --parallel} threads, each a tasklet that migrates its account with
 * the {@link Migrator} and then verifies it with {@link MigrationVerify}. What each account has
 * copied is kept in a state file per source and target under
 * {@code $MAILOPS_HOME/migrate/state/} (written after each append), so a restart — or a new run —
 * skips it; the same state keeps the folders the verification found complete with their IMAP
 * {@code STATUS} on both sides, so a run with nothing new neither scans nor compares them; partitions that completed are not run again by {@code mailops jobs restart}. The step
 * execution contexts carry live counters for {@code mailops migrate status}.
 */
@Configuration(proxyBeanMethods = false)
public class MigrateJobConfig {

  /** Job name in the repository and in {@code mailops jobs}. */
  public static final String JOB = "migrate";

  /** Default account partitions run at once ({@code mailops.migrate.parallel}). */
  static final int DEFAULT_PARALLEL = 4;

  @Bean
  MigrateConsole migrateConsole() {
    return new MigrateConsole();
  }

  @Bean
  MigrateLimits migrateLimits() {
    return new MigrateLimits();
  }

  @Bean
  SimpleAsyncTaskExecutor migrateExecutor(MailOpsSettings settings) {
    SimpleAsyncTaskExecutor e = new SimpleAsyncTaskExecutor("migrate-");
    e.setConcurrencyLimit(Integer.parseInt(settings.get("mailops.migrate.parallel",
        String.valueOf(DEFAULT_PARALLEL))));
    return e;
  }

  @Bean
  Job migrateJob(JobRepository repo, MailOpsSettings settings, MigrateConsole console,
      SimpleAsyncTaskExecutor migrateExecutor, Partitioner accountPartitioner,
      MigrateLimits limits) {
    Step account = new StepBuilder("migrateAccount", repo)
        .tasklet((contribution, chunk) -> {
          StepExecution step = contribution.getStepExecution();
          migrateAccount(step, repo, settings, console, limits);
          return RepeatStatus.FINISHED;
        }, new ResourcelessTransactionManager())
        .build();
    return new JobBuilder(JOB, repo)
        .start(new StepBuilder("migrate", repo)
            .partitioner("migrateAccount", accountPartitioner)
            .step(account)
            .taskExecutor(migrateExecutor)
            .gridSize(1)
            .build())
        .build();
  }

  /** One partition per account; the command counts them before the run starts. */
  @Bean
  @StepScope
  Partitioner accountPartitioner(@Value("#{jobParameters['accounts.count']}") String count) {
    return gridSize -> partitions(Integer.parseInt(count));
  }

  private static void migrateAccount(StepExecution step, JobRepository repo,
      MailOpsSettings settings, MigrateConsole console, MigrateLimits limits) throws Exception {
    MigrateRequest request = MigrateRequest.of(step.getJobParameters());
    ExecutionContext ctx = step.getExecutionContext();
    int index = ctx.getInt("index");
    List<MigrationAccount> all = request.accounts(settings.env());
    if (index >= all.size()) {
      throw new IllegalStateException("the accounts file " + request.accounts() + " has "
          + all.size() + " accounts now, fewer than when the run started; restore it or start a new run");
    }
    MigrationAccount account = all.get(index);
    ctx.putString("source", account.source().account() + " " + account.source().uri());
    ctx.putString("target", account.target().account() + " " + account.target().uri());
    long t0 = System.nanoTime();
    MigrateConsole.Printer printer = console.printer();
    MigrationAccount connect = request.connection(account);
    try {
      // both stores' logins at once, as WireIo then opens its two connections
      Logins.Pair<MailStore, MailStore> stores = Logins.open(() -> WireStore.of(connect.source()),
          () -> WireStore.of(connect.target()));
      try (MailStore source = stores.first();
          MailStore target = stores.second();
          FileMigrationState state = new FileMigrationState(stateDir(settings.home(), account));
          WireIo wire = WireIo.open(connect, source, target, limits.of(request))) {
        FolderMap map = request.folderMap(account);
        int[] totals = new int[4];
        long[] saved = {System.nanoTime()};
        Migrator m = new Migrator(source, account.source().account(), target,
            account.target().account(), map, state, request.options(), wire.io())
            .reconnecting(wire::reopen, Integer.parseInt(settings.get(
                "mailops.migrate.reconnect-attempts", "5")), Duration.ofMillis(
                Long.parseLong(settings.get("mailops.migrate.reconnect-wait-ms", "1000"))));
        AccountReport r = m.run(new Migrator.Listener() {
          @Override
          public void folderDone(FolderReport f) {
            totals[0]++;
            totals[1] += f.copied();
            totals[2] += f.skipped();
            totals[3] += f.failed();
            ctx.putInt("folders.done", totals[0]);
            ctx.putInt("copied", totals[1]);
            ctx.putInt("skipped", totals[2]);
            ctx.putInt("failed", totals[3]);
            // live counters for 'migrate status' at most once a second (one repository write
            // each); the step's end saves the last ones
            if (System.nanoTime() - saved[0] >= 1_000_000_000L) {
              repo.updateExecutionContext(step);
              saved[0] = System.nanoTime();
            }
            printer.folderDone(account, f.sourceFolder().toString(), f.copied(), f.skipped(), f.failed());
          }
        });
        MigrationVerify verify = new MigrationVerify(source, account.source().account(), target,
            account.target().account(), map, request.options(), wire.io(), state)
            .trusting(m.copies());
        if (request.copy().deleteSourceAfterVerify() && !request.dryRun()) {
          verify.deletingVerifiedFromSource(wire.sourceExpunger().orElseThrow(() ->
              new MailStoreException("--delete-source-after-verify: the source"
                  + " of " + account.source().account() + " is not an IMAP account; leave the"
                  + " option out")));
        }
        VerifyReport v = request.dryRun() ? null : verify.run();
        if (request.copy().deleteSourceAfterVerify() && v != null) {
          ctx.putInt("deleted.from.source", verify.deletedFromSource());
          printer.deletedFromSource(account, verify.deletedFromSource());
        }
        ctx.putLong("bytes", r.bytes());
        ctx.putString("verified", v == null ? "dry run" : v.ok() ? "ok" : "differences");
        new MigrationReports(settings.home()).write(step.getJobExecution().getJobInstance().getInstanceId(),
            account, r, v);
        printer.accountDone(account, r, v, (System.nanoTime() - t0) / 1e9);
        if (r.partial() || (v != null && !v.ok())) {
          step.setExitStatus(new ExitStatus("PARTIAL", r.failed() + " messages failed"
              + (v != null && !v.ok() ? ", verify found differences" : "")));
        }
      }
    } catch (Exception e) {
      printer.accountFailed(account, e.getMessage());
      throw e;
    }
  }

  /** The state directory of one source account and target. */
  static Path stateDir(Path home, MigrationAccount a) throws NoSuchAlgorithmException {
    String key = a.source().uri() + "\n" + a.source().account() + "\n" + a.target().uri() + "\n"
        + a.target().account();
    byte[] d = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
    return home.resolve("migrate/state").resolve(HexFormat.of().formatHex(d, 0, 10));
  }

  /** The partitions of {@code accounts}: one execution context per account, by index. */
  static Map<String, ExecutionContext> partitions(int accounts) {
    Map<String, ExecutionContext> out = new HashMap<>();
    for (int i = 0; i < accounts; i++) {
      ExecutionContext c = new ExecutionContext();
      c.putInt("index", i);
      out.put(String.format("account%05d", i), c);
    }
    return out;
  }
}
