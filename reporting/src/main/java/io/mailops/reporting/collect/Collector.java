package io.mailops.reporting.collect;

import io.mailops.reporting.logs.LogEvent;
import io.mailops.reporting.logs.LogLineParser;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The reporting collector: counts the log lines written since the last run (followed across
 * rotation, positions kept in the store), samples the gauges, and writes both; or backfills history
 * from existing log files, each line stamped with its own time. Samples and log positions are
 * committed together every {@value #COMMIT_LINES} lines and at the end, so an interrupted run
 * continues after the last committed line and never counts a line twice.
 *
 * <p>Not thread-safe. One collector per store: keep the instance between minutes (it remembers queue
 * ids to attribute message sizes).
 */
public final class Collector {

  /**
   * What to collect.
   *
   * @param logs the live log files to follow
   * @param domainScope also count per domain
   * @param accountScope also count per account
   * @param zone the time zone of the log timestamps
   */
  public record Settings(List<Path> logs, boolean domainScope, boolean accountScope, ZoneId zone) {
    /** Copies the list. */
    public Settings {
      logs = List.copyOf(logs);
      Objects.requireNonNull(zone, "zone");
    }
  }

  /**
   * What one run did.
   *
   * @param lines log lines read
   * @param unparsed of which no rule understood
   * @param samples (parameter, scope, minute) values written
   * @param warnings sources left out, one line each
   */
  public record Result(long lines, long unparsed, long samples, List<String> warnings) {}

  static final int COMMIT_LINES = 50_000;

  private final Settings settings;
  private final CollectorStore store;
  private final GaugeSampler gauges;
  private final Clock clock;
  private final EventCounter counter;

  /**
   * A collector writing to {@code store}.
   *
   * @param gauges the gauge sampler, or null to sample no gauges (a backfill samples none anyway)
   */
  public Collector(Settings settings, CollectorStore store, GaugeSampler gauges, Clock clock) {
    this.settings = Objects.requireNonNull(settings, "settings");
    this.store = Objects.requireNonNull(store, "store");
    this.gauges = gauges;
    this.clock = Objects.requireNonNull(clock, "clock");
    this.counter = new EventCounter(settings.zone(), settings.domainScope(), settings.accountScope());
  }

  /**
   * One sample now: the lines appended to each followed log since its saved position, then the
   * gauges of this minute.
   *
   * @throws io.mailops.reporting.ReportingException naming the log or the store that failed
   */
  public Result collectOnce() throws IOException {
    Run run = new Run();
    for (Path log : settings.logs()) {
      LogFollower f = new LogFollower(log);
      FilePosition end = f.read(store.position(f.source()), run::line, run.warnings);
      run.positions.put(end.source(), end);
    }
    if (gauges != null) {
      gauges.sample(run.batch, run.warnings);
    }
    run.commit();
    return run.result();
  }

  /**
   * Counts every line of {@code files} not counted by an earlier backfill, in the order given
   * (oldest first). A file is known by the hash of its first line, so re-running the same backfill,
   * or backfilling {@code mail.log.1} after it was {@code mail.log}, counts only lines not counted
   * yet. Files without a complete line are skipped. No gauges are sampled.
   *
   * @throws io.mailops.reporting.ReportingException naming the file that could not be read
   */
  public Result backfill(List<Path> files) throws IOException {
    Run run = new Run();
    for (Path file : files) {
      LogReader.Identity id = LogReader.identity(file);
      if (id.firstLineHash().isEmpty()) {
        run.warnings.add("log file " + file + " has no complete line yet; skipped");
        continue;
      }
      String source = "file:" + id.firstLineHash();
      long from = store.position(source).map(FilePosition::offset).orElse(0L);
      boolean complete = LogReader.gzip(file);
      long end = LogReader.read(file, from, complete,
          (line, e) -> run.line(line, new FilePosition(source, id.key(), id.firstLineHash(), e)));
      run.positions.put(source, new FilePosition(source, id.key(), id.firstLineHash(), end));
    }
    run.commit();
    return run.result();
  }

  /** The state of one run: the batch not yet committed and the positions it reaches. */
  private final class Run {
    final MinuteBatch batch = new MinuteBatch();
    final Map<String, FilePosition> positions = new LinkedHashMap<>();
    final List<String> warnings = new ArrayList<>();
    final LogLineParser parser = new LogLineParser(LocalDate.now(clock.withZone(settings.zone())));
    long lines;
    long unparsed;
    long samples;
    int sinceCommit;

    void line(String line, FilePosition after) throws IOException {
      LogEvent e = parser.parse(line);
      counter.count(e, batch, clock.instant());
      lines++;
      if (e instanceof LogEvent.Unparsed) {
        unparsed++;
      }
      positions.put(after.source(), after);
      if (++sinceCommit >= COMMIT_LINES) {
        commit();
      }
    }

    void commit() throws IOException {
      samples += batch.size();
      store.commit(batch, new ArrayList<>(positions.values()));
      batch.clear();
      sinceCommit = 0;
    }

    Result result() {
      return new Result(lines, unparsed, samples, List.copyOf(warnings));
    }
  }
}
