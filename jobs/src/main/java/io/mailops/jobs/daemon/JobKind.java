package io.mailops.jobs.daemon;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The jobs the daemon can schedule, each the command line's own command run in the daemon's
 * process. {@code backup} is the Spring Batch job {@code backup} already; the others run as a
 * one-step job of the same name whose tasklet runs the command, so every scheduled run is a job
 * execution in {@code mailops jobs history}. The job name is also the name of the lock file
 * ({@code $MAILOPS_HOME/locks/<job>.lock}) that the command line takes too.
 */
public enum JobKind {
  /** {@code mailops backup run}. */
  BACKUP("backup", "backup", "run"),
  /** {@code mailops backup prune}. */
  BACKUP_PRUNE("backup-prune", "backup", "prune"),
  /** {@code mailops archive ingest --from URI}. */
  ARCHIVE_INGEST("archive-ingest", "archive", "ingest"),
  /** {@code mailops report collect --once}. */
  REPORT_COLLECT("report-collect", "report", "collect"),
  /** {@code mailops report render --out DIR}. */
  REPORT_RENDER("report-render", "report", "render");

  private final String jobName;
  private final String entity;
  private final String action;

  JobKind(String jobName, String entity, String action) {
    this.jobName = jobName;
    this.entity = entity;
    this.action = action;
  }

  /** The job name in the repository and the lock name. */
  public String jobName() {
    return jobName;
  }

  /** {@code ENTITY ACTION} of the command line. */
  public List<String> command() {
    return List.of(entity, action);
  }

  /** Whether the command itself is a Spring Batch job (else the daemon wraps it in one). */
  public boolean batchJob() {
    return this == BACKUP;
  }

  /**
   * Whether its command stops early at the daemon's stop request ({@code StopRequest}): a backup
   * between folders, an ingest at a group commit. The others run to their end (or the stop-timeout).
   */
  public boolean stopsOnRequest() {
    return this == BACKUP || this == ARCHIVE_INGEST;
  }

  /** The kind whose job name is {@code name}. */
  public static Optional<JobKind> of(String name) {
    return Arrays.stream(values()).filter(k -> k.jobName.equals(name.trim().toLowerCase(Locale.ROOT))).findFirst();
  }

  /** The kind of the command {@code entity action}, if the command is schedulable. */
  public static Optional<JobKind> ofCommand(String entity, String action) {
    return Arrays.stream(values()).filter(k -> k.entity.equals(entity) && k.action.equals(action)).findFirst();
  }

  /** "backup, backup-prune, …" for error messages. */
  public static String names() {
    return Arrays.stream(values()).map(JobKind::jobName).collect(Collectors.joining(", "));
  }
}
