package io.mailops.snmp;

import java.util.regex.Pattern;

/**
 * Where notifications go: a manager's trap port, as SNMPv2c with a community or as SNMPv3 authPriv
 * with one of the agent's {@link SnmpUser users} (the receiver must know that user with the
 * agent's engine ID, {@link MailOpsAgent#engineId()}).
 *
 * @param address {@code udp:HOST/PORT}
 * @param community the v2c community the trap carries; null for a v3 target
 * @param user the name of the v3 user the trap is sent as; null for a v2c target
 */
public record TrapTarget(String address, String community, String user) {

  private static final Pattern ADDRESS = Pattern.compile("udp:[^/\\s]+/\\d{1,5}");

  /** Checks the address and that exactly one of community and user is given. */
  public TrapTarget {
    if (address == null || !ADDRESS.matcher(address).matches()
        || Integer.parseInt(address.substring(address.lastIndexOf('/') + 1)) > 65535) {
      throw new IllegalArgumentException("trap target must look like udp:192.0.2.10/162, got " + address);
    }
    boolean v2c = community != null && !community.isEmpty();
    boolean v3 = user != null && !user.isEmpty();
    if (v2c == v3) {
      throw new IllegalArgumentException("trap target " + address + " needs either a community (v2c) or a user (v3), not "
          + (v2c ? "both" : "neither"));
    }
    if (v2c && community.length() > 32) {
      throw new IllegalArgumentException("trap target " + address + ": community must be at most 32 characters");
    }
    community = v2c ? community : null;
    user = v3 ? user : null;
  }

  /** A v2c target. */
  public static TrapTarget v2c(String address, String community) {
    return new TrapTarget(address, community, null);
  }

  /** A v3 authPriv target sending as {@code user}. */
  public static TrapTarget v3(String address, String user) {
    return new TrapTarget(address, null, user);
  }

  @Override
  public String toString() {
    return address + (community != null ? " (v2c)" : " (v3 user " + user + ")");
  }
}
