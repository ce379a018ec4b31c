package dev.ipsec.operator.demo.cli;

import picocli.CommandLine;

/** Reads the version Maven wrote into the demo jar's manifest (absent when run from classes). */
final class DemoVersion implements CommandLine.IVersionProvider {
  @Override
  public String[] getVersion() {
    String version = DemoCommand.class.getPackage().getImplementationVersion();
    return new String[] {
      "ipsec-operator-demo " + (version == null ? "development build" : version)
    };
  }
}
