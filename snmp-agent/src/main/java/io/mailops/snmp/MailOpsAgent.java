package io.mailops.snmp;

import io.mailops.reporting.Parameter;
import io.mailops.reporting.series.MetricsView;
import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.snmp4j.MessageDispatcherImpl;
import org.snmp4j.agent.AgentConfigManager;
import org.snmp4j.agent.DefaultMOServer;
import org.snmp4j.agent.DuplicateRegistrationException;
import org.snmp4j.agent.MOServer;
import org.snmp4j.agent.NotificationOriginator;
import org.snmp4j.agent.mo.snmp.NotificationOriginatorImpl;
import org.snmp4j.cfg.EngineBootsCounterFile;
import org.snmp4j.cfg.EngineBootsProvider;
import org.snmp4j.mp.CounterSupport;
import org.snmp4j.mp.MPv3;
import org.snmp4j.mp.SnmpConstants;
import org.snmp4j.security.SecurityModels;
import org.snmp4j.security.SecurityProtocols;
import org.snmp4j.smi.Counter64;
import org.snmp4j.smi.Gauge32;
import org.snmp4j.smi.GenericAddress;
import org.snmp4j.smi.Integer32;
import org.snmp4j.smi.Null;
import org.snmp4j.smi.OID;
import org.snmp4j.smi.OctetString;
import org.snmp4j.smi.TimeTicks;
import org.snmp4j.smi.UdpAddress;
import org.snmp4j.smi.UnsignedInteger32;
import org.snmp4j.smi.Variable;
import org.snmp4j.smi.VariableBinding;
import org.snmp4j.transport.DefaultUdpTransportMapping;
import org.snmp4j.util.ThreadPool;

/**
 * A running read-only SNMP agent (SNMP4J-Agent, SNMPv2c and SNMPv3 USM authPriv) serving the
 * reporting parameters under {@link SnmpSettings#baseOid()} (layout: {@link OidLayout}): the
 * server-scope parameters as scalars (counters as Counter64 totals, gauges as Gauge32 latest
 * levels), the per-domain and per-account tables, and moCountersDiscontinuityTime, all read from
 * the {@link MetricsView} (scalars at most once a second, tables at most every 15 s; once there are
 * values a request is answered from them while newer ones are read in the background). The read view holds only
 * SNMPv2-MIB {@code system} and {@code snmp} and our subtree, so SNMP4J's own configuration and
 * security tables stay invisible; the write view is empty, so every SET is refused. SNMPv1 and v3
 * below authPriv are not answered.
 *
 * <p>Notifications ({@code mailOps.0.n}) go to the configured trap targets and, with
 * {@link TrapSettings#sendToAllManagers()}, to the managers that queried lately. The agent raises
 * moQueueHigh and moCollectorStalled itself (checked every {@link TrapSettings#checkEvery()}); the
 * owner of the agent calls {@link #sendStarted()} after {@link #start}, {@link #sendShutdown()}
 * before {@link #close()}, and {@link #sendJobFailed} for failed jobs. SNMP4J also sends the
 * standard coldStart when the agent starts.
 *
 * <p>All methods are thread-safe.
 */
public final class MailOpsAgent implements AutoCloseable {

  private static final Duration CACHE_TTL = Duration.ofSeconds(1);
  /** The collector writes a sample a minute; the tables cost a read per row. */
  private static final Duration TABLE_TTL = Duration.ofSeconds(15);
  private static final OID SYS_NAME = new OID("1.3.6.1.2.1.1.5.0");

  private final AgentConfigManager agent;
  private final String listening;
  private final MetricsCache cache;
  private final AgentAccess access;
  private final Managers managers;
  private final Alarms alarms;
  private final Clock clock;
  private final Consumer<String> warnings;
  private final ScheduledExecutorService checker;
  private final OctetString engineId;
  private final ExecutorService refresher;
  private volatile SnmpSettings settings;
  private ScheduledFuture<?> checking;

  private MailOpsAgent(AgentConfigManager agent, String listening, MetricsCache cache, AgentAccess access,
      Managers managers, SnmpSettings settings, Clock clock, Consumer<String> warnings, OctetString engineId,
      ExecutorService refresher) {
    this.refresher = refresher;
    this.agent = agent;
    this.listening = listening;
    this.cache = cache;
    this.access = access;
    this.managers = managers;
    this.settings = settings;
    this.clock = clock;
    this.warnings = warnings;
    this.engineId = engineId;
    this.alarms = new Alarms(clock.instant());
    this.checker = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "mailops-snmp-alarms");
      t.setDaemon(true);
      return t;
    });
  }

  /** {@link #start(SnmpSettings, MetricsView, ScopeCatalog, Clock, Consumer)} without domain or account rows. */
  public static MailOpsAgent start(SnmpSettings settings, MetricsView view, Clock clock, Consumer<String> warnings)
      throws SnmpException {
    return start(settings, view, ScopeCatalog.NONE, clock, warnings);
  }

  /**
   * Binds {@code settings.listen()} and starts answering; sends no notification except SNMP4J's
   * coldStart (call {@link #sendStarted()}).
   *
   * @param catalog the domains and accounts with data, the rows of the tables
   * @param warnings receives one line per failed read of {@code view} (at most one a second) and per
   *     notification that could not be sent
   * @throws SnmpException when the address cannot be bound or the state directory cannot be used,
   *     with the address or directory and what to do
   */
  public static MailOpsAgent start(SnmpSettings settings, MetricsView view, ScopeCatalog catalog, Clock clock,
      Consumer<String> warnings) throws SnmpException {
    Objects.requireNonNull(view, "view");
    Objects.requireNonNull(catalog, "catalog");
    UdpAddress address = (UdpAddress) GenericAddress.parse(settings.listen());
    if (address == null) {
      throw new SnmpException("cannot listen on " + settings.listen() + ": not a UDP address; give --listen udp:HOST/PORT", null);
    }
    IndexRegistry indexes = IndexRegistry.load(settings.stateDir() == null ? null : settings.stateDir().resolve("table-indexes"));
    EngineBootsProvider boots = boots(settings);
    DefaultUdpTransportMapping transport;
    try {
      transport = new DefaultUdpTransportMapping(address);
    } catch (BindException e) {
      throw new SnmpException("cannot listen on " + settings.listen() + ": address in use; give another --listen", e);
    } catch (IOException e) {
      throw new SnmpException("cannot listen on " + settings.listen() + ": " + e.getMessage() + "; give another --listen"
          + (address.getPort() < 1024 ? " (ports below 1024 need root; see the snmpd proxy directive)" : ""), e);
    }
    try {
      MailOpsAgent a = start(settings, view, catalog, clock, warnings, transport, indexes, boots);
      a.schedule();
      return a;
    } catch (RuntimeException e) {
      try {
        transport.close();
      } catch (IOException closing) {
        e.addSuppressed(closing);
      }
      throw e;
    }
  }

  private static EngineBootsProvider boots(SnmpSettings settings) throws SnmpException {
    if (settings.stateDir() == null) {
      return new RunBoots();
    }
    try {
      Files.createDirectories(settings.stateDir());
    } catch (IOException e) {
      throw new SnmpException("cannot create the SNMP state directory " + settings.stateDir() + ": " + e
          + "; check MAILOPS_HOME and its permissions", e);
    }
    return new EngineBootsCounterFile(settings.stateDir().resolve("engine-boots").toFile());
  }

  private static MailOpsAgent start(SnmpSettings settings, MetricsView view, ScopeCatalog catalog, Clock clock,
      Consumer<String> warnings, DefaultUdpTransportMapping transport, IndexRegistry indexes, EngineBootsProvider boots) {
    String base = settings.baseOid();
    DefaultMOServer server = new DefaultMOServer();
    long[] startNanos = {System.nanoTime()};
    ExecutorService refresher = Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "mailops-snmp-refresh");
      t.setDaemon(true);
      return t;
    });
    MetricsCache cache = new MetricsCache(view, OidLayout.mapped(), clock, CACHE_TTL, warnings,
        () -> (System.nanoTime() - startNanos[0]) / 10_000_000L, refresher);
    cache.values();
    try {
      for (Parameter p : OidLayout.mapped()) {
        OID oid = new OID(OidLayout.instanceOid(base, p).orElseThrow());
        server.register(new ParameterScalar(oid, p.name(),
            p.type() == Parameter.Type.COUNTER ? new Counter64() : new Gauge32(), cache), null);
      }
      server.register(new ParameterScalar(new OID(base + ".1." + OidLayout.DISCONTINUITY[0] + "."
          + OidLayout.DISCONTINUITY[1] + ".0"), MetricsCache.DISCONTINUITY, new TimeTicks(), cache), null);
      // read once now, so that the first requests do not wait for the store
      table(server, new ScopeTable(new OID(OidLayout.entryOid(base, OidLayout.DOMAIN_TABLE)), Parameter.Scope.DOMAIN,
          OidLayout.DOMAIN_COLUMNS, Integer.MAX_VALUE, view, catalog, indexes, clock, TABLE_TTL, warnings, refresher))
          .refresh();
      table(server, new ScopeTable(new OID(OidLayout.entryOid(base, OidLayout.ACCOUNT_TABLE)), Parameter.Scope.ACCOUNT,
          OidLayout.ACCOUNT_COLUMNS, settings.accountRows(), view, catalog, indexes, clock, TABLE_TTL, warnings,
          refresher)).refresh();
    } catch (DuplicateRegistrationException e) {
      throw new IllegalStateException("two objects share the OID " + e.getRegistrationScope(), e);
    }
    MessageDispatcherImpl dispatcher = new MessageDispatcherImpl();
    dispatcher.addTransportMapping(transport);
    Managers managers = new Managers(clock);
    dispatcher.addCommandResponder(managers);
    OctetString engineId = boots instanceof EngineBootsCounterFile file
        ? file.getEngineId(new OctetString(MPv3.createLocalEngineID())) : new OctetString(MPv3.createLocalEngineID());
    AgentConfigManager agent = new AgentConfigManager(engineId, dispatcher, null, new MOServer[] {server},
        ThreadPool.create("mailops-snmp", 2), null, null, boots) {
      /** SNMP4J's default leaves out the community MIB, so v2c traps would carry the security name. */
      @Override
      protected NotificationOriginator createNotificationOriginator() {
        return new NotificationOriginatorImpl(session, getVacmMIB(), getSysUpTime(), getSnmpTargetMIB(),
            getSnmpNotificationMIB(), getSnmpCommunityMIB());
      }
    };
    agent.setContext(new SecurityModels(),
        new SecurityProtocols(SecurityProtocols.SecurityProtocolSet.maxCompatibility), new CounterSupport());
    agent.initialize();
    agent.getSysDescr().setValue("mailops SNMP agent (reporting parameters, read-only)");
    agent.getSysOID().setValue(new OID(base).getValue());
    agent.getSNMPv2MIB().setName(new OctetString(hostName()));
    // as net-snmp: no authenticationFailure trap per bad request (a spoofed flood would become a trap flood)
    agent.getSNMPv2MIB().getSnmpEnableAuthenTraps().setValue(new Integer32(2));
    AgentAccess access = new AgentAccess(agent, engineId, new OID(base));
    access.apply(settings);
    managers.configure(settings);
    agent.run();
    startNanos[0] = System.nanoTime() - agent.getSysUpTime().get().getValue() * 10_000_000L;
    return new MailOpsAgent(agent, transport.getListenAddress().toString(), cache, access, managers, settings, clock,
        warnings, engineId, refresher);
  }

  private static ScopeTable table(DefaultMOServer server, ScopeTable t) throws DuplicateRegistrationException {
    server.register(t.table(), null);
    server.addLookupListener(t, t.table());
    return t;
  }

  private static String hostName() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (IOException e) {
      return "";
    }
  }

  private synchronized void schedule() {
    if (checking != null) {
      checking.cancel(false);
    }
    long every = settings.traps().checkEvery().toMillis();
    checking = checker.scheduleWithFixedDelay(this::checkAlarms, every, every, TimeUnit.MILLISECONDS);
  }

  private void checkAlarms() {
    try {
      Map<String, Variable> values = cache.freshValues().orElse(null);
      if (values == null) {
        return;
      }
      for (OidLayout.Notification n : alarms.check(values, settings.traps(), clock.instant())) {
        if (n == OidLayout.Notification.QUEUE_HIGH) {
          send(n, parameter("queue.total", values),
              notifyObject(OidLayout.NotifyObject.QUEUE_THRESHOLD, new Gauge32(settings.traps().queueHigh())));
        } else {
          send(n, parameter("collector.last_run", values));
        }
      }
    } catch (RuntimeException e) {
      warnings.accept("SNMP alarm check failed: " + e);
    }
  }

  /** The address the agent answers on, {@code HOST/PORT} (the actual port when 0 was asked for). */
  public String listenAddress() {
    return listening;
  }

  /** The agent's SNMP engine ID in hex ({@code 80001f88…}), for v3 trap receivers ({@code createUser -e 0x…}). */
  public String engineId() {
    return engineId.toHexString().replace(":", "");
  }

  /** Sends moAgentStarted (moQueueTotal, sysName) to the targets. */
  public void sendStarted() {
    send(OidLayout.Notification.STARTED, queueTotal(),
        new VariableBinding(SYS_NAME, agent.getSNMPv2MIB().getName()));
  }

  /** Sends moAgentReloaded (moQueueTotal); {@link #reload} sends it itself. */
  public void sendReloaded() {
    send(OidLayout.Notification.RELOADED, queueTotal());
  }

  /**
   * Sends moAgentShutdown (moQueueTotal as last read: it never waits for the store); call it before
   * {@link #close()}, which sends nothing.
   */
  public void sendShutdown() {
    send(OidLayout.Notification.SHUTDOWN, parameter("queue.total", cache.lastValues()));
  }

  /**
   * Sends moJobFailed (moJobName, moJobExecutionId, moJobFailureReason) for a job run that failed or
   * ended with skipped items.
   *
   * @param job the job's name, e.g. {@code backupJob}
   * @param executionId the job execution id (0 to 4294967295; larger ids are sent modulo 2^32)
   * @param reason one line: why it failed, or how many items were skipped
   */
  public void sendJobFailed(String job, long executionId, String reason) {
    send(OidLayout.Notification.JOB_FAILED,
        notifyObject(OidLayout.NotifyObject.JOB_NAME, new OctetString(String.valueOf(job))),
        notifyObject(OidLayout.NotifyObject.JOB_EXECUTION_ID, new UnsignedInteger32(executionId & 0xFFFF_FFFFL)),
        notifyObject(OidLayout.NotifyObject.JOB_REASON, new OctetString(truncate(String.valueOf(reason), 255))));
  }

  /**
   * Applies new communities, users, trap targets, manager and alarm settings without rebinding,
   * then sends moAgentReloaded.
   *
   * @throws SnmpException when {@code next} changes the listen address, the base OID or the
   *     account-table size, which need a restart; nothing is applied then
   */
  public synchronized void reload(SnmpSettings next) throws SnmpException {
    SnmpSettings now = settings;
    if (!next.listen().equals(now.listen()) || !next.baseOid().equals(now.baseOid())
        || next.accountRows() != now.accountRows() || !Objects.equals(next.stateDir(), now.stateDir())) {
      throw new SnmpException("the listen address, base OID, account rows and state directory cannot change on reload"
          + " (running with " + now.listen() + ", " + now.baseOid() + "); restart the agent to apply them", null);
    }
    synchronized (access) {
      access.apply(next);
    }
    managers.configure(next);
    settings = next;
    schedule();
    sendReloaded();
  }

  private void send(OidLayout.Notification n, VariableBinding... vbs) {
    SnmpSettings s = settings;
    try {
      synchronized (access) {
        if (s.traps().sendToAllManagers()) {
          access.managers(managers.current(), s.traps().managerTrapPort());
        }
        agent.getNotificationOriginator().notify(new OctetString(), new OID(n.oid(s.baseOid())), vbs);
      }
    } catch (RuntimeException e) {
      warnings.accept("cannot send the SNMP notification " + n.mibName() + ": " + e);
    }
  }

  private VariableBinding queueTotal() {
    return parameter("queue.total", cache.values().orElse(Map.of()));
  }

  private VariableBinding parameter(String name, Map<String, Variable> values) {
    Variable v = values.get(name);
    return new VariableBinding(new OID(OidLayout.instanceOid(settings.baseOid(), Parameter.byName(name).orElseThrow())
        .orElseThrow()), v != null ? v : Null.noSuchInstance);
  }

  private VariableBinding notifyObject(OidLayout.NotifyObject o, Variable value) {
    return new VariableBinding(new OID(o.oid(settings.baseOid()) + ".0"), value);
  }

  private static String truncate(String s, int max) {
    String line = s.replace('\n', ' ').replace('\r', ' ');
    return line.length() <= max ? line : line.substring(0, max);
  }

  /** Stops the alarm checks, stops answering and releases the port; sends nothing; safe to call twice. */
  @Override
  public void close() {
    checker.shutdownNow();
    agent.shutdown();
    refresher.shutdownNow();
  }

  /** The managers currently remembered for send-to-all-managers, as {@code IP (v2c)} or {@code IP (v3 user NAME)}. */
  public List<String> recentManagers() {
    List<String> out = new ArrayList<>();
    for (Managers.Manager m : managers.current()) {
      out.add(m.ip() + (m.v3() ? " (v3 user " + m.securityName() + ")" : " (v2c)"));
    }
    return out;
  }

  /** Engine boots kept in memory when there is no state directory. */
  private static final class RunBoots implements EngineBootsProvider {

    private int boots;

    @Override
    public synchronized int updateEngineBoots() {
      return ++boots;
    }

    @Override
    public synchronized int getEngineBoots() {
      return boots;
    }
  }
}
