package io.mailops.snmp;

import java.util.regex.Pattern;

/**
 * How the agent listens and whom it answers.
 *
 * @param listen the transport address, {@code udp:HOST/PORT} ({@code udp:127.0.0.1/1161}); port 0
 *     takes a free port
 * @param community the read-only SNMPv2c community; requests with another one get no answer
 * @param baseOid the dotted OID of the {@code mailOps} node; the parameters sit under {@code baseOid.1}
 */
public record SnmpSettings(String listen, String community, String baseOid) {

  /** The listen address when none is configured: loopback, an unprivileged port. */
  public static final String DEFAULT_LISTEN = "udp:127.0.0.1/1161";
  /** The base OID when none is configured: net-snmp's experimental subtree. */
  public static final String DEFAULT_BASE_OID = "1.3.6.1.4.1.8072.9999.9999";

  private static final Pattern LISTEN = Pattern.compile("udp:[^/\\s]+/\\d{1,5}");
  private static final Pattern OID = Pattern.compile("1\\.3\\.6\\.1(?:\\.(?:0|[1-9]\\d{0,9}))+");

  /** Checks the three values and names the bad one. */
  public SnmpSettings {
    if (listen == null || !LISTEN.matcher(listen).matches() || Integer.parseInt(listen.substring(listen.lastIndexOf('/') + 1)) > 65535) {
      throw new IllegalArgumentException("listen address must look like udp:127.0.0.1/1161, got " + listen);
    }
    if (community == null || community.isEmpty() || community.length() > 32) {
      throw new IllegalArgumentException("community must be 1 to 32 characters, got " + (community == null ? "none" : community.length() + " characters"));
    }
    if (baseOid == null || !OID.matcher(baseOid).matches()) {
      throw new IllegalArgumentException("base OID must be dotted numbers under 1.3.6.1, like " + DEFAULT_BASE_OID + ", got " + baseOid);
    }
  }
}
