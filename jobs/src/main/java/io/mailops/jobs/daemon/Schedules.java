package io.mailops.jobs.daemon;

import io.mailops.jobs.config.MailOpsSettings;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import org.springframework.scheduling.support.CronExpression;

/**
 * Reads {@code mailops.daemon.schedules.<name>.*} from the settings. Each entry:
 * {@code cron} (Spring's six fields, second first, or a macro such as {@code @daily}; required),
 * {@code job} (default: the entry's name), {@code zone} (default {@code mailops.daemon.zone}, else
 * the system zone), {@code enabled} (true), {@code catch-up} (false), {@code retries} (0),
 * {@code retry-backoff} (5m), and the job's arguments: {@code scope}, {@code full},
 * {@code incremental} (backup), {@code from} (archive-ingest, default {@code mailops.storage}),
 * {@code out} (report-render, default {@code $MAILOPS_HOME/report}) and {@code args}, a list of
 * further command-line arguments. A bad value is an {@link IllegalArgumentException} that names the
 * setting and says what to write instead.
 */
public final class Schedules {

  /** The settings prefix. */
  public static final String PREFIX = "mailops.daemon.schedules.";

  private static final Set<String> KEYS = Set.of("cron", "job", "zone", "enabled", "catch-up", "retries",
      "retry-backoff", "scope", "full", "incremental", "from", "out");

  private Schedules() {}

  /** Every configured schedule, by name. */
  public static List<Schedule> read(MailOpsSettings settings) {
    TreeSet<String> names = new TreeSet<>();
    for (String key : settings.asProperties().keySet()) {
      if (key.startsWith(PREFIX)) {
        String rest = key.substring(PREFIX.length());
        int dot = rest.indexOf('.');
        if (dot < 0) {
          throw new IllegalArgumentException(key + ": a schedule needs at least 'cron'; write it as "
              + key + ".cron: \"0 0 2 * * *\"");
        }
        String field = rest.substring(dot + 1);
        if (!KEYS.contains(field) && !field.startsWith("args[") && !field.equals("args")) {
          throw new IllegalArgumentException(key + ": unknown setting '" + field + "'; use one of "
              + new TreeSet<>(KEYS) + " or args");
        }
        names.add(rest.substring(0, dot));
      }
    }
    List<Schedule> out = new ArrayList<>();
    for (String name : names) {
      out.add(one(settings, name));
    }
    return out;
  }

  static Schedule one(MailOpsSettings s, String name) {
    String p = PREFIX + name + ".";
    String jobName = s.get(p + "job", name);
    JobKind job = JobKind.of(jobName).orElseThrow(() -> new IllegalArgumentException(p + "job '" + jobName
        + "': unknown job; use one of " + JobKind.names()
        + (s.get(p + "job") == null ? " (the schedule's name is the job unless 'job' says otherwise)" : "")));
    String cronText = s.get(p + "cron");
    if (cronText == null || cronText.isBlank()) {
      throw new IllegalArgumentException(p + "cron is missing; give six fields (second minute hour day month"
          + " weekday) such as \"0 0 2 * * *\" for 02:00 daily, or @hourly/@daily/@weekly");
    }
    CronExpression cron;
    try {
      cron = CronExpression.parse(cronText.trim());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(p + "cron '" + cronText + "': " + e.getMessage()
          + "; give six fields (second minute hour day month weekday) such as \"0 */5 * * * *\"");
    }
    String zoneText = s.get(p + "zone", s.get("mailops.daemon.zone", ""));
    ZoneId zone;
    try {
      zone = zoneText.isBlank() ? ZoneId.systemDefault() : ZoneId.of(zoneText.trim());
    } catch (DateTimeException e) {
      throw new IllegalArgumentException(p + "zone '" + zoneText + "': unknown time zone; use a name such as"
          + " Europe/Berlin or UTC");
    }
    boolean enabled = bool(s, p + "enabled", true);
    boolean catchUp = bool(s, p + "catch-up", false);
    int retries = integer(s, p + "retries", 0);
    Duration backoff = duration(s, p + "retry-backoff", "5m");
    return new Schedule(name, job, cron, cronText.trim(), zone, enabled, catchUp, retries, backoff,
        args(s, p, job));
  }

  private static List<String> args(MailOpsSettings s, String p, JobKind job) {
    List<String> a = new ArrayList<>();
    switch (job) {
      case BACKUP -> {
        boolean full = bool(s, p + "full", false);
        boolean incremental = bool(s, p + "incremental", false);
        if (full && incremental) {
          throw new IllegalArgumentException(p + "full and " + p + "incremental are both true; set one");
        }
        if (s.get(p + "scope") != null) {
          a.add("--scope");
          a.add(s.get(p + "scope"));
        }
        if (full) {
          a.add("--full");
        }
        if (incremental) {
          a.add("--incremental");
        }
      }
      case ARCHIVE_INGEST -> {
        a.add("--from");
        a.add(s.get(p + "from", s.get("mailops.storage")));
      }
      case REPORT_COLLECT -> a.add("--once");
      case REPORT_RENDER -> {
        a.add("--out");
        a.add(s.get(p + "out", s.home().resolve("report").toString()));
      }
      default -> { }
    }
    for (String k : List.of("scope", "full", "incremental", "from", "out")) {
      boolean used = switch (k) {
        case "scope", "full", "incremental" -> job == JobKind.BACKUP;
        case "from" -> job == JobKind.ARCHIVE_INGEST;
        default -> job == JobKind.REPORT_RENDER;
      };
      if (!used && s.get(p + k) != null) {
        throw new IllegalArgumentException(p + k + " does not apply to job " + job.jobName()
            + "; remove it or pass the option through " + p + "args");
      }
    }
    for (int i = 0; s.get(p + "args[" + i + "]") != null; i++) {
      a.add(s.get(p + "args[" + i + "]"));
    }
    String single = s.get(p + "args");
    if (single != null && !single.isBlank()) {
      a.addAll(List.of(single.trim().split("\\s+")));
    }
    return a;
  }

  static boolean bool(MailOpsSettings s, String key, boolean fallback) {
    String v = s.get(key);
    if (v == null || v.isBlank()) {
      return fallback;
    }
    return switch (v.trim().toLowerCase(Locale.ROOT)) {
      case "true", "yes", "on" -> true;
      case "false", "no", "off" -> false;
      default -> throw new IllegalArgumentException(key + " '" + v + "': write true or false");
    };
  }

  static int integer(MailOpsSettings s, String key, int fallback) {
    String v = s.get(key);
    if (v == null || v.isBlank()) {
      return fallback;
    }
    try {
      int n = Integer.parseInt(v.trim());
      if (n >= 0) {
        return n;
      }
    } catch (NumberFormatException e) {
      // reported below with the value
    }
    throw new IllegalArgumentException(key + " '" + v + "': give a whole number, 0 or more");
  }

  /** A duration such as {@code 30s}, {@code 5m}, {@code 1h} or {@code 500ms}. */
  static Duration duration(MailOpsSettings s, String key, String fallback) {
    return s.duration(key, fallback);
  }
}
