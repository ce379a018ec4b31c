package dev.ipsec.operator.agent.swanctl;

import java.util.Set;

/**
 * How one read of the configuration differs from the read before it, when only the sections of
 * changed files were read again ({@link ConfigDirectory#lastChange()}): the connections and shared
 * secrets named here may differ (as items or as errors, in either direction); everything else
 * (every other item and error, the credentials, the file errors and failed files) is {@code
 * base}'s. Lets the applier and its status look at the changed items alone instead of every item of
 * the gateway.
 *
 * <p>Held only while one read is applied, never by a {@link DesiredConfig}, so reads do not chain
 * up in memory.
 *
 * @param base the read this one was derived from (compared by identity)
 * @param connections names of the connections that may differ from {@code base}
 * @param secrets ids of the shared secrets that may differ from {@code base}
 */
public record DesiredChange(DesiredConfig base, Set<String> connections, Set<String> secrets) {

  public DesiredChange {
    connections = Set.copyOf(connections);
    secrets = Set.copyOf(secrets);
  }

  /** Names only: the items hold secrets. */
  @Override
  public String toString() {
    return "DesiredChange{connections=" + connections + ", secrets=" + secrets + "}";
  }
}
