package io.mailops.snmp;

import io.mailops.reporting.Parameter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Writes {@code MAILOPS-MIB} (SMIv2) from {@link Parameter#ALL} and {@link OidLayout}: one
 * read-only scalar per parameter (Counter64 for counters, Gauge32 for gauges, the unit in
 * {@code UNITS}), moCountersDiscontinuityTime, the domain and account tables, the notifications
 * with their accessible-for-notify objects, four groups and one compliance statement. The module identity sits at the
 * base OID, which must lie under {@code enterprises} (1.3.6.1.4.1).
 */
public final class MibGenerator {

  /** The module name, as managers load it ({@code snmptranslate -m +MAILOPS-MIB}). */
  public static final String MODULE = "MAILOPS-MIB";

  private static final String ENTERPRISES = "1.3.6.1.4.1.";
  private static final String REVISION = "202611220000Z";

  private MibGenerator() {
  }

  /** The MIB text for the agent serving under {@code baseOid}. */
  public static String mib(String baseOid) {
    if (!baseOid.startsWith(ENTERPRISES)) {
      throw new IllegalArgumentException("the MIB's base OID must lie under enterprises (1.3.6.1.4.1), got " + baseOid);
    }
    String[] arcs = baseOid.substring(ENTERPRISES.length()).split("\\.");
    List<Parameter> params = OidLayout.mapped();
    StringBuilder b = new StringBuilder();
    b.append(MODULE).append(" DEFINITIONS ::= BEGIN\n\n")
        .append("IMPORTS\n")
        .append("    MODULE-IDENTITY, OBJECT-TYPE, NOTIFICATION-TYPE, Counter64, Gauge32, Unsigned32,\n")
        .append("    enterprises\n")
        .append("        FROM SNMPv2-SMI\n")
        .append("    DisplayString, TimeStamp\n")
        .append("        FROM SNMPv2-TC\n")
        .append("    MODULE-COMPLIANCE, OBJECT-GROUP, NOTIFICATION-GROUP\n")
        .append("        FROM SNMPv2-CONF\n")
        .append("    sysName\n")
        .append("        FROM SNMPv2-MIB;\n\n")
        .append("mailOps MODULE-IDENTITY\n")
        .append("    LAST-UPDATED \"").append(REVISION).append("\"\n")
        .append("    ORGANIZATION \"mailops\"\n")
        .append("    CONTACT-INFO \"The operators of this mail server.\"\n")
        .append("    DESCRIPTION\n")
        .append("        \"The reporting parameters of a Dovecot/Postfix mail server, read-only.\n")
        .append("        Counters are totals since collection started (they may restart at zero\n")
        .append("        when the reporting store is reset); gauges are the latest minute sample.\n")
        .append("        An object without collected data answers noSuchInstance. The domain and\n")
        .append("        account tables have a row per domain or account the reporting store\n")
        .append("        holds data for; a row keeps its index across agent restarts.\"\n")
        .append("    REVISION \"").append(REVISION).append("\"\n")
        .append("    DESCRIPTION \"The server-scope parameters as scalars.\"\n")
        .append("    ::= { ").append(parent(arcs.length - 1)).append(' ').append(arcs[arcs.length - 1]).append(" }\n\n");
    for (int i = 1; i < arcs.length; i++) {
      b.append(parent(i)).append(" OBJECT IDENTIFIER ::= { ").append(parent(i - 1)).append(' ').append(arcs[i - 1]).append(" }\n");
    }
    b.append(arcs.length > 1 ? "\n" : "")
        .append("moNotifications OBJECT IDENTIFIER ::= { mailOps 0 }\n")
        .append("moObjects OBJECT IDENTIFIER ::= { mailOps 1 }\n")
        .append("moConformance OBJECT IDENTIFIER ::= { mailOps 2 }\n\n");
    for (OidLayout.Branch branch : OidLayout.BRANCHES) {
      b.append(branch.mibName()).append(" OBJECT IDENTIFIER ::= { moObjects ").append(branch.number()).append(" }\n");
    }
    for (Parameter p : params) {
      int[] a = OidLayout.arcs(p).orElseThrow();
      b.append('\n').append(p.mibName()).append(" OBJECT-TYPE\n")
          .append("    SYNTAX      ").append(p.type() == Parameter.Type.COUNTER ? "Counter64" : "Gauge32").append('\n')
          .append("    UNITS       \"").append(text(p.unit())).append("\"\n")
          .append("    MAX-ACCESS  read-only\n")
          .append("    STATUS      current\n")
          .append("    DESCRIPTION\n")
          .append("        \"").append(text(p.name())).append(": ").append(text(p.description()))
          .append(p.type() == Parameter.Type.COUNTER ? " (total since collection started)." : " (latest minute sample).")
          .append("\"\n")
          .append("    ::= { ").append(OidLayout.BRANCHES.get(a[0] - 1).mibName()).append(' ').append(a[1]).append(" }\n");
    }
    b.append("\nmoCountersDiscontinuityTime OBJECT-TYPE\n")
        .append("    SYNTAX      TimeStamp\n")
        .append("    MAX-ACCESS  read-only\n")
        .append("    STATUS      current\n")
        .append("    DESCRIPTION\n")
        .append("        \"The value of sysUpTime when a counter of this agent last went down (the\n")
        .append("        reporting store was reset); 0 when none has since the agent started.\"\n")
        .append("    ::= { moSystem ").append(OidLayout.DISCONTINUITY[1]).append(" }\n");
    table(b, "Domain", "domain", OidLayout.DOMAIN_TABLE, OidLayout.DOMAIN_COLUMNS);
    table(b, "Account", "account (user@domain)", OidLayout.ACCOUNT_TABLE, OidLayout.ACCOUNT_COLUMNS);
    notifications(b);
    List<String> scalars = new ArrayList<>(params.stream().map(Parameter::mibName).toList());
    scalars.add("moCountersDiscontinuityTime");
    List<String> columns = new ArrayList<>();
    columns.addAll(columnNames("Domain", OidLayout.DOMAIN_COLUMNS));
    columns.addAll(columnNames("Account", OidLayout.ACCOUNT_COLUMNS));
    List<String> notifyObjects = Arrays.stream(OidLayout.NotifyObject.values()).map(OidLayout.NotifyObject::mibName).toList();
    List<String> notifications = Arrays.stream(OidLayout.Notification.values()).map(OidLayout.Notification::mibName).toList();
    b.append("\nmoGroups OBJECT IDENTIFIER ::= { moConformance 1 }\n")
        .append("moCompliances OBJECT IDENTIFIER ::= { moConformance 2 }\n\n");
    group(b, "moScalarGroup", "OBJECT-GROUP", "OBJECTS", scalars, "The server-scope reporting parameters.", 1);
    group(b, "moTableGroup", "OBJECT-GROUP", "OBJECTS", columns, "The per-domain and per-account tables.", 2);
    group(b, "moNotifyObjectGroup", "OBJECT-GROUP", "OBJECTS", notifyObjects, "Objects carried by notifications.", 3);
    group(b, "moNotificationGroup", "NOTIFICATION-GROUP", "NOTIFICATIONS", notifications,
        "The notifications of the agent.", 4);
    b.append("moCompliance MODULE-COMPLIANCE\n")
        .append("    STATUS      current\n")
        .append("    DESCRIPTION \"An agent serving the mailops reporting parameters.\"\n")
        .append("    MODULE -- this module\n")
        .append("        MANDATORY-GROUPS { moScalarGroup, moTableGroup, moNotifyObjectGroup,\n")
        .append("                           moNotificationGroup }\n")
        .append("    ::= { moCompliances 1 }\n\n")
        .append("END\n");
    return b.toString();
  }

  /** The MIB name of {@code parameter}'s column in the {@code Domain} or {@code Account} table. */
  public static String columnName(String table, String parameter) {
    return "mo" + table + Parameter.byName(parameter).orElseThrow().mibName().substring(2);
  }

  private static List<String> columnNames(String table, List<String> columns) {
    List<String> out = new ArrayList<>();
    out.add("mo" + table + "Name");
    columns.forEach(c -> out.add(columnName(table, c)));
    return out;
  }

  private static void table(StringBuilder b, String t, String what, int number, List<String> columns) {
    String entryType = "Mo" + t + "Entry";
    b.append("\nmo").append(t).append("Table OBJECT-TYPE\n")
        .append("    SYNTAX      SEQUENCE OF ").append(entryType).append('\n')
        .append("    MAX-ACCESS  not-accessible\n")
        .append("    STATUS      current\n")
        .append("    DESCRIPTION \"One row per ").append(what).append(" with data in the reporting store.\"\n")
        .append("    ::= { moObjects ").append(number).append(" }\n\n")
        .append("mo").append(t).append("Entry OBJECT-TYPE\n")
        .append("    SYNTAX      ").append(entryType).append('\n')
        .append("    MAX-ACCESS  not-accessible\n")
        .append("    STATUS      current\n")
        .append("    DESCRIPTION \"The parameters of one ").append(what).append(".\"\n")
        .append("    INDEX       { mo").append(t).append("Index }\n")
        .append("    ::= { mo").append(t).append("Table 1 }\n\n")
        .append(entryType).append(" ::= SEQUENCE {\n")
        .append("    mo").append(t).append("Index Unsigned32,\n")
        .append("    mo").append(t).append("Name DisplayString");
    for (String c : columns) {
      Parameter p = Parameter.byName(c).orElseThrow();
      b.append(",\n    ").append(columnName(t, c)).append(' ')
          .append(p.type() == Parameter.Type.COUNTER ? "Counter64" : "Gauge32");
    }
    b.append("\n}\n\n")
        .append("mo").append(t).append("Index OBJECT-TYPE\n")
        .append("    SYNTAX      Unsigned32 (1..4294967295)\n")
        .append("    MAX-ACCESS  not-accessible\n")
        .append("    STATUS      current\n")
        .append("    DESCRIPTION \"A number the agent gives each ").append(what)
        .append(" and keeps across restarts.\"\n")
        .append("    ::= { mo").append(t).append("Entry 1 }\n\n")
        .append("mo").append(t).append("Name OBJECT-TYPE\n")
        .append("    SYNTAX      DisplayString\n")
        .append("    MAX-ACCESS  read-only\n")
        .append("    STATUS      current\n")
        .append("    DESCRIPTION \"The ").append(what).append(", in lower case.\"\n")
        .append("    ::= { mo").append(t).append("Entry 2 }\n");
    for (String c : columns) {
      Parameter p = Parameter.byName(c).orElseThrow();
      b.append('\n').append(columnName(t, c)).append(" OBJECT-TYPE\n")
          .append("    SYNTAX      ").append(p.type() == Parameter.Type.COUNTER ? "Counter64" : "Gauge32").append('\n')
          .append("    UNITS       \"").append(text(p.unit())).append("\"\n")
          .append("    MAX-ACCESS  read-only\n")
          .append("    STATUS      current\n")
          .append("    DESCRIPTION\n")
          .append("        \"").append(text(p.name())).append(" of this ").append(what.split(" ")[0]).append(": ")
          .append(text(p.description()))
          .append(p.type() == Parameter.Type.COUNTER ? " (total since collection started)." : " (latest minute sample).")
          .append("\"\n")
          .append("    ::= { mo").append(t).append("Entry ").append(OidLayout.column(columns, c)).append(" }\n");
    }
  }

  private static void notifications(StringBuilder b) {
    b.append("\nmoNotifyObjects OBJECT IDENTIFIER ::= { moObjects ").append(OidLayout.NOTIFY_OBJECTS).append(" }\n");
    notifyObject(b, OidLayout.NotifyObject.JOB_NAME, "DisplayString", "The name of the job.");
    notifyObject(b, OidLayout.NotifyObject.JOB_EXECUTION_ID, "Unsigned32", "The id of the job execution.");
    notifyObject(b, OidLayout.NotifyObject.JOB_REASON, "DisplayString",
        "Why the job failed, or how many items it skipped.");
    notifyObject(b, OidLayout.NotifyObject.QUEUE_THRESHOLD, "Gauge32", "The queue-high threshold, in messages.");
    notification(b, OidLayout.Notification.STARTED, "moQueueTotal, sysName", "The agent started.");
    notification(b, OidLayout.Notification.RELOADED, "moQueueTotal", "The agent reloaded its configuration.");
    notification(b, OidLayout.Notification.SHUTDOWN, "moQueueTotal", "The agent is about to stop.");
    notification(b, OidLayout.Notification.QUEUE_HIGH, "moQueueTotal, moQueueHighThreshold",
        "The Postfix queue rose above the configured threshold; sent again only after it fell back.");
    notification(b, OidLayout.Notification.COLLECTOR_STALLED, "moCollectorLastRun",
        "The reporting collector has stored no sample for longer than the configured delay.");
    notification(b, OidLayout.Notification.JOB_FAILED, "moJobName, moJobExecutionId, moJobFailureReason",
        "A job run failed or ended with skipped items.");
  }

  private static void notifyObject(StringBuilder b, OidLayout.NotifyObject o, String syntax, String description) {
    b.append('\n').append(o.mibName()).append(" OBJECT-TYPE\n")
        .append("    SYNTAX      ").append(syntax).append('\n')
        .append("    MAX-ACCESS  accessible-for-notify\n")
        .append("    STATUS      current\n")
        .append("    DESCRIPTION \"").append(description).append("\"\n")
        .append("    ::= { moNotifyObjects ").append(o.number()).append(" }\n");
  }

  private static void notification(StringBuilder b, OidLayout.Notification n, String objects, String description) {
    b.append('\n').append(n.mibName()).append(" NOTIFICATION-TYPE\n")
        .append("    OBJECTS     { ").append(objects).append(" }\n")
        .append("    STATUS      current\n")
        .append("    DESCRIPTION \"").append(description).append("\"\n")
        .append("    ::= { moNotifications ").append(n.number()).append(" }\n");
  }

  private static void group(StringBuilder b, String name, String kind, String clause, List<String> members,
      String description, int number) {
    b.append(name).append(' ').append(kind).append('\n')
        .append("    ").append(clause).append(" {\n        ").append(String.join(",\n        ", members)).append(" }\n")
        .append("    STATUS      current\n")
        .append("    DESCRIPTION \"").append(description).append("\"\n")
        .append("    ::= { moGroups ").append(number).append(" }\n\n");
  }

  /** The node {@code depth} arcs below enterprises on the way to the base: enterprises itself, moParent1, … */
  private static String parent(int depth) {
    return depth == 0 ? "enterprises" : "moParent" + depth;
  }

  private static String text(String s) {
    return s.replace('"', '\'');
  }
}
