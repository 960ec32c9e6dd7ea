package io.mailops.jobs.cli;

import io.mailops.snmp.MibGenerator;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code mailops snmp mib}: prints MAILOPS-MIB (SMIv2) for the configured base OID. */
@Command(name = "mib", mixinStandardHelpOptions = true,
    description = {"Prints MAILOPS-MIB (SMIv2) for the configured base OID (mailops.snmp.base-oid).",
        "Save it as MAILOPS-MIB.txt in a MIB directory, e.g.: snmptranslate -M +DIR -m +MAILOPS-MIB -Tp mailOps"})
public final class SnmpMibCommand implements Callable<Integer> {

  @ParentCommand
  SnmpCommand snmp;

  @Spec
  CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    out.print(MibGenerator.mib(snmp.baseOid()));
    out.flush();
    return ExitCode.OK;
  }
}
