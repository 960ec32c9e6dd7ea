package io.mailops.snmp;

import io.mailops.reporting.Parameter;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Writes {@code MAILOPS-MIB} (SMIv2) from {@link Parameter#ALL} and {@link OidLayout}: one
 * read-only scalar per parameter (Counter64 for counters, Gauge32 for gauges, the unit in
 * {@code UNITS}), one object group and one compliance statement. The module identity sits at the
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
        .append("    MODULE-IDENTITY, OBJECT-TYPE, Counter64, Gauge32, enterprises\n")
        .append("        FROM SNMPv2-SMI\n")
        .append("    MODULE-COMPLIANCE, OBJECT-GROUP\n")
        .append("        FROM SNMPv2-CONF;\n\n")
        .append("mailOps MODULE-IDENTITY\n")
        .append("    LAST-UPDATED \"").append(REVISION).append("\"\n")
        .append("    ORGANIZATION \"mailops\"\n")
        .append("    CONTACT-INFO \"The operators of this mail server.\"\n")
        .append("    DESCRIPTION\n")
        .append("        \"The reporting parameters of a Dovecot/Postfix mail server, read-only.\n")
        .append("        Counters are totals since collection started (they may restart at zero\n")
        .append("        when the reporting store is reset); gauges are the latest minute sample.\n")
        .append("        An object without collected data answers noSuchInstance.\"\n")
        .append("    REVISION \"").append(REVISION).append("\"\n")
        .append("    DESCRIPTION \"The server-scope parameters as scalars.\"\n")
        .append("    ::= { ").append(parent(arcs.length - 1)).append(' ').append(arcs[arcs.length - 1]).append(" }\n\n");
    for (int i = 1; i < arcs.length; i++) {
      b.append(parent(i)).append(" OBJECT IDENTIFIER ::= { ").append(parent(i - 1)).append(' ').append(arcs[i - 1]).append(" }\n");
    }
    b.append(arcs.length > 1 ? "\n" : "")
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
    String objects = params.stream().map(Parameter::mibName).collect(Collectors.joining(",\n        "));
    b.append("\nmoGroups OBJECT IDENTIFIER ::= { moConformance 1 }\n")
        .append("moCompliances OBJECT IDENTIFIER ::= { moConformance 2 }\n\n")
        .append("moScalarGroup OBJECT-GROUP\n")
        .append("    OBJECTS {\n        ").append(objects).append(" }\n")
        .append("    STATUS      current\n")
        .append("    DESCRIPTION \"The server-scope reporting parameters.\"\n")
        .append("    ::= { moGroups 1 }\n\n")
        .append("moCompliance MODULE-COMPLIANCE\n")
        .append("    STATUS      current\n")
        .append("    DESCRIPTION \"An agent serving the mailops reporting parameters.\"\n")
        .append("    MODULE -- this module\n")
        .append("        MANDATORY-GROUPS { moScalarGroup }\n")
        .append("    ::= { moCompliances 1 }\n\n")
        .append("END\n");
    return b.toString();
  }

  /** The node {@code depth} arcs below enterprises on the way to the base: enterprises itself, moParent1, … */
  private static String parent(int depth) {
    return depth == 0 ? "enterprises" : "moParent" + depth;
  }

  private static String text(String s) {
    return s.replace('"', '\'');
  }
}
