package io.mailops.reporting.chart;

import io.mailops.reporting.ReportingException;
import io.mailops.reporting.series.Sample;
import io.mailops.reporting.series.ScopeRef;
import io.mailops.reporting.series.SeriesSource;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/**
 * Minute samples read from a CSV file: a header naming the four columns {@code param},
 * {@code scope}, {@code minute}, {@code value} in any order ({@code parameter} and
 * {@code timestamp} are accepted for the first and third, so the output of {@code mailops report
 * export --format csv}, {@code timestamp,parameter,scope,value}, reads as is), then one sample per
 * record, e.g. {@code smtp.in.accepted,server,2026-11-21T08:07:00Z,12}; the minute is an ISO
 * date-time with an offset (seconds optional, must be zero), the scope {@code server},
 * {@code domain:D} or {@code account:A}. Records may come in any order; the whole file is read and checked once, at
 * {@link #open}, so a bad line fails before any chart is drawn.
 *
 * <p>Immutable after reading and thread-safe. An empty file (header only) has no samples.
 */
public final class CsvSeriesSource implements SeriesSource {

  /** The column names, in the order the help and the tests write them. */
  public static final List<String> HEADER = List.of("param", "scope", "minute", "value");

  private final Map<String, List<Sample>> byKey;

  private CsvSeriesSource(Map<String, List<Sample>> byKey) {
    this.byKey = byKey;
  }

  /** Reads {@code file} (UTF-8). */
  public static CsvSeriesSource open(Path file) throws IOException {
    try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      return parse(r, file.toString());
    } catch (NoSuchFileException e) {
      throw new ReportingException("samples file " + file + " does not exist; write one with 'mailops report export"
          + " --format csv'", e);
    }
  }

  /** Reads CSV from {@code in}; {@code name} names it in error messages. The caller closes {@code in}. */
  public static CsvSeriesSource parse(Reader in, String name) throws IOException {
    CSVFormat format = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).setTrim(true)
        .setIgnoreEmptyLines(true).get();
    Map<String, List<Sample>> byKey = new HashMap<>();
    try (CSVParser p = CSVParser.builder().setReader(in).setFormat(format).get()) {
      List<String> header = p.getHeaderNames().stream().map(h -> h.toLowerCase(Locale.ROOT))
          .map(h -> h.equals("parameter") ? "param" : h.equals("timestamp") ? "minute" : h).toList();
      if (header.size() != HEADER.size() || !header.containsAll(HEADER)) {
        throw new ReportingException("samples file " + name + " line 1: header " + p.getHeaderNames() + "; expected "
            + String.join(",", HEADER) + " (or timestamp,parameter,scope,value as 'mailops report export' writes)",
            null);
      }
      int param = header.indexOf("param");
      int scope = header.indexOf("scope");
      int minute = header.indexOf("minute");
      int value = header.indexOf("value");
      for (CSVRecord rec : p) {
        Sample s;
        String key;
        try {
          if (rec.size() != HEADER.size()) {
            throw new IllegalArgumentException(rec.size() + " fields; expected 4 (" + String.join(",", HEADER) + ")");
          }
          key = rec.get(param) + "|" + ScopeRef.parse(rec.get(scope));
          s = new Sample(minute(rec.get(minute)), value(rec.get(value)));
        } catch (IllegalArgumentException e) {
          throw new ReportingException("samples file " + name + " line " + rec.getParser().getCurrentLineNumber()
              + ": " + e.getMessage() + "; fix or remove the line", e);
        }
        byKey.computeIfAbsent(key, k -> new ArrayList<>()).add(s);
      }
    } catch (UncheckedIOException e) {
      throw new ReportingException("cannot read samples file " + name + ": " + e.getCause().getMessage(), e);
    } catch (IllegalArgumentException | IllegalStateException e) {
      throw new ReportingException("samples file " + name + ": " + e.getMessage() + "; check the CSV quoting", e);
    }
    for (Map.Entry<String, List<Sample>> e : byKey.entrySet()) {
      List<Sample> list = e.getValue();
      list.sort(Comparator.comparing(Sample::minute));
      for (int i = 1; i < list.size(); i++) {
        if (list.get(i).minute().equals(list.get(i - 1).minute())) {
          throw new ReportingException("samples file " + name + ": two samples of " + e.getKey().replace('|', ' ')
              + " at " + list.get(i).minute() + "; keep one", null);
        }
      }
      e.setValue(List.copyOf(list));
    }
    return new CsvSeriesSource(Map.copyOf(byKey));
  }

  @Override
  public List<Sample> read(String parameter, ScopeRef scope, Instant from, Instant to) {
    List<Sample> list = byKey.getOrDefault(parameter + "|" + scope, List.of());
    return list.subList(index(list, from), Math.max(index(list, from), index(list, to)));
  }

  /** The number of samples read. */
  public long size() {
    return byKey.values().stream().mapToLong(List::size).sum();
  }

  /** The first index whose minute is not before {@code t}. */
  private static int index(List<Sample> list, Instant t) {
    int lo = 0;
    int hi = list.size();
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (list.get(mid).minute().isBefore(t)) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }

  private static Instant minute(String text) {
    Instant t;
    try {
      t = OffsetDateTime.parse(text).toInstant();
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException("minute '" + text + "': use an ISO date-time with offset, as"
          + " 2026-11-21T08:07:00Z");
    }
    if (t.getEpochSecond() % 60 != 0 || t.getNano() != 0) {
      throw new IllegalArgumentException("minute '" + text + "' is not the start of a minute");
    }
    return t;
  }

  private static double value(String text) {
    double v;
    try {
      v = Double.parseDouble(text);
    } catch (NumberFormatException e) {
      v = Double.NaN;
    }
    if (!Double.isFinite(v)) {
      throw new IllegalArgumentException("value '" + text + "' is not a finite number");
    }
    return v;
  }
}
