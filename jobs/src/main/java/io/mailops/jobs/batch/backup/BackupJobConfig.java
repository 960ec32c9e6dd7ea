package io.mailops.jobs.batch.backup;

import io.mailops.backup.Backup;
import io.mailops.backup.Scope;
import io.mailops.jobs.batch.StopRequest;
import io.mailops.jobs.config.MailOpsSettings;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Arrays;
import org.springframework.batch.core.ExitStatus;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.builder.JobBuilder;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.job.parameters.JobParametersBuilder;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.builder.StepBuilder;
import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;
import org.springframework.batch.infrastructure.support.transaction.ResourcelessTransactionManager;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The {@code backup} job: one step that runs {@link BackupRun} with the job's parameters. The
 * step holds no database transaction while it uploads (the repository commits on its own); its
 * restart state is the checkpoint file {@link BackupRun} keeps, so {@code mailops jobs restart}
 * and a plain re-run both continue an interrupted set. A {@link StopRequest} ends the step
 * STOPPED between folders, with the request's reason as exit description. Passwords are never job parameters: only
 * the names of password files are, and environment variables are read at run time.
 */
@Configuration(proxyBeanMethods = false)
public class BackupJobConfig {

  /** Job name in the repository and in {@code mailops jobs}. */
  public static final String JOB = "backup";

  /** The parameters of a run of {@code r}; only target, scope and start time identify it. */
  public static JobParameters parameters(BackupRun.Request r, Clock clock) {
    JobParametersBuilder b = new JobParametersBuilder()
        .addString("target", r.target().uri(), true)
        .addString("scope", r.scope().toString(), true)
        .addString("started", clock.instant().toString(), true)
        .addString("storage", r.storage(), false)
        .addString("kind", r.kind(), false)
        .addString("full.every.days", String.valueOf(r.fullEveryDays()), false)
        .addString("tls.protocols", String.join(",", r.target().tlsProtocols()), false)
        .addString("verify.hostname", String.valueOf(r.target().verifyHostname()), false);
    optional(b, "password.file", r.target().passwordFile());
    optional(b, "ca.file", r.target().caFile());
    optional(b, "encryption.password.file", r.encryptionPasswordFile());
    return b.toJobParameters();
  }

  private static void optional(JobParametersBuilder b, String key, Path value) {
    if (value != null) {
      b.addString(key, value.toString(), false);
    }
  }

  @Bean
  BackupConsole backupConsole() {
    return new BackupConsole();
  }

  @Bean
  Job backupJob(JobRepository repo, MailOpsSettings settings, BackupConsole console) {
    return new JobBuilder(JOB, repo)
        .start(new StepBuilder("backup", repo).tasklet((contribution, chunk) -> {
          JobParameters p = chunk.getStepContext().getStepExecution().getJobParameters();
          TargetSpec target = new TargetSpec(p.getString("target"),
              TargetSpec.path(p.getString("password.file")), TargetSpec.path(p.getString("ca.file")),
              Arrays.stream(p.getString("tls.protocols", "TLSv1.2").split(","))
                  .filter(s -> !s.isBlank()).toList(),
              Boolean.parseBoolean(p.getString("verify.hostname", "true")));
          Path home = settings.home();
          BackupRun.Request r = new BackupRun.Request(p.getString("storage"), target,
              Scope.parse(p.getString("scope")), p.getString("kind", "auto"),
              TargetSpec.path(p.getString("encryption.password.file")),
              Integer.parseInt(p.getString("full.every.days", "7")),
              home.resolve("backup/state"), Path.of(settings.get("mailops.backup.work-dir",
                  home.resolve("backup/work").toString())));
          BackupRun.Summary s;
          try {
            s = BackupRun.execute(r, settings.env(), console.clock(), console);
          } catch (Backup.Stopped stopped) {
            // the step ends STOPPED (a restart of this job instance continues the set)
            contribution.setExitStatus(new ExitStatus("STOPPED",
                StopRequest.raised() ? StopRequest.reason() : stopped.getMessage()));
            chunk.getStepContext().getStepExecution().setTerminateOnly();
            return RepeatStatus.FINISHED;
          }
          console.finished(s);
          ExecutionContext ctx = contribution.getStepExecution().getExecutionContext();
          ctx.putString("set", s.result().set().toString());
          ctx.putInt("folders", s.result().folders());
          ctx.putInt("messages", s.result().messages());
          ctx.putInt("written", s.result().written());
          ctx.putLong("bytes.read", s.result().bytesWritten());
          ctx.putLong("bytes.uploaded", s.bytesUploaded());
          ctx.putInt("skipped", s.result().skipped().size());
          contribution.incrementWriteCount(s.result().written());
          if (s.result().partial()) {
            contribution.setExitStatus(new ExitStatus("PARTIAL",
                s.result().skipped().size() + " items skipped"));
          }
          return RepeatStatus.FINISHED;
        }, new ResourcelessTransactionManager()).build())
        .build();
  }
}
