package io.mailops.snmp;

import io.mailops.reporting.Parameter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Where each reporting parameter sits in the MIB (docs: reporting-snmp §6). Under the base node
 * {@code mailOps}: {@code .0} notifications, {@code .1} objects, {@code .2} conformance. Under
 * {@code mailOps.1} one branch per area, a parameter is its {@code branch.n}, and the scalar's
 * instance is {@code .0}; for example {@code smtp.out.delivered} is {@code mailOps.1.2.1.0}.
 * The numbers are fixed here, not derived from the order of {@link Parameter#ALL}, so that an added
 * parameter never moves another one.
 */
public final class OidLayout {

  /** One area of the objects subtree: its MIB node name and number under {@code mailOps.1}. */
  public record Branch(String mibName, int number) {}

  /** The branches, in OID order. */
  public static final List<Branch> BRANCHES = List.of(new Branch("moSmtpIn", 1), new Branch("moSmtpOut", 2),
      new Branch("moQueue", 3), new Branch("moPop3", 4), new Branch("moImap", 5), new Branch("moFilter", 6),
      new Branch("moSystem", 7));

  private static final Map<String, int[]> ARCS = new LinkedHashMap<>();

  static {
    arcs(1, "smtp.in.connections", "smtp.in.active_connections", "smtp.in.auth_success", "smtp.in.auth_failures",
        "smtp.in.accepted", "smtp.in.rejected", "smtp.in.rcpt_rejected", "smtp.in.bytes", "smtp.in.lost_connections");
    arcs(2, "smtp.out.delivered", "smtp.out.deferred", "smtp.out.bounced", "smtp.out.expired", "smtp.out.connections",
        "smtp.out.active_connections", "smtp.out.bytes");
    arcs(3, "queue.total", "queue.active", "queue.deferred", "queue.hold", "queue.incoming", "queue.oldest_age",
        "queue.size", "queue.inserted");
    arcs(4, "pop3.logins", "pop3.login_failures", "pop3.active_sessions", "pop3.bytes_retrieved");
    arcs(5, "imap.logins", "imap.login_failures", "imap.active_sessions", "imap.bytes_in", "imap.bytes_out",
        "imap.appends");
    arcs(6, "filter.rejected", "filter.spam", "filter.virus", "filter.greylisted", "filter.rbl_rejects");
    arcs(7, "system.load1", "system.load5", "system.load15", "storage.used", "storage.free", "collector.last_run",
        "collector.unparsed_lines");
  }

  private OidLayout() {
  }

  private static void arcs(int branch, String... names) {
    for (int i = 0; i < names.length; i++) {
      ARCS.put(names[i], new int[] {branch, i + 1});
    }
  }

  /** The branch number and the number inside it of {@code parameter}; empty for a parameter without a place yet. */
  public static Optional<int[]> arcs(Parameter parameter) {
    int[] a = ARCS.get(parameter.name());
    return a == null ? Optional.empty() : Optional.of(a.clone());
  }

  /** The parameters that have a place, in OID order. */
  public static List<Parameter> mapped() {
    return Parameter.ALL.stream().filter(p -> ARCS.containsKey(p.name()))
        .sorted((a, b) -> Integer.compare(key(a), key(b))).toList();
  }

  private static int key(Parameter p) {
    int[] a = ARCS.get(p.name());
    return a[0] * 1000 + a[1];
  }

  /** The dotted OID of the scalar instance of {@code parameter} under {@code baseOid}, e.g. {@code BASE.1.2.1.0}. */
  public static Optional<String> instanceOid(String baseOid, Parameter parameter) {
    return arcs(parameter).map(a -> baseOid + ".1." + a[0] + "." + a[1] + ".0");
  }
}
