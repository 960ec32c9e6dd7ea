package io.mailops.jobs.testjobs;

import java.nio.file.Files;
import java.nio.file.Path;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.builder.JobBuilder;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.builder.StepBuilder;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * A two-step test job: step one counts its runs in a file, step two fails while a marker file
 * exists. Restarting after the marker is removed must run step two only.
 */
@Configuration
public class FlakyJobConfig {

  @Bean
  Job flaky(JobRepository repo, PlatformTransactionManager tx, @Value("${test.dir}") String dir) {
    Path d = Path.of(dir);
    return new JobBuilder("flaky", repo)
        .start(new StepBuilder("count", repo).tasklet((contribution, chunk) -> {
          Path runs = d.resolve("runs");
          Files.writeString(runs, (Files.exists(runs) ? Files.readString(runs) : "") + "x");
          return RepeatStatus.FINISHED;
        }, tx).build())
        .next(new StepBuilder("fragile", repo).tasklet((contribution, chunk) -> {
          if (Files.exists(d.resolve("fail"))) {
            throw new IllegalStateException("marker file says fail");
          }
          return RepeatStatus.FINISHED;
        }, tx).build())
        .build();
  }
}
