package io.mailops.snmp;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.snmp4j.CommunityTarget;
import org.snmp4j.MessageDispatcherImpl;
import org.snmp4j.PDU;
import org.snmp4j.ScopedPDU;
import org.snmp4j.Snmp;
import org.snmp4j.Target;
import org.snmp4j.UserTarget;
import org.snmp4j.mp.MPv2c;
import org.snmp4j.mp.MPv3;
import org.snmp4j.mp.SnmpConstants;
import org.snmp4j.security.SecurityLevel;
import org.snmp4j.security.SecurityProtocols;
import org.snmp4j.security.USM;
import org.snmp4j.security.UsmUser;
import org.snmp4j.smi.GenericAddress;
import org.snmp4j.smi.OID;
import org.snmp4j.smi.OctetString;
import org.snmp4j.smi.UdpAddress;
import org.snmp4j.smi.VariableBinding;
import org.snmp4j.transport.DefaultUdpTransportMapping;

/** An SNMP4J manager on loopback with its own USM (not SNMP4J's global one), v2c and v3. */
final class TestManager implements AutoCloseable {

  final USM usm = new USM(new SecurityProtocols(SecurityProtocols.SecurityProtocolSet.maxCompatibility),
      new OctetString(MPv3.createLocalEngineID()), 0);
  private final Snmp snmp;

  TestManager() throws IOException {
    MessageDispatcherImpl md = new MessageDispatcherImpl();
    md.addMessageProcessingModel(new MPv2c());
    md.addMessageProcessingModel(new MPv3(usm));
    snmp = new Snmp(md, new DefaultUdpTransportMapping(new UdpAddress("127.0.0.1/0")));
    snmp.listen();
  }

  static CommunityTarget<UdpAddress> v2c(String agent, String community) {
    CommunityTarget<UdpAddress> t = new CommunityTarget<>((UdpAddress) GenericAddress.parse("udp:" + agent),
        new OctetString(community));
    t.setVersion(SnmpConstants.version2c);
    t.setTimeout(2000);
    t.setRetries(1);
    return t;
  }

  /** A v3 target for {@code user}, whose keys this manager learns (any level; the agent decides). */
  UserTarget<UdpAddress> v3(String agent, UsmUser user, int level) {
    usm.removeAllUsers(user.getSecurityName());
    usm.addUser(user);
    UserTarget<UdpAddress> t = new UserTarget<>();
    t.setAddress((UdpAddress) GenericAddress.parse("udp:" + agent));
    t.setSecurityName(user.getSecurityName());
    t.setSecurityLevel(level);
    t.setVersion(SnmpConstants.version3);
    t.setTimeout(3000);
    t.setRetries(1);
    return t;
  }

  static int authPriv() {
    return SecurityLevel.AUTH_PRIV;
  }

  /** Sends one request; null on timeout (no answer). */
  PDU send(Target<UdpAddress> target, int type, VariableBinding... vbs) throws IOException {
    PDU pdu = target.getVersion() == SnmpConstants.version3 ? new ScopedPDU() : new PDU();
    pdu.setType(type);
    for (VariableBinding vb : vbs) {
      pdu.add(vb);
    }
    if (type == PDU.GETBULK) {
      pdu.setMaxRepetitions(200);
    }
    return snmp.send(pdu, target).getResponse();
  }

  PDU get(Target<UdpAddress> target, String... oids) throws IOException {
    VariableBinding[] vbs = new VariableBinding[oids.length];
    for (int i = 0; i < oids.length; i++) {
      vbs[i] = new VariableBinding(new OID(oids[i]));
    }
    return send(target, PDU.GET, vbs);
  }

  /** GETNEXT from {@code root} until the answer leaves it; the varbinds in order. */
  List<VariableBinding> walk(Target<UdpAddress> target, String root) throws IOException {
    List<VariableBinding> out = new ArrayList<>();
    OID next = new OID(root);
    while (true) {
      PDU r = send(target, PDU.GETNEXT, new VariableBinding(next));
      if (r == null) {
        throw new IOException("no answer to GETNEXT " + next);
      }
      VariableBinding vb = r.get(0);
      if (vb.getVariable().isException() || !vb.getOid().startsWith(new OID(root))) {
        return out;
      }
      out.add(vb);
      next = vb.getOid();
    }
  }

  /** GETBULK from {@code root} (200 repetitions per request) until the answer leaves it. */
  List<VariableBinding> bulkWalk(Target<UdpAddress> target, String root) throws IOException {
    List<VariableBinding> out = new ArrayList<>();
    OID next = new OID(root);
    while (true) {
      PDU r = send(target, PDU.GETBULK, new VariableBinding(next));
      if (r == null) {
        throw new IOException("no answer to GETBULK " + next);
      }
      for (VariableBinding vb : r.getVariableBindings()) {
        if (vb.getVariable().isException() || !vb.getOid().startsWith(new OID(root))) {
          return out;
        }
        out.add(vb);
        next = vb.getOid();
      }
    }
  }

  @Override
  public void close() throws IOException {
    snmp.close();
  }
}
