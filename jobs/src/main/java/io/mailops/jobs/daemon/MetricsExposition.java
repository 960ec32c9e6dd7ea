package io.mailops.jobs.daemon;

import io.mailops.reporting.Parameter;
import io.mailops.reporting.series.MetricsView;
import io.mailops.reporting.series.ScopeRef;
import java.io.IOException;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The reporting parameters in the Prometheus text exposition format (and OpenMetrics, which adds
 * {@code # EOF}): the parameters the SNMP agent serves, at server scope, named
 * {@code mailops_} + the parameter name with '.' as '_' ({@code mailops_smtp_in_accepted_total}
 * for the counter {@code smtp.in.accepted}, {@code mailops_queue_deferred} for a gauge). Counters
 * are totals since collection started; gauges the newest minute sample (left out when none).
 */
public final class MetricsExposition {

  private MetricsExposition() {}

  /** The exposition of {@code parameters} as {@code view} has them now. */
  public static String render(List<Parameter> parameters, MetricsView view, boolean openMetrics) throws IOException {
    Map<String, Double> latest = view.latest(ScopeRef.SERVER);
    StringBuilder b = new StringBuilder();
    for (Parameter p : parameters) {
      String name = "mailops_" + p.name().replace('.', '_');
      boolean counter = p.type() == Parameter.Type.COUNTER;
      Double value = counter ? Double.valueOf(view.total(p.name(), ScopeRef.SERVER)) : latest.get(p.name());
      if (value == null) {
        continue;
      }
      b.append("# HELP ").append(name).append(' ').append(escape(p.description() + " (" + p.unit() + ")")).append('\n');
      b.append("# TYPE ").append(name).append(counter ? " counter\n" : " gauge\n");
      b.append(name).append(counter ? "_total " : " ").append(number(value)).append('\n');
    }
    if (openMetrics) {
      b.append("# EOF\n");
    }
    return b.toString();
  }

  private static String number(double v) {
    return v == Math.rint(v) && Math.abs(v) < 1e15 ? String.valueOf((long) v) : String.format(Locale.ROOT, "%s", v);
  }

  private static String escape(String s) {
    return s.replace("\\", "\\\\").replace("\n", "\\n");
  }
}
