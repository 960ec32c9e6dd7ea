package io.mailops.reporting.collect;

import static org.assertj.core.api.Assertions.assertThat;

import io.mailops.reporting.Parameter;
import io.mailops.reporting.series.Sample;
import io.mailops.reporting.series.ScopeRef;
import io.mailops.reporting.store.JdbcSampleStore;
import io.mailops.reporting.store.TestDatabase;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The counters of a log with known events, and backfills that never count a line twice. */
class CollectorTest {

  static final Clock CLOCK = Clock.fixed(Instant.parse("2025-03-01T00:00:00Z"), ZoneOffset.UTC);

  @TempDir
  Path tmp;

  static Path resource(String name) throws Exception {
    return Path.of(CollectorTest.class.getResource("/logs/" + name).toURI());
  }

  static Collector collector(JdbcSampleStore store, List<Path> logs, boolean domains, boolean accounts) {
    return new Collector(new Collector.Settings(logs, domains, accounts, ZoneOffset.UTC), store, null, CLOCK);
  }

  /** Every counter's total at {@code scope}, zero ones left out. */
  static Map<String, Double> totals(JdbcSampleStore store, ScopeRef scope) throws Exception {
    Map<String, Double> out = new LinkedHashMap<>();
    for (Parameter p : Parameter.ALL) {
      double t = store.total(p.name(), scope);
      if (p.type() == Parameter.Type.COUNTER && t != 0) {
        out.put(p.name(), t);
      }
    }
    return out;
  }

  @Test
  void backfillShouldCountDovecotsOwnLogFileWithItsLoginsAndAppends() throws Exception {
    JdbcSampleStore store = TestDatabase.store();
    Collector.Result r = collector(store, List.of(), true, true).backfill(List.of(resource("dovecot-log-path.log")));

    assertThat(r.lines()).isEqualTo(15);
    assertThat(r.unparsed()).as("master, a no-auth disconnect, 3 lmtp lines").isEqualTo(5);
    Map<String, Double> expected = new LinkedHashMap<>();
    expected.put("pop3.logins", 1.0);
    expected.put("pop3.login_failures", 1.0);
    expected.put("pop3.bytes_retrieved", 572.0);
    expected.put("imap.logins", 2.0);
    expected.put("imap.login_failures", 1.0);
    expected.put("imap.bytes_in", 32.0 + 176);
    expected.put("imap.bytes_out", 823.0 + 1139);
    expected.put("imap.appends", 2.0);
    expected.put("collector.unparsed_lines", 5.0);
    assertThat(totals(store, ScopeRef.SERVER)).isEqualTo(expected);
    assertThat(totals(store, ScopeRef.parse("account:rep-a@report.test"))).containsEntry("imap.appends", 2.0)
        .containsEntry("imap.logins", 2.0);
  }

  @Test
  void backfillShouldCountTheKnownEventsOfTheReferenceLines() throws Exception {
    JdbcSampleStore store = TestDatabase.store();
    Collector.Result r = collector(store, List.of(), false, false).backfill(List.of(resource("collect-known.log")));

    assertThat(r.lines()).isEqualTo(26);
    assertThat(r.unparsed()).isEqualTo(2);
    Map<String, Double> expected = new LinkedHashMap<>();
    expected.put("smtp.in.connections", 1.0);
    expected.put("smtp.in.auth_success", 1.0);
    expected.put("smtp.in.auth_failures", 1.0);
    expected.put("smtp.in.accepted", 2.0);
    expected.put("smtp.in.rejected", 2.0);
    expected.put("smtp.in.rcpt_rejected", 2.0);
    expected.put("smtp.in.bytes", 5120.0);
    expected.put("smtp.out.delivered", 1.0);
    expected.put("smtp.out.deferred", 1.0);
    expected.put("smtp.out.bounced", 1.0);
    expected.put("smtp.out.expired", 1.0);
    expected.put("smtp.out.connections", 2.0);
    expected.put("smtp.out.bytes", 5120.0);
    expected.put("queue.inserted", 1.0);
    expected.put("pop3.logins", 1.0);
    expected.put("pop3.login_failures", 1.0);
    expected.put("pop3.bytes_retrieved", 1523.0);
    expected.put("imap.logins", 2.0);
    expected.put("imap.login_failures", 4.0);
    expected.put("imap.bytes_in", 397.0);
    expected.put("imap.bytes_out", 10242.0);
    expected.put("filter.rejected", 3.0);
    expected.put("filter.spam", 1.0);
    expected.put("filter.rbl_rejects", 1.0);
    expected.put("collector.unparsed_lines", 2.0);
    assertThat(totals(store, ScopeRef.SERVER)).containsExactlyInAnyOrderEntriesOf(expected);
    assertThat(store.read("smtp.out.delivered", ScopeRef.SERVER, Instant.EPOCH, CLOCK.instant()))
        .containsExactly(new Sample(Instant.parse("2025-02-02T12:34:00Z"), 1));
    assertThat(store.read("imap.logins", ScopeRef.SERVER, Instant.EPOCH, CLOCK.instant()))
        .containsExactly(new Sample(Instant.parse("2025-02-02T12:35:00Z"), 1),
            new Sample(Instant.parse("2025-02-02T12:38:00Z"), 1));
    assertThat(totals(store, ScopeRef.parse("domain:example.org"))).isEmpty();
  }

  @Test
  void domainAndAccountScopesShouldBeAttributedFromTheAddressesWhenEnabled() throws Exception {
    JdbcSampleStore store = TestDatabase.store();
    collector(store, List.of(), true, true).backfill(List.of(resource("collect-known.log")));

    Map<String, Double> org = totals(store, ScopeRef.parse("domain:example.org"));
    assertThat(org).containsEntry("smtp.out.delivered", 1.0)      // lmtp to carol@example.org
        .containsEntry("smtp.in.auth_success", 1.0)                 // alice@example.org on submission
        .containsEntry("imap.logins", 2.0)
        .containsEntry("pop3.logins", 1.0)
        .containsEntry("pop3.login_failures", 1.0)                  // admin@example.org
        .containsEntry("smtp.in.rejected", 2.0)                     // to x@ and b@example.org
        .containsEntry("smtp.out.expired", 1.0)                     // from bob@example.org
        .doesNotContainKey("smtp.in.connections");                  // a server-only parameter
    assertThat(totals(store, ScopeRef.parse("account:carol@example.org")))
        .containsOnly(Map.entry("smtp.out.delivered", 1.0), Map.entry("imap.logins", 2.0), Map.entry("imap.bytes_in", 397.0), Map.entry("imap.bytes_out", 10242.0));
    assertThat(totals(store, ScopeRef.SERVER)).containsEntry("imap.logins", 2.0);
  }

  @Test
  void backfillingTheSameLogsTwiceShouldGiveTheSameNumbers() throws Exception {
    Path plain = resource("mail-summary.log");
    Path gz = tmp.resolve("mail.log.2.gz");
    try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(gz))) {
      Files.copy(resource("collect-known.log"), out);
    }
    JdbcSampleStore store = TestDatabase.store();
    Collector.Result first = collector(store, List.of(), false, false).backfill(List.of(gz, plain));
    Map<String, Double> once = totals(store, ScopeRef.SERVER);
    List<Sample> minutes = store.read("smtp.in.connections", ScopeRef.SERVER, Instant.EPOCH, CLOCK.instant());

    Collector.Result second = collector(store, List.of(), false, false).backfill(List.of(gz, plain));

    long plainLines = 0;
    for (byte b : Files.readAllBytes(plain)) {
      plainLines += b == '\n' ? 1 : 0;
    }
    assertThat(first.lines()).isEqualTo(26 + plainLines);
    assertThat(second.lines()).isZero();
    assertThat(totals(store, ScopeRef.SERVER)).isEqualTo(once);
    assertThat(store.read("smtp.in.connections", ScopeRef.SERVER, Instant.EPOCH, CLOCK.instant()))
        .isEqualTo(minutes);
    assertThat(once.get("smtp.in.connections")).isGreaterThan(50);
  }

  @Test
  void backfillShouldCountOnlyTheLinesAddedSinceTheLastBackfillOfTheSameFile() throws Exception {
    Path log = tmp.resolve("mail.log");
    List<String> lines = Files.readAllLines(resource("collect-known.log"));
    Files.write(log, lines.subList(0, 10));
    JdbcSampleStore store = TestDatabase.store();
    collector(store, List.of(), false, false).backfill(List.of(log));
    Files.write(log, lines);   // the same file, grown

    Collector.Result r = collector(store, List.of(), false, false).backfill(List.of(log));

    assertThat(r.lines()).isEqualTo(16);
    assertThat(totals(store, ScopeRef.SERVER)).containsEntry("imap.logins", 2.0)
        .containsEntry("smtp.in.connections", 1.0).containsEntry("smtp.out.delivered", 1.0);
  }
}
