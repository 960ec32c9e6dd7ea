package io.mailops.jobs.cli;

import io.mailops.jobs.batch.BatchApplication;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.JobInstance;
import org.springframework.batch.core.launch.JobOperator;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.context.ConfigurableApplicationContext;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import tools.jackson.databind.json.JsonMapper;

/** {@code mailops jobs list|history|restart}: the batch jobs and their executions. */
@Command(name = "jobs", mixinStandardHelpOptions = true,
    description = "Batch jobs: what exists, what ran, restart an interrupted run.")
public final class JobsCommand {

  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

  @ParentCommand
  MailOpsCommand root;

  @Spec
  CommandSpec spec;

  @Command(name = "list", mixinStandardHelpOptions = true,
      description = "Jobs this installation can run, and jobs found in the job repository.")
  int list(@Option(names = "--json", description = "JSON instead of a table.") boolean json)
      throws Exception {
    try (ConfigurableApplicationContext ctx = BatchApplication.start(root.settings())) {
      JobRepository repo = ctx.getBean(JobRepository.class);
      TreeSet<String> names = new TreeSet<>(ctx.getBeansOfType(Job.class).values().stream().map(Job::getName).toList());
      TreeSet<String> known = new TreeSet<>(repo.getJobNames());
      PrintWriter out = out();
      if (json) {
        List<Object> rows = new ArrayList<>();
        for (String n : union(names, known)) {
          rows.add(Map.of("job", n, "runnable", names.contains(n), "instances", count(repo, n)));
        }
        out.println(JsonMapper.builder().build().writeValueAsString(rows));
        return ExitCode.OK;
      }
      if (names.isEmpty() && known.isEmpty()) {
        out.println("No batch jobs yet (job repository: " + ctx.getEnvironment().getProperty("spring.datasource.url") + ").");
        return ExitCode.OK;
      }
      Table t = new Table("JOB", "RUNNABLE", "INSTANCES").numeric(2);
      for (String n : union(names, known)) {
        t.row(n, names.contains(n) ? "yes" : "no", count(repo, n));
      }
      t.print(out);
      return ExitCode.OK;
    }
  }

  @Command(name = "history", mixinStandardHelpOptions = true,
      description = "Executions, newest first, from the job repository.")
  int history(
      @Parameters(arity = "0..1", paramLabel = "JOB", description = "Only this job.") String job,
      @Option(names = "--failed", description = "Only executions that failed, stopped, were abandoned or ended with"
          + " skipped items (exit PARTIAL).") boolean failed,
      @Option(names = "--limit", defaultValue = "20", paramLabel = "N", description = "At most N executions (default 20).") int limit,
      @Option(names = "--json", description = "JSON instead of a table.") boolean json) throws Exception {
    try (ConfigurableApplicationContext ctx = BatchApplication.start(root.settings())) {
      JobRepository repo = ctx.getBean(JobRepository.class);
      List<String> names = job != null ? List.of(job) : repo.getJobNames();
      if (job != null && !repo.getJobNames().contains(job)) {
        err().println("mailops: no job named '" + job + "' in the job repository; see 'mailops jobs list'");
        return ExitCode.FAILED;
      }
      List<JobExecution> executions = new ArrayList<>();
      for (String n : names) {
        for (JobInstance i : repo.getJobInstances(n, 0, Math.max(limit, 1) * 4)) {
          executions.addAll(repo.getJobExecutions(i));
        }
      }
      executions.sort(Comparator.comparingLong(JobExecution::getId).reversed());
      List<JobExecution> shown = executions.stream()
          .filter(e -> !failed || e.getStatus().isUnsuccessful() || e.getStatus() == BatchStatus.STOPPED
              || e.getStatus() == BatchStatus.ABANDONED || "PARTIAL".equals(e.getExitStatus().getExitCode()))
          .limit(limit).toList();
      PrintWriter out = out();
      if (json) {
        List<Object> rows = new ArrayList<>();
        for (JobExecution e : shown) {
          Map<String, Object> m = new LinkedHashMap<>();
          m.put("execution_id", e.getId());
          m.put("job", e.getJobInstance().getJobName());
          m.put("status", e.getStatus().name());
          m.put("exit_code", e.getExitStatus().getExitCode());
          m.put("start_time", String.valueOf(e.getStartTime()));
          m.put("end_time", String.valueOf(e.getEndTime()));
          m.put("parameters", e.getJobParameters().toString());
          m.put("exit_description", e.getExitStatus().getExitDescription());
          rows.add(m);
        }
        out.println(JsonMapper.builder().build().writeValueAsString(rows));
        return ExitCode.OK;
      }
      if (shown.isEmpty()) {
        out.println(failed ? "No failed executions." : "No executions yet.");
        return ExitCode.OK;
      }
      Table t = new Table("ID", "JOB", "STATUS", "EXIT", "STARTED", "DURATION").numeric(0);
      for (JobExecution e : shown) {
        t.row(e.getId(), e.getJobInstance().getJobName(), e.getStatus(), e.getExitStatus().getExitCode(),
            time(e.getStartTime()), duration(e.getStartTime(), e.getEndTime()));
      }
      t.print(out);
      return ExitCode.OK;
    }
  }

  @Command(name = "restart", mixinStandardHelpOptions = true,
      description = "Restart a failed or stopped execution from where it stopped.")
  int restart(@Parameters(paramLabel = "EXECUTION_ID", description = "From 'mailops jobs history'.") long id)
      throws Exception {
    try (ConfigurableApplicationContext ctx = BatchApplication.start(root.settings())) {
      JobRepository repo = ctx.getBean(JobRepository.class);
      JobExecution previous;
      try {
        previous = repo.getJobExecution(id);
      } catch (org.springframework.dao.EmptyResultDataAccessException e) {
        previous = null;
      }
      if (previous == null) {
        err().println("mailops: no job execution " + id + "; see 'mailops jobs history'");
        return ExitCode.FAILED;
      }
      if (previous.getStatus() == BatchStatus.COMPLETED) {
        err().println("mailops: execution " + id + " of " + previous.getJobInstance().getJobName()
            + " completed; nothing to restart");
        return ExitCode.FAILED;
      }
      if (previous.getStatus().isRunning()) {
        err().println("mailops: execution " + id + " is still " + previous.getStatus()
            + "; if its process died, the daemon marks it failed at start — or wait for it to end");
        return ExitCode.FAILED;
      }
      JobExecution next = ctx.getBean(JobOperator.class).restart(previous);
      out().println("Execution " + next.getId() + " of " + next.getJobInstance().getJobName() + ": "
          + next.getStatus() + " (" + next.getExitStatus().getExitCode() + ")");
      return next.getStatus() == BatchStatus.COMPLETED ? ExitCode.OK : ExitCode.FAILED;
    }
  }

  private static long count(JobRepository repo, String name) {
    try {
      return repo.getJobInstanceCount(name);
    } catch (Exception e) {
      return 0;
    }
  }

  private static TreeSet<String> union(TreeSet<String> a, TreeSet<String> b) {
    TreeSet<String> u = new TreeSet<>(a);
    u.addAll(b);
    return u;
  }

  private static String time(LocalDateTime t) {
    return t == null ? "-" : TIME.format(t);
  }

  private static String duration(LocalDateTime start, LocalDateTime end) {
    if (start == null || end == null) {
      return "-";
    }
    Duration d = Duration.between(start, end);
    return d.toSeconds() < 60 ? d.toMillis() / 1000.0 + "s" : d.toMinutes() + "m" + d.toSecondsPart() + "s";
  }

  private PrintWriter out() {
    return spec.commandLine().getOut();
  }

  private PrintWriter err() {
    return spec.commandLine().getErr();
  }
}
