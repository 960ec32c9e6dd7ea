package io.mailops.jobs.cli;

import io.mailops.jobs.config.MailOpsSettings;
import io.mailops.snmp.MailOpsAgent;
import io.mailops.snmp.SnmpSettings;
import java.io.IOException;
import java.time.Clock;
import java.util.function.Consumer;
import javax.sql.DataSource;

/**
 * Starts the SNMP agent from {@code mailops.snmp.*} over the report database, for {@code mailops
 * snmp serve} and for {@code mailops daemon}. The caller owns the agent: call
 * {@link MailOpsAgent#sendStarted()} once it runs, {@link MailOpsAgent#sendJobFailed} for failed
 * runs, {@link MailOpsAgent#reload} with {@link #settings} on SIGHUP, and
 * {@link MailOpsAgent#sendShutdown()} then {@link MailOpsAgent#close()} when stopping.
 */
public final class SnmpAgentFactory {

  private SnmpAgentFactory() {
  }

  /** Whether {@code s} configures an agent: a v2c community or a v3 user in {@code mailops.snmp}. */
  public static boolean configured(MailOpsSettings s) {
    return !s.get("mailops.snmp.community", "").isBlank() || s.get("mailops.snmp.communities[0]") != null
        || s.get("mailops.snmp.users[0].name") != null;
  }

  /**
   * The agent settings from {@code s} ({@code mailops.snmp.*}; password files are read here).
   *
   * @throws IllegalArgumentException naming the bad setting (a usage error)
   * @throws IOException when a password file cannot be read, naming it
   */
  public static SnmpSettings settings(MailOpsSettings s) throws IOException {
    return SnmpConfig.read(s, new SnmpConfig.Flags(null, null, null, null));
  }

  /**
   * Binds {@code settings.listen()} and serves the report database {@code reportDb} (the tables of
   * {@code mailops report collect}; keep a small connection pool open, e.g. Hikari with 2
   * connections, for as long as the agent runs).
   *
   * @param warnings one line per failed store read or notification, without a prefix
   */
  public static MailOpsAgent start(SnmpSettings settings, DataSource reportDb, Consumer<String> warnings)
      throws IOException {
    return MailOpsAgent.start(settings, new SnmpStoreView(reportDb), new SnmpScopeCatalog(reportDb), Clock.systemUTC(),
        warnings);
  }
}
