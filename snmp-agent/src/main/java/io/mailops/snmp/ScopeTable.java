package io.mailops.snmp;

import io.mailops.reporting.Parameter;
import io.mailops.reporting.series.MetricsView;
import io.mailops.reporting.series.ScopeRef;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import org.snmp4j.agent.MOScope;
import org.snmp4j.agent.MOServerLookupEvent;
import org.snmp4j.agent.MOServerLookupListener;
import org.snmp4j.agent.mo.DefaultMOTable;
import org.snmp4j.agent.mo.DefaultMOTableModel;
import org.snmp4j.agent.mo.DefaultMOTableRow;
import org.snmp4j.agent.mo.MOAccessImpl;
import org.snmp4j.agent.mo.MOColumn;
import org.snmp4j.agent.mo.MOTableIndex;
import org.snmp4j.agent.mo.MOTableSubIndex;
import org.snmp4j.smi.Counter64;
import org.snmp4j.smi.Gauge32;
import org.snmp4j.smi.OID;
import org.snmp4j.smi.OctetString;
import org.snmp4j.smi.SMIConstants;
import org.snmp4j.smi.Variable;

/**
 * The per-domain or per-account table ({@code moDomainTable}, {@code moAccountTable}): one row per
 * scope the {@link ScopeCatalog} lists, indexed by a stable Unsigned32 from the {@link IndexRegistry},
 * column 2 the name, then one column per parameter of {@link OidLayout#DOMAIN_COLUMNS} or
 * {@link OidLayout#ACCOUNT_COLUMNS}: counters their total (Counter64), gauges their latest sample
 * (Gauge32; absent while the scope has none). The rows are read from the store when a request
 * first touches the table; later, when they are older than the time-to-live, a request still gets
 * them while {@code refresher} reads new ones. Thread-safe.
 */
final class ScopeTable implements MOServerLookupListener {

  private static final long GAUGE32_MAX = 0xFFFF_FFFFL;

  private final Parameter.Scope kind;
  private final List<Parameter> columns;
  private final int maxRows;
  private final MetricsView view;
  private final ScopeCatalog catalog;
  private final IndexRegistry indexes;
  private final Clock clock;
  private final Duration ttl;
  private final Consumer<String> warnings;
  private final BackgroundRead background;
  private final SnapshotModel model = new SnapshotModel();
  private final DefaultMOTable<DefaultMOTableRow, MOColumn<?>, SnapshotModel> table;
  private volatile Instant readAt;
  private volatile boolean loaded;

  ScopeTable(OID entry, Parameter.Scope kind, List<String> columnNames, int maxRows, MetricsView view,
      ScopeCatalog catalog, IndexRegistry indexes, Clock clock, Duration ttl, Consumer<String> warnings,
      Executor refresher) {
    this.kind = kind;
    this.background = new BackgroundRead(refresher, this::readNow);
    this.columns = columnNames.stream().map(n -> Parameter.byName(n).orElseThrow()).toList();
    this.maxRows = maxRows;
    this.view = view;
    this.catalog = catalog;
    this.indexes = indexes;
    this.clock = clock;
    this.ttl = ttl;
    this.warnings = warnings;
    MOColumn<?>[] cols = new MOColumn<?>[columns.size() + 1];
    cols[0] = new MOColumn<>(2, SMIConstants.SYNTAX_OCTET_STRING, MOAccessImpl.ACCESS_READ_ONLY);
    for (int i = 0; i < columns.size(); i++) {
      cols[i + 1] = new MOColumn<>(i + 3, columns.get(i).type() == Parameter.Type.COUNTER
          ? SMIConstants.SYNTAX_COUNTER64 : SMIConstants.SYNTAX_GAUGE32, MOAccessImpl.ACCESS_READ_ONLY);
    }
    MOTableSubIndex[] sub = {new MOTableSubIndex(null, SMIConstants.SYNTAX_GAUGE32, 1, 1)};
    table = new DefaultMOTable<>(entry, new MOTableIndex(sub, false), cols, model) {
      /** The server asks an empty table nothing else before GETNEXT passes it over: read it here first. */
      @Override
      public OID find(MOScope range) {
        refresh();
        return super.find(range);
      }
    };
    table.setVolatile(true);
  }

  /** The SNMP4J table to register; register this object as its lookup listener. */
  DefaultMOTable<DefaultMOTableRow, MOColumn<?>, SnapshotModel> table() {
    return table;
  }

  @Override
  public void lookupEvent(MOServerLookupEvent event) {
    refresh();
  }

  @Override
  public void queryEvent(MOServerLookupEvent event) {
    refresh();
  }

  /**
   * Reads the rows the first time (a request that comes meanwhile waits for that read), refreshes
   * them in the background when they are older than the time-to-live.
   */
  void refresh() {
    if (!loaded) {
      readNow();
    } else if (!clock.instant().isBefore(readAt.plus(ttl))) {
      background.start();
    }
  }

  /** Re-reads the rows unless they are fresh; a failed read keeps the old rows and warns. */
  private synchronized void readNow() {
    Instant now = clock.instant();
    if (loaded && now.isBefore(readAt.plus(ttl))) {
      return;
    }
    readAt = now;
    try {
      model.replace(read());
    } catch (IOException | RuntimeException e) {
      warnings.accept("cannot read the " + kind.name().toLowerCase(java.util.Locale.ROOT)
          + " table for SNMP: " + e.getMessage());
    } finally {
      loaded = true;
    }
  }

  private SortedMap<OID, DefaultMOTableRow> read() throws IOException {
    SortedMap<OID, DefaultMOTableRow> rows = new TreeMap<>();
    if (maxRows == 0) {
      return rows;
    }
    List<Map.Entry<Integer, ScopeRef>> scopes = new ArrayList<>();
    for (ScopeRef s : catalog.scopes(kind)) {
      if (s.kind() == kind) {
        scopes.add(Map.entry(indexes.indexOf(s), s));
      }
    }
    scopes.sort(Comparator.comparing(Map.Entry::getKey));
    for (Map.Entry<Integer, ScopeRef> e : scopes.subList(0, Math.min(maxRows, scopes.size()))) {
      ScopeRef scope = e.getValue();
      Map<String, Double> latest = view.latest(scope);
      Variable[] values = new Variable[columns.size() + 1];
      values[0] = new OctetString(scope.name());
      for (int i = 0; i < columns.size(); i++) {
        Parameter p = columns.get(i);
        if (p.type() == Parameter.Type.COUNTER) {
          values[i + 1] = new Counter64(Math.max(0, Math.round(view.total(p.name(), scope))));
        } else {
          Double v = latest.get(p.name());
          values[i + 1] = v == null || v.isNaN() ? null : new Gauge32(Math.max(0, Math.min(GAUGE32_MAX, Math.round(v))));
        }
      }
      OID index = new OID(new int[] {e.getKey()});
      rows.put(index, new DefaultMOTableRow(index, values));
    }
    return rows;
  }

  /** A table model whose rows are swapped whole, so a walk in progress keeps a consistent snapshot. */
  static final class SnapshotModel extends DefaultMOTableModel<DefaultMOTableRow> {

    synchronized void replace(SortedMap<OID, DefaultMOTableRow> snapshot) {
      rows = snapshot;
    }
  }
}
