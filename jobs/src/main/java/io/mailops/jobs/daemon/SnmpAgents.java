package io.mailops.jobs.daemon;

import io.mailops.jobs.config.MailOpsSettings;
import io.mailops.snmp.MailOpsAgent;
import io.mailops.snmp.SnmpSettings;
import java.io.IOException;
import java.nio.file.Path;
import java.util.function.Consumer;

/**
 * How the daemon gets its SNMP agent: the same way as {@code mailops snmp serve}
 * ({@code SnmpAgentFactory} in the CLI), so communities, v3 users, trap targets, send-to-all-managers
 * and the alarms behave alike in both. Called from the daemon's main thread only.
 */
public interface SnmpAgents {

  /**
   * The agent settings from {@code mailops.snmp.*}, or null when they configure no agent (no
   * community and no v3 user).
   *
   * @throws IllegalArgumentException naming a bad setting
   * @throws IOException when a password file cannot be read, naming it
   */
  SnmpSettings settings(MailOpsSettings settings) throws IOException;

  /**
   * Binds {@code settings.listen()} and serves the report database; the caller closes the agent.
   *
   * @param warnings one line per failed store read or notification, without a prefix
   */
  MailOpsAgent start(SnmpSettings settings, Consumer<String> warnings) throws IOException;

  /**
   * The pid file {@code mailops snmp reload} reads for an agent of {@code settings} (the one
   * {@code mailops snmp serve} writes); the daemon writes its own pid there while its agent runs.
   */
  Path pidFile(SnmpSettings settings);
}
