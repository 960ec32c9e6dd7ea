package io.mailops.snmp;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * How the agent listens, whom it answers and where it sends notifications.
 *
 * @param listen the transport address, {@code udp:HOST/PORT} ({@code udp:127.0.0.1/1161}); port 0
 *     takes a free port
 * @param communities the read-only SNMPv2c communities; requests with another one get no answer
 * @param baseOid the dotted OID of the {@code mailOps} node; the parameters sit under {@code baseOid.1}
 * @param users the SNMPv3 users (authPriv only); lower levels are refused
 * @param traps the notification targets and alarms
 * @param stateDir where the engine ID, the engine boots and the table indexes persist; null keeps
 *     them in memory (a new engine ID each start)
 * @param accountRows at most this many rows in the per-account table; 0 leaves it empty
 */
public record SnmpSettings(String listen, List<String> communities, String baseOid, List<SnmpUser> users,
    TrapSettings traps, Path stateDir, int accountRows) {

  /** The listen address when none is configured: loopback, an unprivileged port. */
  public static final String DEFAULT_LISTEN = "udp:127.0.0.1/1161";
  /** The base OID when none is configured: net-snmp's experimental subtree. */
  public static final String DEFAULT_BASE_OID = "1.3.6.1.4.1.8072.9999.9999";
  /** The account-table cap when none is configured. */
  public static final int DEFAULT_ACCOUNT_ROWS = 1000;

  private static final Pattern LISTEN = Pattern.compile("udp:[^/\\s]+/\\d{1,5}");
  private static final Pattern OID = Pattern.compile("1\\.3\\.6\\.1(?:\\.(?:0|[1-9]\\d{0,9}))+");

  /** Checks the values and names the bad one. */
  public SnmpSettings {
    if (listen == null || !LISTEN.matcher(listen).matches() || Integer.parseInt(listen.substring(listen.lastIndexOf('/') + 1)) > 65535) {
      throw new IllegalArgumentException("listen address must look like udp:127.0.0.1/1161, got " + listen);
    }
    communities = List.copyOf(communities == null ? List.of() : communities);
    users = List.copyOf(users == null ? List.of() : users);
    traps = traps == null ? TrapSettings.NONE : traps;
    for (String community : communities) {
      if (community == null || community.isEmpty() || community.length() > 32) {
        throw new IllegalArgumentException("community must be 1 to 32 characters, got "
            + (community == null ? "none" : community.length() + " characters"));
      }
    }
    if (communities.isEmpty() && users.isEmpty()) {
      throw new IllegalArgumentException("the agent needs a community (v2c) or an SNMPv3 user to answer anyone");
    }
    if (baseOid == null || !OID.matcher(baseOid).matches()) {
      throw new IllegalArgumentException("base OID must be dotted numbers under 1.3.6.1, like " + DEFAULT_BASE_OID + ", got " + baseOid);
    }
    Set<String> names = new HashSet<>();
    for (SnmpUser u : users) {
      if (!names.add(u.name())) {
        throw new IllegalArgumentException("SNMPv3 user " + u.name() + " is configured twice");
      }
    }
    for (TrapTarget t : traps.targets()) {
      if (t.user() != null && !names.contains(t.user())) {
        throw new IllegalArgumentException("trap target " + t.address() + " sends as SNMPv3 user " + t.user()
            + ", which is not among the configured users " + names);
      }
    }
    if (accountRows < 0) {
      throw new IllegalArgumentException("account rows must be 0 (no table) or more, got " + accountRows);
    }
  }

  /** A v2c-only agent with one community, no notifications, state in memory. */
  public SnmpSettings(String listen, String community, String baseOid) {
    this(listen, List.of(community == null ? "" : community), baseOid, List.of(), TrapSettings.NONE, null,
        DEFAULT_ACCOUNT_ROWS);
  }

  /** A copy with other notification settings. */
  public SnmpSettings withTraps(TrapSettings t) {
    return new SnmpSettings(listen, communities, baseOid, users, t, stateDir, accountRows);
  }

  /** A copy with other SNMPv3 users. */
  public SnmpSettings withUsers(List<SnmpUser> u) {
    return new SnmpSettings(listen, communities, baseOid, u, traps, stateDir, accountRows);
  }

  /** A copy that keeps its engine ID, boots and indexes in {@code dir}. */
  public SnmpSettings withStateDir(Path dir) {
    return new SnmpSettings(listen, communities, baseOid, users, traps, dir, accountRows);
  }
}
