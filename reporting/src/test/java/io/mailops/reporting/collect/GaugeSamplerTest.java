package io.mailops.reporting.collect;

import static org.assertj.core.api.Assertions.assertThat;

import io.mailops.reporting.series.ScopeRef;
import io.mailops.storage.queue.postfix.PostfixQueueFixture;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Gauges from the real Postfix queue fixture, a loadavg file and the file system. */
class GaugeSamplerTest {

  @TempDir
  Path tmp;

  private static Map<String, Double> server(MinuteBatch b) {
    Map<String, Double> m = new TreeMap<>();
    for (MinuteBatch.Entry e : b.entries()) {
      if (e.scope().equals(ScopeRef.SERVER)) {
        m.put(e.parameter().name(), e.value());
      }
    }
    return m;
  }

  @Test
  void shouldSampleTheQueueTheLoadAndTheFreeSpace() throws Exception {
    Path queue = PostfixQueueFixture.copyTo(tmp.resolve("spool"));
    Path loadavg = tmp.resolve("loadavg");
    Files.writeString(loadavg, "0.52 1.48 2.05 1/123 4567\n");
    Instant now = PostfixQueueFixture.firstArrival().plusSeconds(113);
    Clock clock = Clock.fixed(now, ZoneOffset.UTC);
    MinuteBatch b = new MinuteBatch();
    List<String> warnings = new ArrayList<>();

    new GaugeSampler(new GaugeSampler.Sources(queue, loadavg, null, tmp, false, false), clock).sample(b, warnings);

    assertThat(warnings).isEmpty();
    Map<String, Double> m = server(b);
    assertThat(m).containsEntry("queue.total", 11.0).containsEntry("queue.deferred", 8.0)
        .containsEntry("queue.hold", 2.0).containsEntry("queue.active", 0.0).containsEntry("queue.incoming", 0.0)
        .containsEntry("queue.oldest_age", 112.0)   // arrival has microseconds: 112.x s.containsEntry("queue.size", 5.0)
        .containsEntry("system.load1", 52.0).containsEntry("system.load5", 148.0)
        .containsEntry("system.load15", 205.0)
        .containsEntry("collector.last_run", (double) now.getEpochSecond());
    assertThat(m.get("storage.free")).isPositive();
    assertThat(b.entries()).allSatisfy(e -> assertThat(e.minute()).isEqualTo(MinuteBatch.minuteOf(now)));
  }

  @Test
  void shouldSampleTheActiveConnectionsFromTheSocketTable() throws Exception {
    Files.writeString(tmp.resolve("tcp"), "  sl  local_address rem_address   st tx_queue\n"
        + "   0: 0A000001:0019 C0000207:D431 01 00000000:00000000\n"
        + "   1: 0A000001:008F C0000208:D432 01 00000000:00000000\n"
        + "   2: 0A000001:008F C0000209:D433 01 00000000:00000000\n"
        + "   3: 0A000001:0019 00000000:0000 0A 00000000:00000000\n");
    ActiveConnections ports = new ActiveConnections(tmp, ActiveConnections.SMTP_IN_PORTS,
        ActiveConnections.POP3_PORTS, ActiveConnections.IMAP_PORTS, ActiveConnections.SMTP_OUT_PORTS);
    MinuteBatch b = new MinuteBatch();
    List<String> warnings = new ArrayList<>();

    new GaugeSampler(new GaugeSampler.Sources(null, null, null, null, false, false, ports), Clock.systemUTC())
        .sample(b, warnings);

    assertThat(warnings).isEmpty();
    assertThat(server(b)).containsEntry("smtp.in.active_connections", 1.0)
        .containsEntry("imap.active_sessions", 2.0).containsEntry("pop3.active_sessions", 0.0)
        .containsEntry("smtp.out.active_connections", 0.0);

    MinuteBatch broken = new MinuteBatch();
    new GaugeSampler(new GaugeSampler.Sources(null, null, null, null, false, false,
        new ActiveConnections(tmp.resolve("nowhere"), Set.of(25), Set.of(), Set.of(), Set.of())), Clock.systemUTC())
        .sample(broken, warnings);
    assertThat(warnings).singleElement().asString().startsWith("connection gauges left out: cannot read ");
    assertThat(server(broken)).doesNotContainKey("imap.active_sessions").containsKey("collector.last_run");
  }

  @Test
  void anUnreadableSourceShouldBeAWarningAndTheOthersStillSampled() {
    MinuteBatch b = new MinuteBatch();
    List<String> warnings = new ArrayList<>();
    Path loadavg = tmp.resolve("no-loadavg");

    new GaugeSampler(new GaugeSampler.Sources(tmp.resolve("no-spool"), loadavg, null, tmp, false, false),
        Clock.systemUTC()).sample(b, warnings);

    assertThat(warnings).hasSize(2);
    assertThat(warnings.get(0)).startsWith("queue gauges left out: ").contains("no-spool");
    assertThat(warnings.get(1)).contains(loadavg.toString());
    assertThat(server(b)).containsKeys("storage.free", "collector.last_run").doesNotContainKey("queue.total");
  }
}
