package io.mailops.reporting.collect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/** The active-connection gauges from kernel socket tables: a written one, and the machine's own. */
class ActiveConnectionsTest {

  private static final String HEADER = "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt"
      + "   uid  timeout inode\n";
  private static final String HEADER6 = "  sl  local_address                         remote_address"
      + "                        st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n";

  @TempDir
  Path tmp;

  private static String row(int sl, String local, String remote, String state) {
    return String.format("%4d: %s %s %s 00000000:00000000 00:00000000 00000000   101        0 3194310 1"
        + " 0000000000000000 20 4 30 10 -1%n", sl, local, remote, state);
  }

  @Test
  void countsServerSidesOfEstablishedSessionsAndOutboundSmtpButNotListenersOrLocalClients() throws Exception {
    String tcp = HEADER
        + row(0, "0100007F:0019", "00000000:0000", "0A")          // smtpd listening on 25
        + row(1, "0100007F:0019", "0100007F:9C40", "01")          // local client -> smtpd: server side
        + row(2, "0100007F:9C40", "0100007F:0019", "01")          // ... and its client side (neither in nor out)
        + row(3, "0A000001:024B", "C0000207:D431", "01")          // submission from 192.0.2.7
        + row(4, "0A000001:008F", "C0000208:D432", "01")          // imap
        + row(5, "0A000001:008F", "C0000209:D433", "06")          // imap in TIME_WAIT
        + row(6, "0A000001:006E", "C000020A:D434", "01")          // pop3
        + row(7, "0A000001:A001", "CB00710A:0019", "01");         // postfix/smtp to 203.0.113.10:25
    String tcp6 = HEADER6
        + row(0, "0000000000000000FFFF00000A000001:03E1", "0000000000000000FFFF0000C000020B:D435", "01")  // imaps
        + row(1, "00000000000000000000000001000000:3E81", "20010DB8000000000000000000000001:0019", "01"); // smtp out v6
    Files.writeString(tmp.resolve("tcp"), tcp);
    Files.writeString(tmp.resolve("tcp6"), tcp6);

    ActiveConnections.Counts c = standard(tmp).count();

    assertThat(c).isEqualTo(new ActiveConnections.Counts(2, 1, 2, 2));
  }

  @Test
  void withoutTcp6ItCountsTcpAloneAndWithoutTcpItSaysWhatToSet() throws Exception {
    Files.writeString(tmp.resolve("tcp"), HEADER + row(0, "0A000001:008F", "C0000208:D432", "01"));
    assertThat(standard(tmp).count()).isEqualTo(new ActiveConnections.Counts(0, 0, 1, 0));

    Path none = tmp.resolve("none");
    assertThatThrownBy(() -> standard(none).count()).isInstanceOf(IOException.class)
        .hasMessageStartingWith("cannot read " + none.resolve("tcp") + ": no such file; set mailops.report.proc-net");
  }

  @Test
  void aBrokenAddressIsNamedWithItsLine() throws Exception {
    Files.writeString(tmp.resolve("tcp"), HEADER + row(0, "0A000001:008F", "C0000208:D432", "01")
        + row(1, "0A000001:XYZ", "C0000208:D432", "01"));

    assertThatThrownBy(() -> standard(tmp).count()).isInstanceOf(IOException.class)
        .hasMessage("cannot parse " + tmp.resolve("tcp") + " line 3: address '0A000001:XYZ' is not ADDRESS:PORT in hex");
  }

  @Test
  void badPortsAreRefused() {
    assertThatThrownBy(() -> new ActiveConnections(tmp, Set.of(0), Set.of(), Set.of(), Set.of()))
        .hasMessage("smtp port must be 1-65535, got 0");
  }

  @Test
  @EnabledOnOs(OS.LINUX)
  void aRealLoopbackSessionIsCountedOnceOnTheServersPort() throws Exception {
    try (ServerSocket server = new ServerSocket(0, 5, InetAddress.getLoopbackAddress());
        Socket client = new Socket(InetAddress.getLoopbackAddress(), server.getLocalPort());
        Socket accepted = server.accept();
        Socket second = new Socket(InetAddress.getLoopbackAddress(), server.getLocalPort());
        Socket accepted2 = server.accept()) {
      ActiveConnections imap = new ActiveConnections(Path.of("/proc/net"), Set.of(), Set.of(),
          Set.of(server.getLocalPort()), Set.of(server.getLocalPort()));

      assertThat(imap.count()).isEqualTo(new ActiveConnections.Counts(0, 0, 2, 0));
    }
  }

  private static ActiveConnections standard(Path procNet) {
    return new ActiveConnections(procNet, ActiveConnections.SMTP_IN_PORTS, ActiveConnections.POP3_PORTS,
        ActiveConnections.IMAP_PORTS, ActiveConnections.SMTP_OUT_PORTS);
  }
}
