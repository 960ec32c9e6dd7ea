package io.mailops.jobs.cli;

import io.mailops.snmp.SnmpSettings;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code mailops snmp reload}: sends SIGHUP to the process running the SNMP agent of this
 * {@code MAILOPS_HOME} (its pid file): {@code mailops snmp serve}, which re-reads communities, users
 * and trap targets from {@code mailops.yml} without rebinding, or {@code mailops daemon run}, which
 * re-reads all its settings; either sends moAgentReloaded.
 */
@Command(name = "reload", mixinStandardHelpOptions = true,
    description = {"Makes the running 'mailops snmp serve' (or the 'mailops daemon run' whose agent runs)"
        + " re-read mailops.yml without rebinding.",
        "Communities, users, trap targets and alarms change; it sends moAgentReloaded.",
        "Same as: kill -HUP $(cat STATE-DIR/serve.pid)."})
public final class SnmpReloadCommand implements Callable<Integer> {

  @ParentCommand
  SnmpCommand snmp;

  @Spec
  CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    SnmpSettings settings = SnmpConfig.read(snmp.settings(), new SnmpConfig.Flags(null, null, null, null));
    Path pidFile = SnmpServeCommand.pidFile(settings);
    String text;
    try {
      text = Files.readString(pidFile, StandardCharsets.UTF_8).trim();
    } catch (NoSuchFileException e) {
      throw new IOException("no 'mailops snmp serve' runs for this MAILOPS_HOME (no pid file " + pidFile
          + "); start it with 'mailops snmp serve'", e);
    }
    Optional<ProcessHandle> serve = text.matches("\\d+") ? ProcessHandle.of(Long.parseLong(text)) : Optional.empty();
    if (serve.isEmpty() || !serve.get().isAlive()) {
      throw new IOException("'mailops snmp serve' is not running (stale pid file " + pidFile + " says " + text
          + "); start it with 'mailops snmp serve'");
    }
    Process kill = new ProcessBuilder("kill", "-HUP", text).redirectErrorStream(true).start();
    String said = new String(kill.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
      throw new IOException("cannot signal 'mailops snmp serve' (pid " + text + "): " + said
          + "; run as the user that started it");
    }
    PrintWriter out = spec.commandLine().getOut();
    out.println("asked the SNMP agent's process (pid " + text + ") to reload mailops.yml; it prints the outcome"
        + " and sends moAgentReloaded");
    out.flush();
    return ExitCode.OK;
  }
}
