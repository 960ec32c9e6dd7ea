package io.mailops.jobs.cli;

import io.mailops.jobs.batch.BatchApplication;
import io.mailops.reporting.Parameter;
import io.mailops.reporting.series.Aggregation;
import io.mailops.reporting.series.Sample;
import io.mailops.reporting.series.ScopeRef;
import io.mailops.reporting.store.JdbcSampleStore;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import javax.sql.DataSource;
import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.springframework.context.ConfigurableApplicationContext;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code mailops report export}: the raw minute samples of one or more parameters at one scope
 * (no downsampling), or with {@code --summary} their per-parameter aggregates, as CSV or as XML in
 * the schema of {@code docs/report-export.xsd} (described in {@code docs/report-export.md}).
 */
@Command(name = "export", mixinStandardHelpOptions = true,
    description = {"Export collected minute samples, raw (no downsampling), as CSV or XML.",
        "CSV columns: timestamp,parameter,scope,value (timestamps ISO-8601 UTC, the start of the minute);"
            + " with --summary: parameter,scope,type,unit,from,to,count,total,avg,min,max.",
        "XML: docs/report-export.xsd (namespace " + ReportExportCommand.NS + ")."})
public final class ReportExportCommand implements Callable<Integer> {

  /** The XML namespace of the export. */
  static final String NS = "urn:mailops:report-export:1";
  static final List<String> CSV_HEADER = List.of("timestamp", "parameter", "scope", "value");
  static final List<String> SUMMARY_HEADER = List.of("parameter", "scope", "type", "unit", "from", "to", "count",
      "total", "avg", "min", "max");

  private static final List<Aggregation> SUMMARY_AGGREGATIONS =
      List.of(Aggregation.TOTAL, Aggregation.AVG, Aggregation.MIN, Aggregation.MAX);

  @ParentCommand
  ReportCommand parent;

  @Spec
  CommandSpec spec;

  @Option(names = "--param", required = true, split = ",", paramLabel = "P",
      description = "Parameters (see 'mailops report params'), comma-separated or repeated.")
  List<String> params;

  @Option(names = "--scope", defaultValue = "server", paramLabel = "SCOPE",
      description = "server (default), domain:DOMAIN or account:USER@DOMAIN.")
  String scope;

  @Option(names = "--from", required = true, paramLabel = "TIME",
      description = "Start (included): YYYY-MM-DD, YYYY-MM-DDTHH:MM[:SS] (local time) or with Z/offset.")
  String from;

  @Option(names = "--to", required = true, paramLabel = "TIME",
      description = "End (excluded); a date alone includes that whole day.")
  String to;

  @Option(names = "--format", defaultValue = "csv", paramLabel = "csv|xml", description = "csv (default) or xml.")
  String format;

  @Option(names = "--summary", description = "Per parameter: count, total, avg, min, max instead of the samples.")
  boolean summary;

  @Option(names = "--out", paramLabel = "FILE", description = "Write to FILE instead of standard output.")
  Path outFile;

  ZoneId zone = ZoneId.systemDefault();

  @Override
  public Integer call() throws Exception {
    String fmt = format.trim().toLowerCase(Locale.ROOT);
    if (!fmt.equals("csv") && !fmt.equals("xml")) {
      throw new IllegalArgumentException("--format '" + format + "': use csv or xml");
    }
    ScopeRef s = ScopeRef.parse(scope);
    List<Parameter> ps = parameters(s);
    Instant start = ReportChartCommand.time("--from", from, Instant.now(), zone, false);
    Instant end = ReportChartCommand.time("--to", to, Instant.now(), zone, true);
    if (!end.isAfter(start)) {
      throw new IllegalArgumentException("--to " + to + " is not after --from " + from + "; give a later --to");
    }
    try (ConfigurableApplicationContext ctx = BatchApplication.start(parent.root.settings())) {
      JdbcSampleStore store = new JdbcSampleStore(ctx.getBean(DataSource.class));
      store.createSchema();
      Map<Parameter, List<Sample>> series = new LinkedHashMap<>();
      for (Parameter p : ps) {
        series.put(p, store.read(p.name(), s, start, end));
      }
      if (outFile == null) {
        PrintWriter out = spec.commandLine().getOut();
        write(out, fmt, s, start, end, series);
        out.flush();
      } else {
        try (Writer w = Files.newBufferedWriter(outFile, StandardCharsets.UTF_8)) {
          write(w, fmt, s, start, end, series);
        } catch (IOException e) {
          throw new IOException("cannot write " + outFile + ": " + e.getMessage() + "; check the directory and"
              + " its permissions", e);
        }
      }
    }
    return ExitCode.OK;
  }

  private void write(Writer w, String fmt, ScopeRef s, Instant start, Instant end, Map<Parameter, List<Sample>> series)
      throws IOException {
    if (fmt.equals("csv")) {
      csv(w, s, start, end, series);
    } else {
      try {
        xml(w, s, start, end, series);
      } catch (XMLStreamException e) {
        throw new IOException("cannot write the XML export: " + e.getMessage(), e);
      }
    }
  }

  private void csv(Writer w, ScopeRef s, Instant start, Instant end, Map<Parameter, List<Sample>> series)
      throws IOException {
    List<String> header = summary ? SUMMARY_HEADER : CSV_HEADER;
    CSVPrinter p = new CSVPrinter(w, CSVFormat.DEFAULT.builder().setRecordSeparator('\n')
        .setHeader(header.toArray(String[]::new)).get());
    for (Map.Entry<Parameter, List<Sample>> e : series.entrySet()) {
      Parameter param = e.getKey();
      if (summary) {
        List<Sample> v = e.getValue();
        List<String> row = new ArrayList<>(List.of(param.name(), s.toString(), type(param), param.unit(),
            start.toString(), end.toString(), String.valueOf(v.size())));
        for (Aggregation a : SUMMARY_AGGREGATIONS) {
          row.add(v.isEmpty() ? "" : number(a.of(v)));
        }
        p.printRecord(row);
      } else {
        for (Sample sample : e.getValue()) {
          p.printRecord(sample.minute().toString(), param.name(), s.toString(), number(sample.value()));
        }
      }
    }
    p.flush();
  }

  private void xml(Writer w, ScopeRef s, Instant start, Instant end, Map<Parameter, List<Sample>> series)
      throws XMLStreamException {
    XMLStreamWriter x = XMLOutputFactory.newFactory().createXMLStreamWriter(w);
    x.writeStartDocument("UTF-8", "1.0");
    x.writeCharacters("\n");
    x.writeStartElement("report");
    x.writeDefaultNamespace(NS);
    x.writeAttribute("scope", s.toString());
    x.writeAttribute("from", start.toString());
    x.writeAttribute("to", end.toString());
    x.writeAttribute("kind", summary ? "summary" : "samples");
    for (Map.Entry<Parameter, List<Sample>> e : series.entrySet()) {
      Parameter param = e.getKey();
      List<Sample> samples = e.getValue();
      x.writeCharacters("\n  ");
      if (summary) {
        x.writeEmptyElement("summary");
        attributes(x, param, s);
        x.writeAttribute("count", String.valueOf(samples.size()));
        if (!samples.isEmpty()) {
          for (Aggregation a : SUMMARY_AGGREGATIONS) {
            x.writeAttribute(a.name().toLowerCase(Locale.ROOT), number(a.of(samples)));
          }
        }
        continue;
      }
      x.writeStartElement("series");
      attributes(x, param, s);
      for (Sample sample : samples) {
        x.writeCharacters("\n    ");
        x.writeEmptyElement("sample");
        x.writeAttribute("t", sample.minute().toString());
        x.writeAttribute("v", number(sample.value()));
      }
      x.writeCharacters("\n  ");
      x.writeEndElement();
    }
    x.writeCharacters("\n");
    x.writeEndElement();
    x.writeCharacters("\n");
    x.writeEndDocument();
    x.flush();
  }

  private static void attributes(XMLStreamWriter x, Parameter p, ScopeRef s) throws XMLStreamException {
    x.writeAttribute("parameter", p.name());
    x.writeAttribute("scope", s.toString());
    x.writeAttribute("type", type(p));
    x.writeAttribute("unit", p.unit());
  }

  private static String type(Parameter p) {
    return p.type().name().toLowerCase(Locale.ROOT);
  }

  /** Whole numbers without a fraction ({@code 5120}), others as Java prints a double. */
  static String number(double v) {
    if (v == Math.rint(v) && !Double.isInfinite(v) && Math.abs(v) < 1e15) {
      return String.valueOf((long) v);
    }
    return String.valueOf(v);
  }

  private List<Parameter> parameters(ScopeRef s) {
    List<Parameter> out = new ArrayList<>();
    for (String name : params) {
      Parameter p = Parameter.byName(name.trim()).orElseThrow(() -> new IllegalArgumentException(
          "unknown parameter '" + name.trim() + "'; 'mailops report params' lists them"));
      if (!p.scopes().contains(s.kind())) {
        throw new IllegalArgumentException("parameter " + p.name() + " is not collected at "
            + s.kind().name().toLowerCase(Locale.ROOT) + " scope; use --scope server");
      }
      if (!out.contains(p)) {
        out.add(p);
      }
    }
    return out;
  }
}
