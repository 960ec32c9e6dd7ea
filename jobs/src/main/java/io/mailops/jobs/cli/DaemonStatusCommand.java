package io.mailops.jobs.cli;

import io.mailops.jobs.batch.JobLock;
import io.mailops.jobs.config.MailOpsSettings;
import io.mailops.jobs.daemon.Schedule;
import io.mailops.jobs.daemon.Schedules;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code mailops daemon status}: whether the daemon runs, what it runs now, the next time of each
 * schedule and how its last run ended; read from the status file the daemon keeps
 * ({@code $MAILOPS_HOME/daemon/status.json}) without starting Spring.
 */
@Command(name = "status", mixinStandardHelpOptions = true,
    description = {"Whether the daemon runs; per schedule its job, next run, what runs now and the last result"
        + " (execution id for 'mailops jobs history'). Exit 0 when it runs, 1 when it does not (the"
        + " schedules are still listed, from the settings)."})
public final class DaemonStatusCommand implements Callable<Integer> {

  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss")
      .withZone(ZoneId.systemDefault());

  @ParentCommand
  DaemonCommand parent;

  @Spec
  CommandSpec spec;

  @Option(names = "--json", description = "The status file's JSON, with \"running\" added.")
  boolean json;

  Clock clock = Clock.systemUTC();

  @Override
  public Integer call() throws Exception {
    MailOpsSettings settings = parent.root.settings();
    var schedules = Schedules.read(settings); // bad schedules: one line, exit 2
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    Path lock = JobLock.file(settings.home(), "daemon");
    boolean running = JobLock.held(lock);
    Path file = settings.home().resolve("daemon/status.json");
    JsonMapper mapper = JsonMapper.builder().build();
    JsonNode status = Files.exists(file) ? mapper.readTree(file.toFile()) : null;
    if (json) {
      Map<String, Object> m = new HashMap<>();
      m.put("running", running);
      m.put("status", status);
      out.println(mapper.writeValueAsString(m));
      return running ? ExitCode.OK : ExitCode.FAILED;
    }
    if (running && status == null) {
      out.println("mailops daemon: running (starting: no status written yet)");
      return ExitCode.OK;
    }
    if (running) {
      out.println("mailops daemon: running (pid " + status.path("pid").asString() + ", since "
          + time(status.path("started").asString()) + ", status " + status.path("status").asString() + ")");
      status.path("services").properties().forEach(e -> out.println("  " + e.getKey() + ": " + e.getValue().asString()));
      Table t = new Table("SCHEDULE", "JOB", "CRON", "NEXT RUN", "NOW", "LAST RESULT", "NOTE");
      for (JsonNode j : status.path("jobs")) {
        JsonNode last = j.path("last");
        t.row(j.path("schedule").asString(), j.path("job").asString(), j.path("cron").asString(),
            j.path("enabled").asBoolean() ? time(j.path("next_run").asString()) : "disabled",
            j.path("running_since").isNull() ? (j.path("retry_at").isNull() ? "-" : "retry " + time(j.path("retry_at").asString()))
                : "running since " + time(j.path("running_since").asString()),
            last.isNull() || last.isMissingNode() ? "-" : last.path("result").asString()
                + (last.path("execution_id").asLong() >= 0 ? " #" + last.path("execution_id").asLong() : "")
                + " " + time(last.path("finished").asString()),
            last.isObject() && !last.path("reason").asString().isEmpty() ? last.path("reason").asString()
                : j.path("note").asString());
      }
      t.print(out);
      return ExitCode.OK;
    }
    err.println("mailops: the daemon is not running (no process holds " + lock + "); start it with"
        + " 'systemctl start mailops' or 'mailops daemon run'");
    Map<String, JsonNode> lastKnown = new HashMap<>();
    if (status != null) {
      for (JsonNode j : status.path("jobs")) {
        lastKnown.put(j.path("schedule").asString(), j.path("last"));
      }
    }
    if (schedules.isEmpty()) {
      out.println("No schedules configured (mailops.daemon.schedules; README, \"Daemon\").");
      return ExitCode.FAILED;
    }
    Table t = new Table("SCHEDULE", "JOB", "CRON", "NEXT RUN", "LAST RESULT");
    Instant now = clock.instant();
    for (Schedule s : schedules) {
      JsonNode last = lastKnown.get(s.name());
      Instant next = s.next(now);
      t.row(s.name(), s.job().jobName(), s.cronText(), !s.enabled() ? "disabled" : next == null ? "never" : TIME.format(next),
          last == null || !last.isObject() ? "-" : last.path("result").asString() + " #" + last.path("execution_id").asLong()
              + " " + time(last.path("finished").asString()));
    }
    t.print(out);
    return ExitCode.FAILED;
  }

  private static String time(String iso) {
    if (iso == null || iso.isEmpty() || iso.equals("null")) {
      return "-";
    }
    return TIME.format(Instant.parse(iso));
  }
}
