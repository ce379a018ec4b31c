package dev.ipsec.operator.agent.swanctl;

import dev.ipsec.operator.vici.ViciMessage;
import java.nio.file.Path;
import java.util.Set;

/**
 * One {@code load-shared} request: {@code id} (the section name, e.g. {@code ike-peer1}), type,
 * data and owners.
 *
 * @param fingerprint hash of the whole request; identifies a change without revealing the secret
 */
public record SharedSecretSpec(
    String id, ViciMessage request, String fingerprint, Set<Path> sources) {

  public SharedSecretSpec {
    sources = Set.copyOf(sources);
  }

  /** Never prints the request: it carries the secret. */
  @Override
  public String toString() {
    return "SharedSecretSpec{" + id + "}";
  }
}
