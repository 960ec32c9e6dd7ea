package io.mailops.jobs.cli;

import io.mailops.reporting.summary.MailSummary;
import io.mailops.reporting.summary.SummaryBuilder;
import io.mailops.reporting.summary.SummaryPeriod;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code mailops report summary}: pflogsumm's report of a mail log: grand totals by pflogsumm's
 * counting rules (the same numbers on the same log), traffic per hour, top senders and recipients,
 * deferral, bounce and reject reasons. Text by default, one JSON object with {@code --json}.
 */
@Command(name = "summary", mixinStandardHelpOptions = true,
    description = {"Daily mail summary from Postfix logs, counted as pflogsumm counts (same grand totals).",
        "Reads plain and gzipped logs, in the order given; both syslog timestamp styles."})
public final class ReportSummaryCommand implements Callable<Integer> {

  static final Path DEFAULT_LOG = Path.of("/var/log/mail.log");

  @Spec
  CommandSpec spec;

  @Option(names = "--day", paramLabel = "YYYY-MM-DD", description = "Only the lines of this day (as pflogsumm -d).")
  LocalDate day;

  @Option(names = "--from", paramLabel = "YYYY-MM-DD[THH:MM[:SS]]", description = "Only lines at or after this time.")
  String from;

  @Option(names = "--to", paramLabel = "YYYY-MM-DD[THH:MM[:SS]]",
      description = "Only lines before this time; a date alone includes that whole day.")
  String to;

  @Option(names = "--logs", arity = "1..*", paramLabel = "FILE",
      description = "Log files, oldest first; .gz allowed (default: /var/log/mail.log).")
  List<Path> logs;

  @Option(names = "--top", paramLabel = "N", defaultValue = "10",
      description = "Entries in each top list and reason list (default: ${DEFAULT-VALUE}).")
  int top;

  @Option(names = "--syslog-name", paramLabel = "NAME", defaultValue = SummaryBuilder.POSTFIX,
      description = "Postfix's syslog_name: count NAME/… lines as well as postfix/… ones, as pflogsumm"
          + " --syslog-name (default: ${DEFAULT-VALUE}).")
  String syslogName;

  @Option(names = "--json", description = "One JSON object: the grand totals as top-level keys, then the lists.")
  boolean json;

  @Override
  public Integer call() throws Exception {
    if (day != null && (from != null || to != null)) {
      throw new IllegalArgumentException("--day cannot be combined with --from or --to; use one or the other");
    }
    if (top < 0) {
      throw new IllegalArgumentException("--top needs 0 or more, got " + top);
    }
    SummaryPeriod period = day != null ? SummaryPeriod.day(day)
        : new SummaryPeriod(time("--from", from, false), time("--to", to, true));
    List<Path> files = logs == null || logs.isEmpty() ? List.of(DEFAULT_LOG) : logs;
    MailSummary s = SummaryBuilder.summarize(files, period, syslogName, LocalDate.now(), top);
    PrintWriter out = spec.commandLine().getOut();
    out.print(json ? ReportSummaryFormat.json(s) : ReportSummaryFormat.text(s, title(files)));
    out.flush();
    return ExitCode.OK;
  }

  private String title(List<Path> files) {
    String what = day != null ? "for " + day
        : from != null || to != null ? "from " + (from == null ? "the start" : from) + " to " + (to == null ? "the end" : to)
        : "of " + files.size() + (files.size() == 1 ? " file" : " files");
    return "Postfix log summary " + what;
  }

  /** A date or date-time; a date alone is the start of the day, or with {@code endOfDay} the start of the next. */
  static LocalDateTime time(String option, String value, boolean endOfDay) {
    if (value == null) {
      return null;
    }
    try {
      if (value.length() == 10) {
        LocalDate d = LocalDate.parse(value);
        return endOfDay ? d.plusDays(1).atStartOfDay() : d.atStartOfDay();
      }
      return LocalDateTime.parse(value.replace(' ', 'T'));
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException(option + " '" + value + "': use YYYY-MM-DD or YYYY-MM-DDTHH:MM[:SS]", e);
    }
  }
}
