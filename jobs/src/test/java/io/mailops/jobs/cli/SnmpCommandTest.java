package io.mailops.jobs.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.mailops.jobs.CliResult;
import io.mailops.reporting.Parameter;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code mailops snmp mib|serve} as a user meets them: output, error lines and exit codes. */
class SnmpCommandTest {

  @TempDir
  Path tmp;

  Map<String, String> env = new HashMap<>();

  @BeforeEach
  void setUp() {
    env.put("MAILOPS_HOME", tmp.resolve("home").toString());
  }

  @Test
  void mibShouldPrintTheMibWithEveryParameterUnderTheDefaultBase() {
    CliResult r = CliResult.run(env, "snmp", "mib");
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).startsWith("MAILOPS-MIB DEFINITIONS ::= BEGIN").contains("{ enterprises 8072 }")
        .endsWith("END\n");
    for (Parameter p : Parameter.ALL) {
      assertThat(r.out()).contains("\n" + p.mibName() + " OBJECT-TYPE\n");
    }
  }

  @Test
  void mibShouldFollowTheConfiguredBaseOid() throws IOException {
    Path config = Files.writeString(tmp.resolve("mailops.yml"), "mailops:\n  snmp:\n    base-oid: 1.3.6.1.4.1.99999.1\n");
    CliResult r = CliResult.run(env, config, "snmp", "mib");
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).contains("moParent1 OBJECT IDENTIFIER ::= { enterprises 99999 }")
        .contains("::= { moParent1 1 }");
  }

  @Test
  void serveWithoutACommunityShouldSayHowToGiveOne() {
    CliResult r = CliResult.run(env, "snmp", "serve", "--listen", "udp:127.0.0.1/0");
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).isEqualTo("mailops: no SNMP community: give --community NAME or set mailops.snmp.community\n");
  }

  @Test
  void serveOnABadListenAddressShouldBeAUsageError() {
    CliResult r = CliResult.run(env, "snmp", "serve", "--listen", "tcp:127.0.0.1/1161", "--community", "c");
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).startsWith("mailops: listen address must look like udp:127.0.0.1/1161, got tcp:127.0.0.1/1161");
  }

  @Test
  void serveOnAPortInUseShouldFailWithOneLine() throws IOException {
    try (DatagramSocket taken = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
      String listen = "udp:127.0.0.1/" + taken.getLocalPort();
      CliResult r = CliResult.run(env, "snmp", "serve", "--listen", listen, "--community", "c");
      assertThat(r.code()).isEqualTo(1);
      assertThat(r.err()).isEqualTo("mailops: cannot listen on " + listen + ": address in use; give another --listen\n");
    }
  }

  @Test
  void helpShouldListTheSnmpEntityAndItsActions() {
    assertThat(CliResult.run(env, "--help").out()).contains("snmp");
    assertThat(CliResult.run(env, "snmp", "--help").out()).contains("serve").contains("mib");
  }
}
