package io.mailops.jobs.cli;

import io.mailops.reporting.Parameter;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code mailops report params}: one parameter per line, its stable name first, then counter or
 * gauge, the unit, the scopes and the MIB object name (columns separated by two or more spaces;
 * units may contain one space).
 */
@Command(name = "params", mixinStandardHelpOptions = true,
    description = {"The reporting parameters: name, type (counter|gauge), unit, scopes, MIB name.",
        "Counters never decrease (history keeps per-minute deltas); gauges are sampled each minute."})
public final class ReportParamsCommand implements Callable<Integer> {

  @Spec
  CommandSpec spec;

  @Override
  public Integer call() {
    Table t = new Table("NAME", "TYPE", "UNIT", "SCOPES", "MIB");
    for (Parameter p : Parameter.ALL) {
      String scopes = p.scopes().stream().sorted().map(s -> s.name().toLowerCase(Locale.ROOT))
          .collect(Collectors.joining(","));
      t.row(p.name(), p.type().name().toLowerCase(Locale.ROOT), p.unit(), scopes, p.mibName());
    }
    PrintWriter out = spec.commandLine().getOut();
    t.print(out);
    out.flush();
    return ExitCode.OK;
  }
}
