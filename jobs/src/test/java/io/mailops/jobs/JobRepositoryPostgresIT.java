package io.mailops.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import io.mailops.jobs.batch.BatchApplication;
import io.mailops.jobs.config.MailOpsSettings;
import java.io.PrintWriter;
import java.io.StringWriter;
import io.mailops.storage.interop.InteropEnv;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.parameters.JobParametersBuilder;
import org.springframework.batch.core.launch.JobOperator;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The job repository in a real PostgreSQL (started by scripts/interop/postgresql.sh): the schema
 * is created on first use and reused after, history and restart work as with H2.
 */
class JobRepositoryPostgresIT {

  @TempDir
  Path home;

  Map<String, String> env = new HashMap<>();
  Properties pg = new Properties();
  Path config;

  @BeforeEach
  void setUp() throws Exception {
    pg.putAll(InteropEnv.read("postgresql", "PG_URL", "PG_USER", "PG_PASSWORD"));
    env.put("MAILOPS_HOME", home.toString());
    env.put("SPRING_DATASOURCE_URL", pg.getProperty("PG_URL"));
    env.put("SPRING_DATASOURCE_USERNAME", pg.getProperty("PG_USER"));
    env.put("SPRING_DATASOURCE_PASSWORD", pg.getProperty("PG_PASSWORD"));
    config = Files.writeString(home.resolve("test.yml"),
        "spring:\n  main:\n    sources: io.mailops.jobs.testjobs.FlakyJobConfig\ntest:\n  dir: " + home + "\n");
  }

  @Test
  void failedExecutionInPostgresIsRestartedFromTheCommandLine() throws Exception {
    Files.createFile(home.resolve("fail"));
    long id = launchFlaky();
    assertThat(tableCount("batch_job_execution")).isPositive();

    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = MailOpsCli.execute(new PrintWriter(out), new PrintWriter(err), env, false,
        "jobs", "history", "flaky", "--failed", "--config", config.toString());
    assertThat(code).as(err.toString()).isZero();
    assertThat(out.toString()).containsPattern("(?m)^\\s*" + id + "\\s+flaky\\s+FAILED");
    assertThat(home.resolve("jobs/repository.mv.db")).doesNotExist();

    Files.delete(home.resolve("fail"));
    out = new StringWriter();
    code = MailOpsCli.execute(new PrintWriter(out), new PrintWriter(err), env, false,
        "jobs", "restart", String.valueOf(id), "--config", config.toString());
    assertThat(code).as(err.toString()).isZero();
    assertThat(out.toString()).contains("COMPLETED");
    assertThat(Files.readString(home.resolve("runs"))).isEqualTo("x");
  }

  private long tableCount(String table) throws Exception {
    try (Connection c = DriverManager.getConnection(pg.getProperty("PG_URL"), pg.getProperty("PG_USER"),
        pg.getProperty("PG_PASSWORD")); ResultSet rs = c.createStatement().executeQuery("select count(*) from " + table)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private long launchFlaky() throws Exception {
    MailOpsSettings s = MailOpsSettings.load(env, config);
    try (ConfigurableApplicationContext ctx = BatchApplication.start(s)) {
      JobExecution e = ctx.getBean(JobOperator.class).start(ctx.getBean("flaky", Job.class),
          new JobParametersBuilder().addLong("run", System.nanoTime()).toJobParameters());
      assertThat(e.getStatus()).isEqualTo(BatchStatus.FAILED);
      return e.getId();
    }
  }
}
