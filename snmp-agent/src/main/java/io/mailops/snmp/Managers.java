package io.mailops.snmp;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.snmp4j.CommandResponder;
import org.snmp4j.CommandResponderEvent;
import org.snmp4j.PDU;
import org.snmp4j.mp.MessageProcessingModel;
import org.snmp4j.security.SecurityLevel;
import org.snmp4j.smi.Address;
import org.snmp4j.smi.IpAddress;

/**
 * The managers that queried the agent lately with a valid community or an authPriv v3 user, for
 * {@code send-to-all-managers}: at most {@code max}, the least recent dropped first, each forgotten
 * after {@code ttl} of silence. Registered on the message dispatcher ahead of the agent; it only
 * records and never marks a request processed, so the agent still answers. Thread-safe.
 */
final class Managers implements CommandResponder {

  /**
   * One manager.
   *
   * @param ip its IP address (notifications go to this address and the managers' trap port)
   * @param v3 whether it asked with SNMPv3
   * @param securityName the community (v2c) or user (v3) it asked with
   */
  record Manager(String ip, boolean v3, String securityName) {}

  private final Clock clock;
  private final Map<Manager, Instant> seen = new LinkedHashMap<>(16, 0.75f, true);
  private volatile Set<String> communities = Set.of();
  private volatile Set<String> users = Set.of();
  private volatile int max = 1;
  private volatile Duration ttl = Duration.ofHours(24);

  Managers(Clock clock) {
    this.clock = clock;
  }

  /** Which communities and users count, how many managers are kept and how long. */
  void configure(SnmpSettings s) {
    communities = Set.copyOf(s.communities());
    users = Set.copyOf(s.users().stream().map(SnmpUser::name).toList());
    max = s.traps().maxManagers();
    ttl = s.traps().managerTtl();
    synchronized (this) {
      trim(clock.instant());
    }
  }

  @Override
  public <A extends Address> void processPdu(CommandResponderEvent<A> event) {
    PDU pdu = event.getPDU();
    if (pdu == null || !(event.getPeerAddress() instanceof IpAddress ip)
        || !(pdu.getType() == PDU.GET || pdu.getType() == PDU.GETNEXT || pdu.getType() == PDU.GETBULK)) {
      return;
    }
    String name = new String(event.getSecurityName(), StandardCharsets.UTF_8);
    boolean v3 = event.getMessageProcessingModel() == MessageProcessingModel.MPv3;
    boolean valid = v3 ? event.getSecurityLevel() == SecurityLevel.AUTH_PRIV && users.contains(name)
        : event.getMessageProcessingModel() == MessageProcessingModel.MPv2c && communities.contains(name);
    if (valid) {
      record(new Manager(ip.getInetAddress().getHostAddress(), v3, name));
    }
  }

  synchronized void record(Manager m) {
    Instant now = clock.instant();
    seen.put(m, now);
    trim(now);
  }

  /** The managers heard from within the TTL, least recent first. */
  synchronized List<Manager> current() {
    trim(clock.instant());
    return new ArrayList<>(seen.keySet());
  }

  private void trim(Instant now) {
    Instant oldest = now.minus(ttl);
    for (Iterator<Map.Entry<Manager, Instant>> it = seen.entrySet().iterator(); it.hasNext();) {
      Map.Entry<Manager, Instant> e = it.next();
      if (e.getValue().isBefore(oldest) || seen.size() > max) {
        it.remove();
      }
    }
  }
}
