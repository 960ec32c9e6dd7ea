package io.mailops.jobs.cli;

import io.mailops.jobs.config.MailOpsSettings;
import io.mailops.snmp.SnmpSettings;
import java.io.IOException;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

/** {@code mailops snmp serve|mib}: the read-only SNMP agent over the reporting parameters, and its MIB. */
@Command(name = "snmp", mixinStandardHelpOptions = true,
    description = "Read-only SNMPv2c agent serving the reporting parameters, and its MAILOPS-MIB.",
    footer = {"", "Settings: mailops.snmp.listen, mailops.snmp.community, mailops.snmp.base-oid.",
        "Exit codes: 0 done, 1 failed, 2 bad usage."})
public final class SnmpCommand {

  @ParentCommand
  MailOpsCommand root;

  /** The configured base OID ({@code mailops.snmp.base-oid}, else net-snmp's experimental subtree). */
  String baseOid() throws IOException {
    return settings().get("mailops.snmp.base-oid", SnmpSettings.DEFAULT_BASE_OID);
  }

  MailOpsSettings settings() throws IOException {
    return root.settings();
  }
}
