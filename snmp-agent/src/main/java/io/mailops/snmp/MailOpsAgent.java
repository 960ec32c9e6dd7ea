package io.mailops.snmp;

import io.mailops.reporting.Parameter;
import io.mailops.reporting.series.MetricsView;
import java.io.IOException;
import java.net.BindException;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Consumer;
import org.snmp4j.MessageDispatcherImpl;
import org.snmp4j.agent.AgentConfigManager;
import org.snmp4j.agent.DefaultMOServer;
import org.snmp4j.agent.DuplicateRegistrationException;
import org.snmp4j.agent.MOServer;
import org.snmp4j.agent.mo.snmp.StorageType;
import org.snmp4j.agent.mo.snmp.VacmMIB;
import org.snmp4j.agent.security.MutableVACM;
import org.snmp4j.cfg.EngineBootsProvider;
import org.snmp4j.mp.CounterSupport;
import org.snmp4j.mp.MPv3;
import org.snmp4j.security.SecurityLevel;
import org.snmp4j.security.SecurityModel;
import org.snmp4j.security.SecurityModels;
import org.snmp4j.security.SecurityProtocols;
import org.snmp4j.smi.Counter64;
import org.snmp4j.smi.Gauge32;
import org.snmp4j.smi.GenericAddress;
import org.snmp4j.smi.OID;
import org.snmp4j.smi.OctetString;
import org.snmp4j.smi.UdpAddress;
import org.snmp4j.transport.DefaultUdpTransportMapping;
import org.snmp4j.util.ThreadPool;

/**
 * A running read-only SNMPv2c agent (SNMP4J-Agent) serving the server-scope reporting parameters
 * as scalars under {@link SnmpSettings#baseOid()} (layout: {@link OidLayout}): counters as
 * Counter64 totals, gauges as Gauge32 latest levels, read from the {@link MetricsView} at request
 * time and cached for one second. The read view holds only SNMPv2-MIB {@code system} and
 * {@code snmp} and our subtree, so SNMP4J's own configuration and security tables stay invisible;
 * the write view is empty, so every SET is refused. SNMPv1 requests are not answered.
 *
 * <p>{@link #close()} stops it; thread-safe.
 */
public final class MailOpsAgent implements AutoCloseable {

  private static final Duration CACHE_TTL = Duration.ofSeconds(1);
  private static final OctetString SECURITY_NAME = new OctetString("mailops-ro");
  private static final OctetString GROUP = new OctetString("mailops-ro");
  private static final OctetString VIEW = new OctetString("mailops");
  private static final String[] VISIBLE = {"1.3.6.1.2.1.1", "1.3.6.1.2.1.11"};

  private final AgentConfigManager agent;
  private final String listening;

  private MailOpsAgent(AgentConfigManager agent, String listening) {
    this.agent = agent;
    this.listening = listening;
  }

  /**
   * Binds {@code settings.listen()} and starts answering.
   *
   * @param warnings receives one line per failed read of {@code view} (at most one a second)
   * @throws SnmpException when the address cannot be bound, with the address and what to do
   */
  public static MailOpsAgent start(SnmpSettings settings, MetricsView view, Clock clock, Consumer<String> warnings)
      throws SnmpException {
    Objects.requireNonNull(view, "view");
    UdpAddress address = (UdpAddress) GenericAddress.parse(settings.listen());
    if (address == null) {
      throw new SnmpException("cannot listen on " + settings.listen() + ": not a UDP address; give --listen udp:HOST/PORT", null);
    }
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
      return start(settings, view, clock, warnings, transport);
    } catch (RuntimeException e) {
      try {
        transport.close();
      } catch (IOException closing) {
        e.addSuppressed(closing);
      }
      throw e;
    }
  }

  private static MailOpsAgent start(SnmpSettings settings, MetricsView view, Clock clock, Consumer<String> warnings,
      DefaultUdpTransportMapping transport) {
    OID base = new OID(settings.baseOid());
    DefaultMOServer server = new DefaultMOServer();
    MetricsCache cache = new MetricsCache(view, OidLayout.mapped(), clock, CACHE_TTL, warnings);
    try {
      for (Parameter p : OidLayout.mapped()) {
        OID oid = new OID(OidLayout.instanceOid(settings.baseOid(), p).orElseThrow());
        server.register(new ParameterScalar(oid, p.name(),
            p.type() == Parameter.Type.COUNTER ? new Counter64() : new Gauge32(), cache), null);
      }
    } catch (DuplicateRegistrationException e) {
      throw new IllegalStateException("two parameters share the OID " + e.getRegistrationScope(), e);
    }
    MessageDispatcherImpl dispatcher = new MessageDispatcherImpl();
    dispatcher.addTransportMapping(transport);
    OctetString engineId = new OctetString(MPv3.createLocalEngineID());
    AgentConfigManager agent = new AgentConfigManager(engineId, dispatcher, null, new MOServer[] {server},
        ThreadPool.create("mailops-snmp", 2), null, null, new RunBoots());
    agent.setContext(new SecurityModels(),
        new SecurityProtocols(SecurityProtocols.SecurityProtocolSet.maxCompatibility), new CounterSupport());
    agent.initialize();
    agent.getSysDescr().setValue("mailops SNMP agent (reporting parameters, read-only)");
    agent.getSysOID().setValue(base.getValue());
    grantReadOnly(agent, engineId, new OctetString(settings.community()), base);
    agent.run();
    return new MailOpsAgent(agent, transport.getListenAddress().toString());
  }

  private static void grantReadOnly(AgentConfigManager agent, OctetString engineId, OctetString community, OID base) {
    agent.getSnmpCommunityMIB().addSnmpCommunityEntry(new OctetString("mailops"), community, SECURITY_NAME,
        engineId, new OctetString(), new OctetString(), StorageType.volatile_);
    VacmMIB vacm = agent.getVacmMIB();
    vacm.addGroup(SecurityModel.SECURITY_MODEL_SNMPv2c, SECURITY_NAME, GROUP, StorageType.volatile_);
    vacm.addAccess(GROUP, new OctetString(), SecurityModel.SECURITY_MODEL_SNMPv2c, SecurityLevel.NOAUTH_NOPRIV,
        MutableVACM.VACM_MATCH_EXACT, VIEW, new OctetString(), new OctetString(), StorageType.volatile_);
    for (String visible : VISIBLE) {
      vacm.addViewTreeFamily(VIEW, new OID(visible), new OctetString(), VacmMIB.vacmViewIncluded, StorageType.volatile_);
    }
    vacm.addViewTreeFamily(VIEW, base, new OctetString(), VacmMIB.vacmViewIncluded, StorageType.volatile_);
  }

  /** The address the agent answers on, {@code HOST/PORT} (the actual port when 0 was asked for). */
  public String listenAddress() {
    return listening;
  }

  /** Stops answering and releases the port; safe to call twice. */
  @Override
  public void close() {
    agent.shutdown();
  }

  /** Engine boots kept in memory: this agent speaks SNMPv2c only, whose requests carry no boots. */
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
