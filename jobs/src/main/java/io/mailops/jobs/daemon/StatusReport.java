package io.mailops.jobs.daemon;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The daemon's status as one JSON-ready map: what {@code $MAILOPS_HOME/daemon/status.json} holds,
 * what {@code /health} answers and what {@code mailops daemon status} prints.
 */
public final class StatusReport {

  private StatusReport() {}

  /**
   * The map of a running daemon.
   *
   * @param services name → state of the services beside the schedules (collector, snmp, http)
   */
  public static Map<String, Object> of(long pid, Instant started, Instant now, List<Scheduler.Status> schedules,
      Map<String, String> services) {
    Map<String, Object> m = new LinkedHashMap<>();
    boolean failing = schedules.stream().anyMatch(s -> s.last() != null
        && s.last().outcome() == RunResult.Outcome.FAILED);
    m.put("status", failing ? "degraded" : "ok");
    m.put("pid", pid);
    m.put("started", started.toString());
    m.put("updated", now.toString());
    m.put("uptime_seconds", now.getEpochSecond() - started.getEpochSecond());
    m.put("services", new LinkedHashMap<>(services));
    List<Object> jobs = new ArrayList<>();
    for (Scheduler.Status s : schedules) {
      Map<String, Object> j = new LinkedHashMap<>();
      j.put("schedule", s.schedule().name());
      j.put("job", s.schedule().job().jobName());
      j.put("cron", s.schedule().cronText());
      j.put("zone", s.schedule().zone().getId());
      j.put("enabled", s.schedule().enabled());
      j.put("next_run", str(s.next()));
      j.put("running_since", str(s.runningSince()));
      j.put("retry_at", str(s.retryAt()));
      if (s.last() != null) {
        Map<String, Object> l = new LinkedHashMap<>();
        l.put("execution_id", s.last().executionId());
        l.put("result", s.last().outcome().name());
        l.put("reason", s.last().reason());
        l.put("finished", s.last().finished().toString());
        j.put("last", l);
      } else {
        j.put("last", null);
      }
      j.put("note", s.note());
      jobs.add(j);
    }
    m.put("jobs", jobs);
    return m;
  }

  private static String str(Instant i) {
    return i == null ? null : i.toString();
  }
}
