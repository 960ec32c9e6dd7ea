package io.mailops.reporting.chart;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mailops.reporting.ReportingException;
import io.mailops.reporting.series.Sample;
import io.mailops.reporting.series.ScopeRef;
import java.io.StringReader;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CsvSeriesSourceTest {

  @TempDir
  Path tmp;

  static CsvSeriesSource parse(String csv) throws Exception {
    return CsvSeriesSource.parse(new StringReader(csv), "s.csv");
  }

  @Test
  void samplesShouldBeReadSortedAndCutToTheTimeframe() throws Exception {
    CsvSeriesSource s = parse("""
        param,scope,minute,value
        queue.total,server,2026-11-21T08:02:00Z,7
        queue.total,server,2026-11-21T08:00Z,5
        queue.total,server,2026-11-21T09:01:00+01:00,6
        smtp.out.delivered,domain:Example.org,2026-11-21T08:00:00Z,3.5
        "queue.total","server","2026-11-21T08:03:00Z","8"
        """);
    assertThat(s.size()).isEqualTo(5);
    assertThat(s.read("queue.total", ScopeRef.SERVER, Instant.parse("2026-11-21T08:01:00Z"),
        Instant.parse("2026-11-21T08:03:00Z"))).containsExactly(
        new Sample(Instant.parse("2026-11-21T08:01:00Z"), 6), new Sample(Instant.parse("2026-11-21T08:02:00Z"), 7));
    assertThat(s.read("smtp.out.delivered", ScopeRef.parse("domain:example.org"), Instant.EPOCH,
        Instant.parse("2030-01-01T00:00:00Z"))).extracting(Sample::value).containsExactly(3.5);
    assertThat(s.read("queue.hold", ScopeRef.SERVER, Instant.EPOCH, Instant.parse("2030-01-01T00:00:00Z"))).isEmpty();
    assertThat(s.read("queue.total", ScopeRef.SERVER, Instant.parse("2026-11-21T09:00:00Z"),
        Instant.parse("2026-11-21T08:00:00Z"))).isEmpty();
  }

  @Test
  void theExportLayoutShouldReadAsIs() throws Exception {
    CsvSeriesSource s = parse("timestamp,parameter,scope,value\n2026-02-02T12:34:00Z,smtp.out.delivered,server,1\n"
        + "2026-02-02T12:35:00Z,smtp.out.delivered,server,2.5\n");
    assertThat(s.read("smtp.out.delivered", ScopeRef.SERVER, Instant.EPOCH, Instant.parse("2030-01-01T00:00:00Z")))
        .containsExactly(new Sample(Instant.parse("2026-02-02T12:34:00Z"), 1),
            new Sample(Instant.parse("2026-02-02T12:35:00Z"), 2.5));
  }

  @Test
  void aHeaderOnlyFileShouldHaveNoSamples() throws Exception {
    assertThat(parse("param,scope,minute,value\n").size()).isZero();
  }

  @Test
  void badInputShouldNameTheFileTheLineAndTheValue() {
    assertThatThrownBy(() -> parse("p,s,m,v\n")).isInstanceOf(ReportingException.class)
        .hasMessage("samples file s.csv line 1: header [p, s, m, v]; expected param,scope,minute,value (or"
            + " timestamp,parameter,scope,value as 'mailops report export' writes)");
    assertThatThrownBy(() -> parse("param,scope,minute,value\nqueue.total,server,2026-11-21T08:00:00Z,1\n"
        + "queue.total,server,2026-11-21 08:01,2\n")).isInstanceOf(ReportingException.class)
        .hasMessage("samples file s.csv line 3: minute '2026-11-21 08:01': use an ISO date-time with offset, as"
            + " 2026-11-21T08:07:00Z; fix or remove the line");
    assertThatThrownBy(() -> parse("param,scope,minute,value\nqueue.total,server,2026-11-21T08:00:30Z,1\n"))
        .hasMessage("samples file s.csv line 2: minute '2026-11-21T08:00:30Z' is not the start of a minute; fix or"
            + " remove the line");
    assertThatThrownBy(() -> parse("param,scope,minute,value\nqueue.total,host,2026-11-21T08:00Z,1\n"))
        .hasMessage("samples file s.csv line 2: scope 'host': use server, domain:DOMAIN or account:USER@DOMAIN; fix"
            + " or remove the line");
    assertThatThrownBy(() -> parse("param,scope,minute,value\nqueue.total,server,2026-11-21T08:00Z,NaN\n"))
        .hasMessage("samples file s.csv line 2: value 'NaN' is not a finite number; fix or remove the line");
    assertThatThrownBy(() -> parse("param,scope,minute,value\nqueue.total,server,2026-11-21T08:00Z\n"))
        .hasMessage("samples file s.csv line 2: 3 fields; expected 4 (param,scope,minute,value); fix or remove the"
            + " line");
    assertThatThrownBy(() -> parse("param,scope,minute,value\nqueue.total,server,2026-11-21T08:00Z,1\n"
        + "queue.total,server,2026-11-21T09:00+01:00,2\n"))
        .hasMessage("samples file s.csv: two samples of queue.total server at 2026-11-21T08:00:00Z; keep one");
  }

  @Test
  void aMissingFileShouldSayHowToMakeOne() {
    Path f = tmp.resolve("none.csv");
    assertThatThrownBy(() -> CsvSeriesSource.open(f)).isInstanceOf(ReportingException.class)
        .hasMessage("samples file " + f + " does not exist; write one with 'mailops report export --format csv'");
  }
}
