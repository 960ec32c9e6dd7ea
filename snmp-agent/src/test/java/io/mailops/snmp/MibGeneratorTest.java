package io.mailops.snmp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mailops.reporting.Parameter;
import java.util.HashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** MAILOPS-MIB against {@link Parameter#ALL} and the OIDs the agent registers. */
class MibGeneratorTest {

  final String mib = MibGenerator.mib(SnmpSettings.DEFAULT_BASE_OID);

  @Test
  void everyParameterShouldHaveAPlaceInTheLayout() {
    assertThat(OidLayout.mapped()).containsExactlyInAnyOrderElementsOf(Parameter.ALL);
    Set<String> oids = new HashSet<>();
    for (Parameter p : Parameter.ALL) {
      assertThat(oids.add(OidLayout.instanceOid("1.3", p).orElseThrow())).as(p.name()).isTrue();
    }
  }

  @Test
  void theMibShouldDefineEveryParameterWithItsTypeAndTheOidTheAgentServes() {
    assertThat(mib).startsWith("MAILOPS-MIB DEFINITIONS ::= BEGIN").endsWith("END\n");
    for (Parameter p : Parameter.ALL) {
      Matcher m = Pattern.compile("\n" + p.mibName() + " OBJECT-TYPE\n    SYNTAX      (\\w+)\n(?s:.*?)::= \\{ (\\w+) (\\d+) }")
          .matcher(mib);
      assertThat(m.find()).as(p.mibName()).isTrue();
      assertThat(m.group(1)).isEqualTo(p.type() == Parameter.Type.COUNTER ? "Counter64" : "Gauge32");
      int[] arcs = OidLayout.arcs(p).orElseThrow();
      assertThat(m.group(2)).isEqualTo(OidLayout.BRANCHES.get(arcs[0] - 1).mibName());
      assertThat(Integer.parseInt(m.group(3))).isEqualTo(arcs[1]);
      assertThat(mib).contains("        " + p.mibName() + ",");
    }
  }

  @Test
  void theTablesShouldHaveTheColumnsTheAgentServes() {
    for (String c : OidLayout.DOMAIN_COLUMNS) {
      assertThat(mib).contains("\n" + MibGenerator.columnName("Domain", c) + " OBJECT-TYPE\n")
          .contains("::= { moDomainEntry " + OidLayout.column(OidLayout.DOMAIN_COLUMNS, c) + " }\n");
    }
    for (String c : OidLayout.ACCOUNT_COLUMNS) {
      assertThat(mib).contains("::= { moAccountEntry " + OidLayout.column(OidLayout.ACCOUNT_COLUMNS, c) + " }\n");
    }
    assertThat(mib).contains("moDomainTable OBJECT-TYPE\n    SYNTAX      SEQUENCE OF MoDomainEntry\n")
        .contains("::= { moObjects " + OidLayout.DOMAIN_TABLE + " }").contains("::= { moObjects " + OidLayout.ACCOUNT_TABLE + " }")
        .contains("moCountersDiscontinuityTime OBJECT-TYPE\n    SYNTAX      TimeStamp\n");
  }

  @Test
  void everyNotificationShouldBeANotificationTypeInTheNotificationGroup() {
    for (OidLayout.Notification n : OidLayout.Notification.values()) {
      assertThat(mib).contains("\n" + n.mibName() + " NOTIFICATION-TYPE\n")
          .containsPattern("(?s)moNotificationGroup NOTIFICATION-GROUP\n    NOTIFICATIONS \\{[^}]*\\b" + n.mibName() + "\\b");
      assertThat(mib).containsPattern("(?s)\n" + n.mibName() + " NOTIFICATION-TYPE\n.*?::= \\{ moNotifications "
          + n.number() + " }");
    }
    assertThat(mib).contains("OBJECTS     { moJobName, moJobExecutionId, moJobFailureReason }")
        .contains("MANDATORY-GROUPS { moScalarGroup, moTableGroup, moNotifyObjectGroup,");
  }

  @Test
  void theModuleIdentityShouldSitAtTheBaseOid() {
    assertThat(mib).contains("moParent1 OBJECT IDENTIFIER ::= { enterprises 8072 }\n")
        .contains("moParent2 OBJECT IDENTIFIER ::= { moParent1 9999 }\n")
        .contains("    ::= { moParent2 9999 }\n");
    assertThat(MibGenerator.mib("1.3.6.1.4.1.99999")).contains("    ::= { enterprises 99999 }\n")
        .doesNotContain("moParent1");
  }

  @Test
  void aBaseOutsideEnterprisesShouldBeRefused() {
    assertThatThrownBy(() -> MibGenerator.mib("1.3.6.1.2.1.99"))
        .hasMessage("the MIB's base OID must lie under enterprises (1.3.6.1.4.1), got 1.3.6.1.2.1.99");
  }
}
