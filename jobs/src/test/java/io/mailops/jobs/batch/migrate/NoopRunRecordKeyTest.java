package io.mailops.jobs.batch.migrate;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.batch.core.job.DefaultJobKeyGenerator;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.job.parameters.JobParametersBuilder;

class NoopRunRecordKeyTest {

  private static void sameKeyAsSpringBatch(JobParameters p) {
    assertThat(NoopRunRecord.jobKey(p)).as("%s", p)
        .isEqualTo(new DefaultJobKeyGenerator().generateKey(p));
  }

  @Test
  void theJobKeyIsTheOneSpringBatchsGeneratorGives() {
    Instant t = Instant.parse("2026-11-24T01:02:03Z");
    sameKeyAsSpringBatch(new MigrateRequest(Path.of("accounts.csv"), null, null, null, null,
        List.of(), List.of(), List.of(), false, false, false,
        io.mailops.migrator.Fingerprint.Mode.HEADERS, false).parameters(t, 10));
    sameKeyAsSpringBatch(new MigrateRequest(null, "imap://a@h", "maildir:/v?account=b@d",
        Path.of("s.pw"), Path.of("t.pw"), List.of("INBOX"), List.of("Junk"), List.of("A=B"),
        true, true, false, io.mailops.migrator.Fingerprint.Mode.CONTENT, true).parameters(t, 1));
    sameKeyAsSpringBatch(new JobParametersBuilder()
        .addString("b", "x", true)
        .addString("a", "y'\"=;", true)
        .addString("hidden", "z", false)
        .addLong("n", 42L)
        .addDouble("d", 1.5)
        .addLocalDate("day", LocalDate.of(2026, 11, 24))
        .addString("Ü", "ü", true)
        .toJobParameters());
    sameKeyAsSpringBatch(new JobParametersBuilder().addString("only", "not identifying", false)
        .toJobParameters());
    sameKeyAsSpringBatch(new JobParameters());
  }
}
