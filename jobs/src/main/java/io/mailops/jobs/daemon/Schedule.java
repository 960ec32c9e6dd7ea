package io.mailops.jobs.daemon;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import org.springframework.scheduling.support.CronExpression;

/**
 * One entry of {@code mailops.daemon.schedules}: when a job runs and what to do when it fails.
 *
 * @param name the key under {@code mailops.daemon.schedules} ({@code backup}, {@code backup-full})
 * @param job the job it runs
 * @param cron when, in {@code zone}
 * @param cronText the expression as configured, for display
 * @param zone the time zone of the expression
 * @param enabled whether it runs at all
 * @param catchUp whether a time missed while the daemon was down runs once at start
 * @param retries failed runs retried at most this often
 * @param backoff wait before the first retry; doubled before each further one
 * @param args the command's arguments after {@code ENTITY ACTION}
 */
public record Schedule(String name, JobKind job, CronExpression cron, String cronText, ZoneId zone,
    boolean enabled, boolean catchUp, int retries, Duration backoff, List<String> args) {

  /** Checks the values and copies the arguments. */
  public Schedule {
    if (retries < 0) {
      throw new IllegalArgumentException("schedule " + name + ": retries must be 0 or more, got " + retries);
    }
    if (backoff.isNegative()) {
      throw new IllegalArgumentException("schedule " + name + ": retry-backoff must not be negative, got " + backoff);
    }
    args = List.copyOf(args);
  }

  /** The first time after {@code after} this schedule fires, or null if never. */
  public Instant next(Instant after) {
    ZonedDateTime n = cron.next(after.atZone(zone));
    return n == null ? null : n.toInstant();
  }

  /** The wait before retry number {@code attempt} (1 is the first retry). */
  public Duration backoff(int attempt) {
    return backoff.multipliedBy(1L << Math.min(Math.max(attempt - 1, 0), 20));
  }

  /** The full command line: {@code ENTITY ACTION args…}. */
  public List<String> commandLine() {
    List<String> all = new ArrayList<>(job.command());
    all.addAll(args);
    return List.copyOf(all);
  }
}
