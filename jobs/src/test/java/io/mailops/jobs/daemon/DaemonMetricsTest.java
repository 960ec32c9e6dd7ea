package io.mailops.jobs.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import io.mailops.reporting.series.MetricsView;
import io.mailops.reporting.series.ScopeRef;
import io.mailops.snmp.OidLayout;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** /metrics: the SNMP agent's parameters in the Prometheus text format, from what the collector stored. */
class DaemonMetricsTest {

  final MetricsView view = new MetricsView() {
    @Override
    public Map<String, Double> latest(ScopeRef scope) {
      return scope.equals(ScopeRef.SERVER) ? Map.of("queue.deferred", 7.0, "smtp.in.accepted", 3.0) : Map.of();
    }

    @Override
    public double total(String parameter, ScopeRef scope) {
      return parameter.equals("smtp.in.accepted") ? 42 : 0;
    }
  };

  @Test
  void countersAreTotalsWithTheTotalSuffixAndGaugesTheirLatestSample() throws Exception {
    String text = MetricsExposition.render(OidLayout.mapped(), view, false);

    assertThat(text).contains("# HELP mailops_smtp_in_accepted smtpd QID: client= (messages)\n"
        + "# TYPE mailops_smtp_in_accepted counter\n"
        + "mailops_smtp_in_accepted_total 42\n");
    assertThat(text).contains("# TYPE mailops_queue_deferred gauge\nmailops_queue_deferred 7\n");
    assertThat(text).doesNotContain("mailops_queue_hold").doesNotContain("# EOF");
    assertThat(text.lines().filter(l -> !l.startsWith("#")))
        .allMatch(l -> l.matches("mailops_[a-z0-9_]+ -?[0-9.E]+"));
  }

  @Test
  void openMetricsEndsWithEof() throws Exception {
    assertThat(MetricsExposition.render(OidLayout.mapped(), view, true)).endsWith("\n# EOF\n");
  }
}
