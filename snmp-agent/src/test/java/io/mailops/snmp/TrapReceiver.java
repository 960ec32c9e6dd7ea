package io.mailops.snmp;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.snmp4j.CommandResponder;
import org.snmp4j.CommandResponderEvent;
import org.snmp4j.MessageDispatcherImpl;
import org.snmp4j.PDU;
import org.snmp4j.Snmp;
import org.snmp4j.mp.MPv2c;
import org.snmp4j.mp.MPv3;
import org.snmp4j.mp.SnmpConstants;
import org.snmp4j.security.SecurityProtocols;
import org.snmp4j.security.USM;
import org.snmp4j.security.UsmUser;
import org.snmp4j.smi.Address;
import org.snmp4j.smi.OID;
import org.snmp4j.smi.OctetString;
import org.snmp4j.smi.UdpAddress;
import org.snmp4j.smi.Variable;
import org.snmp4j.smi.VariableBinding;
import org.snmp4j.transport.DefaultUdpTransportMapping;

/** An in-process SNMP notification receiver on a free loopback port (v2c, and v3 for users added). */
final class TrapReceiver implements CommandResponder, AutoCloseable {

  /** One received notification: who sent it as what, its trap OID and varbinds. */
  record Trap(String securityName, int version, OID trapOid, List<VariableBinding> varbinds) {

    Variable value(String oidPrefix) {
      return varbinds.stream().filter(vb -> vb.getOid().toDottedString().startsWith(oidPrefix)).findFirst()
          .map(VariableBinding::getVariable).orElse(null);
    }
  }

  final BlockingQueue<Trap> traps = new LinkedBlockingQueue<>();
  final USM usm = new USM(new SecurityProtocols(SecurityProtocols.SecurityProtocolSet.maxCompatibility),
      new OctetString(MPv3.createLocalEngineID()), 0);
  private final Snmp snmp;
  private final DefaultUdpTransportMapping transport;

  TrapReceiver() throws IOException {
    transport = new DefaultUdpTransportMapping(new UdpAddress("127.0.0.1/0"));
    MessageDispatcherImpl md = new MessageDispatcherImpl();
    md.addMessageProcessingModel(new MPv2c());
    md.addMessageProcessingModel(new MPv3(usm));
    snmp = new Snmp(md, transport);
    snmp.addCommandResponder(this);
    snmp.listen();
  }

  int port() {
    return transport.getListenAddress().getPort();
  }

  String address() {
    return "udp:127.0.0.1/" + port();
  }

  /** Accepts v3 traps from the agent with engine ID {@code engineIdHex} sent as {@code user}. */
  void addUser(String engineIdHex, UsmUser user) {
    usm.addUser(user.getSecurityName(), new OctetString(java.util.HexFormat.of().parseHex(engineIdHex)), user);
  }

  @Override
  public <A extends Address> void processPdu(CommandResponderEvent<A> event) {
    PDU pdu = event.getPDU();
    if (pdu == null || (pdu.getType() != PDU.TRAP && pdu.getType() != PDU.INFORM)) {
      return;
    }
    Variable trapOid = pdu.getVariable(SnmpConstants.snmpTrapOID);
    traps.add(new Trap(new String(event.getSecurityName(), StandardCharsets.UTF_8), event.getMessageProcessingModel(),
        trapOid instanceof OID o ? o : null, List.copyOf(pdu.getVariableBindings())));
    event.setProcessed(true);
  }

  /** The next notification whose trap OID is {@code oid}, skipping others (coldStart); null after {@code wait}. */
  Trap next(String oid, Duration wait) throws InterruptedException {
    long end = System.nanoTime() + wait.toNanos();
    while (true) {
      Trap t = traps.poll(Math.max(0, end - System.nanoTime()), TimeUnit.NANOSECONDS);
      if (t == null || (t.trapOid() != null && t.trapOid().toDottedString().equals(oid))) {
        return t;
      }
    }
  }

  @Override
  public void close() throws IOException {
    snmp.close();
  }
}
