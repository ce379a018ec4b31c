package dev.ipsec.operator.cli;

import dev.ipsec.operator.version.ProjectVersion;
import picocli.CommandLine;

/** {@code --version}: the project version this jar or these classes were built as. */
final class VersionProvider implements CommandLine.IVersionProvider {
  @Override
  public String[] getVersion() {
    return new String[] {"ipsec-operator " + ProjectVersion.current()};
  }
}
