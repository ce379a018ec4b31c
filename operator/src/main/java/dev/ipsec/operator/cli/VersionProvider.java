package dev.ipsec.operator.cli;

import picocli.CommandLine;

/** Reads the version Maven wrote into the jar manifest (absent when run from classes). */
final class VersionProvider implements CommandLine.IVersionProvider {
  @Override
  public String[] getVersion() {
    String version = Main.class.getPackage().getImplementationVersion();
    return new String[] {"ipsec-operator " + (version == null ? "development build" : version)};
  }
}
