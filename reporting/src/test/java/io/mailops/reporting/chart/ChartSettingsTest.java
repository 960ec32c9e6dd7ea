package io.mailops.reporting.chart;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mailops.reporting.series.Aggregation;
import io.mailops.reporting.series.ScopeRef;
import java.io.StringReader;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

class ChartSettingsTest {

  static final Instant NOW = Instant.parse("2026-11-22T08:07:31Z");

  static Object yaml(String text) {
    Map<String, Object> root = new Yaml().load(new StringReader(text));
    return root.get("charts");
  }

  @Test
  void aYamlChartListShouldBecomeSpecs() {
    List<ChartSpec> specs = ChartSettings.parse(yaml("""
        charts:
          - name: mail-traffic
            group: daily
            title: Mail in and out
            params:
              - {param: smtp.in.accepted, color: "#1f77b4"}
              - {param: smtp.out.delivered, scope: "domain:Example.org", agg: max}
            type: stacked
            fill: "#fafafa"
            outline: "#333333"
            timeframe: 7d
          - name: queue
            params: [queue.total, queue.oldest_age]
            step: 15m
        """), NOW);
    assertThat(specs).hasSize(2);
    ChartSpec mail = specs.get(0);
    assertThat(mail.group()).isEqualTo("daily");
    assertThat(mail.title()).isEqualTo("Mail in and out");
    assertThat(mail.type()).isEqualTo(ChartType.STACKED);
    assertThat(ChartSpec.hex(mail.fill())).isEqualTo("#fafafa");
    assertThat(ChartSpec.hex(mail.outline())).isEqualTo("#333333");
    assertThat(mail.to()).isEqualTo(Instant.parse("2026-11-22T08:07:00Z"));
    assertThat(mail.from()).isEqualTo(mail.to().minus(Duration.ofDays(7)));
    assertThat(mail.series().get(0).aggregation()).isEqualTo(Aggregation.TOTAL);
    assertThat(ChartSpec.hex(mail.series().get(0).color())).isEqualTo("#1f77b4");
    assertThat(mail.series().get(1).scope()).isEqualTo(ScopeRef.parse("domain:example.org"));
    assertThat(mail.series().get(1).aggregation()).isEqualTo(Aggregation.MAX);
    ChartSpec queue = specs.get(1);
    assertThat(queue.group()).isEqualTo("default");
    assertThat(queue.title()).isEqualTo("queue");
    assertThat(queue.step()).isEqualTo(Duration.ofMinutes(15));
    assertThat(queue.from()).isEqualTo(queue.to().minus(Duration.ofHours(24)));
    assertThat(queue.series()).extracting(ChartSpec.Series::label)
        .containsExactly("queue.total (server, avg)", "queue.oldest_age (server, avg)");
  }

  @Test
  void flatPropertiesShouldGiveTheSameTreeAsYaml() {
    Map<String, String> flat = new LinkedHashMap<>();
    flat.put("mailops.home", "/x");
    flat.put("mailops.report.charts[0].name", "a");
    flat.put("mailops.report.charts[0].params[0].param", "queue.total");
    flat.put("mailops.report.charts[0].params[1].param", "queue.hold");
    flat.put("mailops.report.charts[0].params[1].color", "#00ff00");
    flat.put("mailops.report.charts[10].name", "k");
    flat.put("mailops.report.charts[10].params[0]", "queue.active");
    flat.put("mailops.report.charts[2].name", "b");
    flat.put("mailops.report.charts[2].params[0].param", "queue.size");
    Object tree = ChartSettings.tree(flat, ChartSettings.KEY);
    assertThat(tree).isEqualTo(List.of(
        Map.of("name", "a", "params", List.of(Map.of("param", "queue.total"),
            Map.of("param", "queue.hold", "color", "#00ff00"))),
        Map.of("name", "b", "params", List.of(Map.of("param", "queue.size"))),
        Map.of("name", "k", "params", List.of("queue.active"))));
    assertThat(ChartSettings.parse(tree, NOW)).extracting(ChartSpec::name).containsExactly("a", "b", "k");
    assertThat(ChartSettings.tree(Map.of("mailops.home", "/x"), ChartSettings.KEY)).isNull();
    assertThat(ChartSettings.parse(null, NOW)).isEmpty();
  }

  @Test
  void errorsShouldBeOneLineNamingTheChartAndTheKey() {
    assertError("""
        charts:
          - {name: mail, params: [queue.total], colour: "#ffffff"}
        """, "mailops.report.charts[0] (mail): unknown key 'colour'; use fill, group, name, outline, params, step,"
        + " timeframe, title, type");
    assertError("""
        charts:
          - {name: mail, params: [{param: queue.total, color: "red"}]}
        """, "mailops.report.charts[0] (mail): params[0]: color: colour 'red': use #rrggbb (quote it in YAML: '#'"
        + " starts a comment)");
    assertError("""
        charts:
          - {name: mail, params: [{param: queue.totl}]}
        """, "mailops.report.charts[0] (mail): params[0]: param: parameter 'queue.totl' is unknown; 'mailops report"
        + " params' lists them");
    assertError("""
        charts:
          - {name: ok, params: [queue.total]}
          - {params: [queue.total]}
        """, "mailops.report.charts[1] (no name): name is missing; every chart needs one (it is the file name)");
    assertError("""
        charts:
          - {name: mail, params: [queue.total], timeframe: 3 days}
        """, "mailops.report.charts[0] (mail): timeframe: duration '3 days': use a number and s, m, h, d or w, as 5m"
        + " or 24h");
    assertError("""
        charts:
          - {name: mail, params: [queue.total], type: pie}
        """, "mailops.report.charts[0] (mail): type: chart type 'pie': use line, bar, area or stacked");
    assertError("""
        charts:
          - {name: mail}
        """, "mailops.report.charts[0] (mail): params: give a list of one or more parameters, got nothing");
    assertError("""
        charts:
          - {name: mail, params: [{param: queue.total, scope: "domain:example.org"}]}
        """, "mailops.report.charts[0] (mail): params[0]: param: parameter queue.total is not collected at scope"
        + " domain:example.org; it has [server]");
    assertError("""
        charts:
          - {name: mail, params: [smtp.in.accepted, queue.oldest_age, smtp.in.bytes]}
        """, "mailops.report.charts[0] (mail): chart mail: its parameters have 3 units [messages, seconds, bytes]; a"
        + " chart has two Y axes at most, split it into charts of one or two units");
    assertError("""
        charts:
          - {name: mail, params: [queue.total]}
          - {name: mail, params: [queue.hold]}
        """, "mailops.report.charts[1] (mail): name: another chart has this name; names are file names and must"
        + " differ");
    assertError("""
        charts:
          - {name: ../etc, params: [queue.total]}
        """, "mailops.report.charts[0] (../etc): chart name '../etc': use letters, digits, '.', '_' and '-' (it is"
        + " also the file name)");
  }

  static void assertError(String yaml, String message) {
    assertThatThrownBy(() -> ChartSettings.parse(yaml(yaml), NOW))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(message);
  }
}
