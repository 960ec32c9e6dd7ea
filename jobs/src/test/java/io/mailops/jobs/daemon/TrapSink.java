package io.mailops.jobs.daemon;

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
import org.snmp4j.mp.SnmpConstants;
import org.snmp4j.smi.Address;
import org.snmp4j.smi.OID;
import org.snmp4j.smi.UdpAddress;
import org.snmp4j.smi.Variable;
import org.snmp4j.smi.VariableBinding;
import org.snmp4j.transport.DefaultUdpTransportMapping;

/** An SNMPv2c notification receiver on a free loopback port, with SNMP4J (what a NOC's trap receiver sees). */
final class TrapSink implements CommandResponder, AutoCloseable {

  /** One notification: the community it carried, its trap OID and varbinds. */
  record Trap(String community, OID trapOid, List<VariableBinding> varbinds) {

    /** The value of the first varbind whose OID starts with {@code oidPrefix}, or null. */
    Variable value(String oidPrefix) {
      return varbinds.stream().filter(vb -> vb.getOid().toDottedString().startsWith(oidPrefix)).findFirst()
          .map(VariableBinding::getVariable).orElse(null);
    }
  }

  private final BlockingQueue<Trap> traps = new LinkedBlockingQueue<>();
  private final Snmp snmp;
  private final DefaultUdpTransportMapping transport;

  TrapSink() throws IOException {
    transport = new DefaultUdpTransportMapping(new UdpAddress("127.0.0.1/0"));
    MessageDispatcherImpl md = new MessageDispatcherImpl();
    md.addMessageProcessingModel(new MPv2c());
    snmp = new Snmp(md, transport);
    snmp.addCommandResponder(this);
    snmp.listen();
  }

  /** {@code udp:127.0.0.1/PORT}, for {@code mailops.snmp.traps.targets}. */
  String address() {
    return "udp:127.0.0.1/" + transport.getListenAddress().getPort();
  }

  @Override
  public <A extends Address> void processPdu(CommandResponderEvent<A> event) {
    PDU pdu = event.getPDU();
    if (pdu == null || pdu.getType() != PDU.TRAP) {
      return;
    }
    Variable oid = pdu.getVariable(SnmpConstants.snmpTrapOID);
    traps.add(new Trap(new String(event.getSecurityName(), StandardCharsets.UTF_8), oid instanceof OID o ? o : null,
        List.copyOf(pdu.getVariableBindings())));
    event.setProcessed(true);
  }

  /** The next notification whose trap OID is {@code oid}, dropping others before it; null after {@code wait}. */
  Trap next(String oid, Duration wait) throws InterruptedException {
    long end = System.nanoTime() + wait.toNanos();
    while (true) {
      Trap t = traps.poll(Math.max(0, end - System.nanoTime()), TimeUnit.NANOSECONDS);
      if (t == null || (t.trapOid() != null && t.trapOid().toDottedString().equals(oid))) {
        return t;
      }
    }
  }

  /** Every notification received so far and not taken by {@link #next}, oldest first. */
  List<Trap> drain() {
    List<Trap> out = new java.util.ArrayList<>();
    traps.drainTo(out);
    return out;
  }

  @Override
  public void close() throws IOException {
    snmp.close();
  }
}
