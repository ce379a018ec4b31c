package dev.ipsec.operator.agent.swanctl;

import dev.ipsec.operator.vici.ViciMessage;
import java.nio.file.Path;
import java.util.Set;

/**
 * One section of swanctl.conf as swanctl would send it: a connection ({@code load-conn}, a section
 * under {@code connections}) or a shared secret ({@code load-shared}, under {@code secrets}).
 *
 * @param name the section name: a connection's name, a shared secret's id (e.g. {@code ike-peer1})
 * @param request the complete request: {@code {name = {...}}} for a connection; id, type, data and
 *     owners for a shared secret
 * @param fingerprint {@link Fingerprint} of {@code request} (including certificate contents);
 *     identifies a change without revealing a secret
 * @param sources the files that define the section
 */
public record SectionSpec(String name, ViciMessage request, String fingerprint, Set<Path> sources) {

  public SectionSpec {
    sources = Set.copyOf(sources);
  }

  /**
   * Keeps the request out of logs, and its fingerprint too: a shared secret, or a connection's auth
   * round, may carry key material, and a weak secret can be guessed from a hash of it.
   */
  @Override
  public String toString() {
    return "SectionSpec{" + name + "}";
  }
}
