package io.mailops.reporting.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mailops.reporting.Parameter;
import io.mailops.reporting.collect.FilePosition;
import io.mailops.reporting.collect.MinuteBatch;
import io.mailops.reporting.series.Sample;
import io.mailops.reporting.series.ScopeRef;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/**
 * What every database the job repository may live in (H2, PostgreSQL) must do for the sample store.
 * Implementations give a store over an empty schema per call.
 */
public interface SampleStoreContract {

  Parameter DELIVERED = Parameter.byName("smtp.out.delivered").orElseThrow();
  Parameter QUEUE = Parameter.byName("queue.total").orElseThrow();
  Instant T0 = Instant.parse("2025-02-02T12:34:00Z");
  ScopeRef DOMAIN = ScopeRef.parse("domain:example.org");

  /** A store with its schema created over an empty database. */
  JdbcSampleStore store() throws Exception;

  /** A data source over an empty database without the report tables. */
  DataSource emptyDatabase() throws Exception;

  @Test
  default void countersShouldAddUpWithinAMinuteAndGaugesShouldBeReplaced() throws Exception {
    JdbcSampleStore store = store();
    MinuteBatch b = new MinuteBatch();
    b.add(DELIVERED, ScopeRef.SERVER, T0.plusSeconds(5), 2);
    b.set(QUEUE, ScopeRef.SERVER, T0.plusSeconds(5), 40);
    store.commit(b, List.of());
    b.clear();
    b.add(DELIVERED, ScopeRef.SERVER, T0.plusSeconds(50), 3);
    b.set(QUEUE, ScopeRef.SERVER, T0.plusSeconds(50), 7);
    b.add(DELIVERED, ScopeRef.SERVER, T0.plusSeconds(60), 1);
    store.commit(b, List.of());

    assertThat(store.read("smtp.out.delivered", ScopeRef.SERVER, T0, T0.plus(Duration.ofHours(1))))
        .containsExactly(new Sample(T0, 5), new Sample(T0.plusSeconds(60), 1));
    assertThat(store.read("queue.total", ScopeRef.SERVER, T0, T0.plusSeconds(60)))
        .containsExactly(new Sample(T0, 7));
    assertThat(store.total("smtp.out.delivered", ScopeRef.SERVER)).isEqualTo(6);
    assertThat(store.total("smtp.out.delivered", DOMAIN)).isZero();
  }

  @Test
  default void readShouldIncludeFromAndExcludeToAndKeepScopesApart() throws Exception {
    JdbcSampleStore store = store();
    MinuteBatch b = new MinuteBatch();
    for (int i = 0; i < 5; i++) {
      b.add(DELIVERED, ScopeRef.SERVER, T0.plusSeconds(60L * i), i + 1);
    }
    b.add(DELIVERED, DOMAIN, T0, 9);
    store.commit(b, List.of());

    assertThat(store.read("smtp.out.delivered", ScopeRef.SERVER, T0.plusSeconds(60), T0.plusSeconds(180)))
        .extracting(Sample::value).containsExactly(2.0, 3.0);
    assertThat(store.read("smtp.out.delivered", DOMAIN, T0, T0.plusSeconds(600)))
        .containsExactly(new Sample(T0, 9));
    assertThat(store.read("smtp.out.bounced", ScopeRef.SERVER, T0, T0.plusSeconds(600))).isEmpty();
  }

  @Test
  default void latestShouldGiveTheNewestMinuteOfEachParameterAtTheScope() throws Exception {
    JdbcSampleStore store = store();
    MinuteBatch b = new MinuteBatch();
    b.set(QUEUE, ScopeRef.SERVER, T0, 3);
    b.set(QUEUE, ScopeRef.SERVER, T0.plusSeconds(120), 8);
    b.add(DELIVERED, ScopeRef.SERVER, T0.plusSeconds(60), 4);
    b.add(DELIVERED, DOMAIN, T0.plusSeconds(180), 1);
    store.commit(b, List.of());

    assertThat(store.latest(ScopeRef.SERVER)).isEqualTo(Map.of("queue.total", 8.0, "smtp.out.delivered", 4.0));
    assertThat(store.latest(DOMAIN)).isEqualTo(Map.of("smtp.out.delivered", 1.0));
    assertThat(store.latest(ScopeRef.parse("account:nobody@example.org"))).isEmpty();
  }

  /**
   * A day of minute samples of every parameter (the size the SNMP agent and /metrics read from):
   * latest must answer from the primary key, not by grouping the whole table (it took over 30 s on
   * H2 with 27,000 samples). Each parameter stops at another minute, so a wrong row shows.
   */
  @Test
  default void latestShouldFindTheNewestMinuteOfEveryParameterInADayOfSamples() throws Exception {
    JdbcSampleStore store = store();
    int minutes = 1440;
    Map<String, Double> expected = new HashMap<>();
    MinuteBatch b = new MinuteBatch();
    for (int p = 0; p < Parameter.ALL.size(); p++) {
      Parameter param = Parameter.ALL.get(p);
      int last = minutes - 1 - p * 7;
      for (int m = 0; m <= last; m++) {
        double v = p * 10_000 + m;
        Instant t = T0.plusSeconds(60L * m);
        if (param.type() == Parameter.Type.COUNTER) {
          b.add(param, ScopeRef.SERVER, t, v);
        } else {
          b.set(param, ScopeRef.SERVER, t, v);
        }
      }
      expected.put(param.name(), p * 10_000.0 + last);
      store.commit(b, List.of());
      b.clear();
    }
    b.add(DELIVERED, DOMAIN, T0.plusSeconds(60L * minutes), 99);
    store.commit(b, List.of());

    assertThat(store.latest(ScopeRef.SERVER)).isEqualTo(expected);
    assertThat(store.latest(DOMAIN)).isEqualTo(Map.of("smtp.out.delivered", 99.0));
  }

  @Test
  default void retentionShouldWarnWithTheCountThenDeleteOlderSamplesButKeepTotals() throws Exception {
    JdbcSampleStore store = store();
    Instant now = Instant.parse("2025-03-30T00:00:00Z");
    MinuteBatch b = new MinuteBatch();
    b.add(DELIVERED, ScopeRef.SERVER, now.minus(Duration.ofDays(30)), 1);
    b.add(DELIVERED, ScopeRef.SERVER, now.minus(Duration.ofDays(20)), 2);
    b.set(QUEUE, ScopeRef.SERVER, now.minus(Duration.ofDays(20)), 5);
    b.add(DELIVERED, ScopeRef.SERVER, now.minus(Duration.ofDays(1)), 4);
    store.commit(b, List.of());

    List<String> warnings = new ArrayList<>();
    assertThat(store.applyRetention(8, now, warnings::add)).isZero();
    assertThat(warnings).isEmpty();

    assertThat(store.applyRetention(2, now, warnings::add)).isEqualTo(3);
    assertThat(warnings).singleElement().asString()
        .startsWith("warning: retention is 2 weeks: deleting 3 minute samples older than 2025-03-16T00:00:00Z");
    assertThat(store.read("smtp.out.delivered", ScopeRef.SERVER, Instant.EPOCH, now))
        .extracting(Sample::value).containsExactly(4.0);
    assertThat(store.total("smtp.out.delivered", ScopeRef.SERVER)).isEqualTo(7);
    assertThatThrownBy(() -> store.applyRetention(0, now, warnings::add))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("mailops.report.retention-weeks");
  }

  @Test
  default void positionsShouldRoundTripAndBeReplaced() throws Exception {
    JdbcSampleStore store = store();
    assertThat(store.position("follow:/var/log/mail.log")).isEmpty();
    store.commit(new MinuteBatch(), List.of(new FilePosition("follow:/var/log/mail.log", "ino:1", "ab", 10)));
    store.commit(new MinuteBatch(), List.of(new FilePosition("follow:/var/log/mail.log", "ino:2", "cd", 20)));
    assertThat(store.position("follow:/var/log/mail.log"))
        .contains(new FilePosition("follow:/var/log/mail.log", "ino:2", "cd", 20));
  }

  @Test
  default void createSchemaShouldBeSafeToRepeat() throws Exception {
    DataSource ds = emptyDatabase();
    JdbcSampleStore store = new JdbcSampleStore(ds);
    store.createSchema();
    store.createSchema();
    assertThat(store.latest(ScopeRef.SERVER)).isEmpty();
  }
}
