package io.mailops.jobs.cli;

import io.mailops.jobs.batch.BatchApplication;
import io.mailops.jobs.batch.migrate.MigrateJobConfig;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.JobInstance;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.context.ConfigurableApplicationContext;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import tools.jackson.databind.json.JsonMapper;

/** {@code mailops migrate status [EXECUTION]}: per account, from the job repository. */
@Command(name = "status", mixinStandardHelpOptions = true,
    description = "The newest migration (or execution ID) per account, while it runs or after:"
        + " status, folders done, messages copied, skipped and failed, verify result.")
public final class MigrateStatusCommand implements Callable<Integer> {

  @ParentCommand
  MigrateCommand parent;

  @Spec
  CommandSpec spec;

  @Parameters(arity = "0..1", paramLabel = "EXECUTION_ID", description = "Default: the newest.")
  Long id;

  @Option(names = "--json", description = "A JSON array instead of a table.")
  boolean json;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    try (ConfigurableApplicationContext ctx = BatchApplication.start(parent.root.settings())) {
      JobRepository repo = ctx.getBean(JobRepository.class);
      JobExecution e = id != null ? repo.getJobExecution(id) : newest(repo);
      if (e == null || !MigrateJobConfig.JOB.equals(e.getJobInstance().getJobName())) {
        out.println(id == null ? "No migration has run yet (mailops migrate run)."
            : "Execution " + id + " is not a migration; see 'mailops jobs history migrate'");
        return id == null ? ExitCode.OK : ExitCode.FAILED;
      }
      List<Map<String, Object>> rows = new ArrayList<>();
      List<StepExecution> steps = new ArrayList<>(e.getStepExecutions());
      steps.sort(Comparator.comparing(StepExecution::getStepName));
      for (StepExecution s : steps) {
        if (!s.getStepName().startsWith("migrateAccount")) {
          continue;
        }
        ExecutionContext c = s.getExecutionContext();
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("source", first(c.getString("source", "?")));
        row.put("target", first(c.getString("target", "?")));
        row.put("status", s.getStatus().name());
        row.put("folders_done", c.getInt("folders.done", 0));
        row.put("copied", c.getInt("copied", 0));
        row.put("skipped", c.getInt("skipped", 0));
        row.put("failed", c.getInt("failed", 0));
        row.put("verified", c.getString("verified", "-"));
        rows.add(row);
      }
      if (json) {
        out.println(JsonMapper.builder().build().writeValueAsString(rows));
        return ExitCode.OK;
      }
      out.println("Migration execution " + e.getId() + ": " + e.getStatus() + " ("
          + e.getJobParameters().getString("migration") + ")");
      Table t = new Table("SOURCE", "TARGET", "STATUS", "FOLDERS", "COPIED", "SKIPPED", "FAILED",
          "VERIFY").numeric(3, 4, 5, 6);
      for (Map<String, Object> r : rows) {
        t.row(r.get("source"), r.get("target"), r.get("status"), r.get("folders_done"),
            r.get("copied"), r.get("skipped"), r.get("failed"), r.get("verified"));
      }
      t.print(out);
      return ExitCode.OK;
    }
  }

  private static String first(String s) {
    int sp = s.indexOf(' ');
    return sp < 0 ? s : s.substring(0, sp);
  }

  private static JobExecution newest(JobRepository repo) {
    JobExecution newest = null;
    for (JobInstance i : repo.getJobInstances(MigrateJobConfig.JOB, 0, 1)) {
      for (JobExecution e : repo.getJobExecutions(i)) {
        if (newest == null || e.getId() > newest.getId()) {
          newest = e;
        }
      }
    }
    return newest;
  }
}
