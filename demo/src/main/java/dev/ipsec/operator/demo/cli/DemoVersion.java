package dev.ipsec.operator.demo.cli;

import dev.ipsec.operator.version.ProjectVersion;
import picocli.CommandLine;

/** The demo's {@code --version}: the project version, which the demo shares with the operator. */
final class DemoVersion implements CommandLine.IVersionProvider {
  @Override
  public String[] getVersion() {
    return new String[] {"ipsec-operator-demo " + ProjectVersion.current()};
  }
}
