package io.mailops.jobs.cli;

import io.mailops.jobs.config.MailOpsSettings;
import io.mailops.snmp.SnmpSettings;
import java.io.IOException;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

/** {@code mailops snmp serve|mib|reload}: the read-only SNMP agent over the reporting parameters, its MIB, reload. */
@Command(name = "snmp", mixinStandardHelpOptions = true,
    description = "Read-only SNMP agent (v2c, v3 authPriv) serving the reporting parameters, its MAILOPS-MIB, reload.",
    footer = {"", "Settings under mailops.snmp: listen, community, communities, users, traps.*,",
        "base-oid, state-dir, account-rows (README, \"SNMP\").",
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

  /** The configuration read again from the files (for a reload), not the one cached at start. */
  MailOpsSettings freshSettings() throws IOException {
    return MailOpsSettings.load(root.env, root.config);
  }
}
