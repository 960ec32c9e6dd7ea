package io.mailops.jobs.cli;

import picocli.CommandLine.IVersionProvider;

/** The version from the jar manifest, {@code dev} when run from classes. */
final class Version implements IVersionProvider {

  @Override
  public String[] getVersion() {
    String v = Version.class.getPackage().getImplementationVersion();
    return new String[] {"mailops " + (v == null ? "dev" : v),
        "Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vm.name") + ")"};
  }
}
