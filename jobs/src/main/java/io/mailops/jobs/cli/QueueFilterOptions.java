package io.mailops.jobs.cli;

import io.mailops.storage.queue.postfix.QueueFilter;
import io.mailops.storage.queue.postfix.QueueName;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

/** Which queues and messages: {@code --queue --from --to --reason --min-size --max-size --older-than --younger-than}. */
public final class QueueFilterOptions {

  @Option(names = "--queue", split = ",", paramLabel = "QUEUE",
      converter = QueueNameConverter.class,
      description = "Queues to read: maildrop, incoming, active, deferred, hold, corrupt (comma-separated).")
  List<QueueName> queues;

  @Option(names = "--from", paramLabel = "REGEX", description = "Sender matches (searched, case-insensitive; <> is MAILER-DAEMON).")
  String from;

  @Option(names = "--to", paramLabel = "REGEX", description = "A recipient still to deliver matches.")
  String to;

  @Option(names = "--reason", paramLabel = "REGEX", description = "A recipient's deferral reason matches (with --to: the same recipient).")
  String reason;

  @Option(names = "--min-size", paramLabel = "N", converter = SizeConverter.class,
      description = "Message size at least N bytes (suffix k, M, G for KiB, MiB, GiB).")
  Long minSize;

  @Option(names = "--max-size", paramLabel = "N", converter = SizeConverter.class, description = "Message size at most N bytes.")
  Long maxSize;

  @Option(names = "--older-than", paramLabel = "AGE", converter = AgeConverter.class,
      description = "Arrived at least AGE ago: 90s, 30m, 2h, 3d, 1w.")
  Duration olderThan;

  @Option(names = "--younger-than", paramLabel = "AGE", converter = AgeConverter.class, description = "Arrived less than AGE ago.")
  Duration youngerThan;

  /** The queues named, or {@code fallback}. */
  Set<QueueName> queues(Set<QueueName> fallback) {
    return queues == null || queues.isEmpty() ? fallback : EnumSet.copyOf(queues);
  }

  /** True if any message condition (not --queue) was given. */
  boolean any() {
    return from != null || to != null || reason != null || minSize != null || maxSize != null
        || olderThan != null || youngerThan != null;
  }

  QueueFilter filter() {
    return new QueueFilter(regex("--from", from), regex("--to", to), regex("--reason", reason),
        minSize == null ? -1 : minSize, maxSize == null ? -1 : maxSize, olderThan, youngerThan);
  }

  private static Pattern regex(String option, String value) {
    if (value == null) {
      return null;
    }
    try {
      return Pattern.compile(value, Pattern.CASE_INSENSITIVE);
    } catch (PatternSyntaxException e) {
      throw new IllegalArgumentException(option + " '" + value + "' is not a regular expression ("
          + e.getDescription() + " near index " + e.getIndex() + "); quote it for the shell and escape . and +");
    }
  }

  static final class QueueNameConverter implements ITypeConverter<QueueName> {
    @Override
    public QueueName convert(String value) {
      try {
        return QueueName.of(value);
      } catch (IllegalArgumentException e) {
        throw new TypeConversionException(e.getMessage());
      }
    }
  }

  static final class SizeConverter implements ITypeConverter<Long> {
    @Override
    public Long convert(String value) {
      String v = value.trim().toLowerCase(Locale.ROOT);
      long unit = 1;
      if (v.endsWith("k") || v.endsWith("m") || v.endsWith("g")) {
        unit = v.endsWith("k") ? 1024 : v.endsWith("m") ? 1024 * 1024 : 1024L * 1024 * 1024;
        v = v.substring(0, v.length() - 1);
      }
      try {
        long n = Long.parseLong(v);
        if (n >= 0) {
          return n * unit;
        }
      } catch (NumberFormatException e) {
        // below
      }
      throw new TypeConversionException("'" + value + "' is not a size; use bytes, or a number with k, M or G");
    }
  }

  static final class AgeConverter implements ITypeConverter<Duration> {
    @Override
    public Duration convert(String value) {
      String v = value.trim();
      if (v.length() >= 2) {
        long unit = switch (v.charAt(v.length() - 1)) {
          case 's' -> 1;
          case 'm' -> 60;
          case 'h' -> 3600;
          case 'd' -> 86400;
          case 'w' -> 604800;
          default -> -1;
        };
        try {
          long n = Long.parseLong(v.substring(0, v.length() - 1));
          if (unit > 0 && n >= 0) {
            return Duration.ofSeconds(n * unit);
          }
        } catch (NumberFormatException e) {
          // below
        }
      }
      throw new TypeConversionException("'" + value + "' is not an age; use a number with s, m, h, d or w, e.g. 2h");
    }
  }
}
