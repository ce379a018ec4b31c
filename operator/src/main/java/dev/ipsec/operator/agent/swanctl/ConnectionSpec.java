package dev.ipsec.operator.agent.swanctl;

import dev.ipsec.operator.vici.ViciMessage;
import java.nio.file.Path;
import java.util.Set;

/**
 * One connection as swanctl would send it.
 *
 * @param name the connection name (section name under {@code connections})
 * @param request the complete {@code load-conn} request, {@code {name = {...}}}
 * @param fingerprint {@link Fingerprint} of {@code request}, including certificate contents
 * @param sources the files that define the connection
 */
public record ConnectionSpec(
    String name, ViciMessage request, String fingerprint, Set<Path> sources) {

  public ConnectionSpec {
    sources = Set.copyOf(sources);
  }

  /** Keeps the request out of logs: an auth round may carry key material. */
  @Override
  public String toString() {
    return "ConnectionSpec{" + name + ", " + fingerprint.substring(0, 12) + "}";
  }
}
