package io.mailops.jobs.cli;

import io.mailops.reporting.chart.ChartRenderer;
import io.mailops.reporting.chart.ChartSettings;
import io.mailops.reporting.chart.ChartSpec;
import io.mailops.reporting.chart.ReportPage;
import io.mailops.reporting.chart.SummaryTable;
import io.mailops.reporting.summary.SummaryBuilder;
import io.mailops.reporting.summary.SummaryPeriod;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code mailops report render}: every chart defined under {@code mailops.report.charts} (or
 * those of one group) as PNG (and SVG), plus an {@code index.html} showing them and, with
 * {@code --logs}, the pflogsumm-style summary tables of the last 24 hours.
 */
@Command(name = "render", mixinStandardHelpOptions = true,
    description = {"Writes the charts defined in mailops.yml (mailops.report.charts) and an index.html showing them.",
        "Each chart's timeframe ends now; existing files of the same names in DIR are replaced."},
    footer = {"", "mailops.yml:  mailops.report.charts: [{name: mail, group: daily, title: Mail,"
        + " params: [{param: smtp.in.accepted, scope: server, agg: total, color: \"#1f77b4\"}],"
        + " type: line|bar|area|stacked, fill: \"#ffffff\", outline: \"#808080\", timeframe: 24h, step: 5m}]",
        "--data FILE.csv draws from a CSV of samples as 'mailops report export --format csv' writes it (header"
            + " timestamp,parameter,scope,value, columns in any order; param and minute also accepted; times ISO with"
            + " offset): exported history, or data from another tool."})
public final class ReportRenderCommand implements Callable<Integer> {

  ReportChartCommand.Sources sources = ReportChartCommand::stored;
  Clock clock = Clock.systemDefaultZone();

  @ParentCommand
  ReportCommand report;

  @Spec
  CommandSpec spec;

  @Option(names = "--group", paramLabel = "G", description = "Only the charts of this group (default: all).")
  String group;

  @Option(names = "--out", required = true, paramLabel = "DIR", description = "Directory to write (made if missing).")
  Path out;

  @Option(names = "--svg", description = "Also write each chart as SVG (linked from the page).")
  boolean svg;

  @Option(names = "--logs", arity = "1..*", paramLabel = "FILE",
      description = "Mail logs (oldest first, .gz allowed) whose last 24 hours the page summarises in tables.")
  List<Path> logs;

  @Option(names = "--title", defaultValue = "mailops report", description = "Page title (default: ${DEFAULT-VALUE}).")
  String title;

  @Option(names = "--width", defaultValue = "" + ChartRenderer.DEFAULT_WIDTH, description = "Pixels (default: ${DEFAULT-VALUE}).")
  int width;

  @Option(names = "--height", defaultValue = "" + ChartRenderer.DEFAULT_HEIGHT, description = "Pixels (default: ${DEFAULT-VALUE}).")
  int height;

  @Option(names = "--data", paramLabel = "FILE.csv",
      description = "Draw from this CSV of samples (see below) instead of what 'report collect' stored.")
  Path data;

  @Override
  public Integer call() throws Exception {
    System.setProperty("java.awt.headless", "true");
    Instant now = clock.instant();
    Object defined = ChartSettings.tree(report.root.settings().asProperties(), ChartSettings.KEY);
    List<ChartSpec> all = ChartSettings.parse(defined, now);
    if (all.isEmpty()) {
      throw new IllegalArgumentException("no charts are defined; add them under " + ChartSettings.KEY
          + " in mailops.yml (see 'mailops report render --help')");
    }
    List<ChartSpec> charts = ReportPage.select(all, group);
    List<SummaryTable> tables = List.of();
    if (logs != null && !logs.isEmpty()) {
      LocalDateTime end = LocalDateTime.ofInstant(now, clock.getZone());
      tables = SummaryTable.of(SummaryBuilder.summarize(logs, new SummaryPeriod(end.minusHours(24), end),
          end.toLocalDate(), 10));
    }
    ChartRenderer renderer = new ChartRenderer(sources.open(report.root, data), width, height, clock.getZone());
    List<Path> files = new ReportPage(renderer).write(out, title, charts, tables, svg, now);
    PrintWriter w = spec.commandLine().getOut();
    w.println("wrote " + charts.size() + (charts.size() == 1 ? " chart" : " charts") + " (" + files.size()
        + " files) and " + out.resolve("index.html"));
    w.flush();
    return ExitCode.OK;
  }
}
