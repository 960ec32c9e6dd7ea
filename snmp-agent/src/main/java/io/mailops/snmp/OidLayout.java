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

  /** The domain table's parameter columns, from column 3 on (1 is the index, 2 the name); append only. */
  public static final List<String> DOMAIN_COLUMNS = List.of("smtp.in.auth_success", "smtp.in.accepted",
      "smtp.in.rejected", "smtp.in.rcpt_rejected", "smtp.in.bytes", "smtp.out.delivered", "smtp.out.deferred",
      "smtp.out.bounced", "smtp.out.expired", "smtp.out.bytes", "pop3.logins", "pop3.login_failures",
      "pop3.bytes_retrieved", "imap.logins", "imap.login_failures", "imap.bytes_in", "imap.bytes_out", "imap.appends",
      "filter.rejected", "filter.spam", "filter.virus", "filter.greylisted", "storage.used");

  /** The account table's parameter columns, from column 3 on; append only. */
  public static final List<String> ACCOUNT_COLUMNS = List.of("smtp.in.auth_success", "smtp.out.delivered",
      "pop3.logins", "pop3.bytes_retrieved", "imap.logins", "imap.bytes_in", "imap.bytes_out", "imap.appends",
      "storage.used");

  /** {@code mailOps.1.7.8}: moCountersDiscontinuityTime, sysUpTime when the counters last restarted. */
  public static final int[] DISCONTINUITY = {7, 8};
  /** {@code mailOps.1.10}: moDomainTable. */
  public static final int DOMAIN_TABLE = 10;
  /** {@code mailOps.1.11}: moAccountTable. */
  public static final int ACCOUNT_TABLE = 11;
  /** {@code mailOps.1.12}: moNotifyObjects, the accessible-for-notify varbinds. */
  public static final int NOTIFY_OBJECTS = 12;

  /** The notifications under {@code mailOps.0}, with their number. */
  public enum Notification {
    /** The agent started. */
    STARTED("moAgentStarted", 1),
    /** The configuration was reloaded. */
    RELOADED("moAgentReloaded", 2),
    /** The agent is about to stop. */
    SHUTDOWN("moAgentShutdown", 3),
    /** queue.total rose above the threshold. */
    QUEUE_HIGH("moQueueHigh", 4),
    /** No collection for longer than the configured delay. */
    COLLECTOR_STALLED("moCollectorStalled", 5),
    /** A job failed or ended with skipped items. */
    JOB_FAILED("moJobFailed", 6);

    private final String mibName;
    private final int number;

    Notification(String mibName, int number) {
      this.mibName = mibName;
      this.number = number;
    }

    /** The NOTIFICATION-TYPE name. */
    public String mibName() {
      return mibName;
    }

    /** The arc under {@code mailOps.0}. */
    public int number() {
      return number;
    }

    /** The dotted OID under {@code baseOid}. */
    public String oid(String baseOid) {
      return baseOid + ".0." + number;
    }
  }

  /** The accessible-for-notify objects under {@code mailOps.1.12}, by number. */
  public enum NotifyObject {
    /** The job's name (DisplayString). */
    JOB_NAME("moJobName", 1),
    /** The job execution's id (Unsigned32). */
    JOB_EXECUTION_ID("moJobExecutionId", 2),
    /** Why the job failed (DisplayString). */
    JOB_REASON("moJobFailureReason", 3),
    /** The queue-high threshold that was crossed (Gauge32). */
    QUEUE_THRESHOLD("moQueueHighThreshold", 4);

    private final String mibName;
    private final int number;

    NotifyObject(String mibName, int number) {
      this.mibName = mibName;
      this.number = number;
    }

    /** The OBJECT-TYPE name. */
    public String mibName() {
      return mibName;
    }

    /** The arc under moNotifyObjects. */
    public int number() {
      return number;
    }

    /** The dotted OID (no instance suffix: these are never read) under {@code baseOid}. */
    public String oid(String baseOid) {
      return baseOid + ".1." + NOTIFY_OBJECTS + "." + number;
    }
  }

  private OidLayout() {
  }

  /** The dotted OID of the entry of table {@code table} ({@link #DOMAIN_TABLE}) under {@code baseOid}. */
  public static String entryOid(String baseOid, int table) {
    return baseOid + ".1." + table + ".1";
  }

  /** The column of {@code parameter} in the domain or account table, or -1 when it has none. */
  public static int column(List<String> columns, String parameter) {
    int i = columns.indexOf(parameter);
    return i < 0 ? -1 : i + 3;
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
