package dev.ipsec.operator.cli;

import dev.ipsec.operator.render.CrossNamespaceReferences;
import dev.ipsec.operator.render.FieldError;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * {@code validate --offline}: a GitOps repository holds its Secrets sealed (SealedSecret,
 * ExternalSecret), so the Secrets its peers name are not among the files. Offline, a reference to a
 * Secret the files do not hold is taken on trust: the renderer's "not found" at that reference is
 * no error. Everything else still is, a Secret the files do hold included (a missing key, a
 * certificate that is not one): only the absence of the whole object is excused.
 */
final class AbsentSecrets {

  private final GatewayInputs inputs;
  private final boolean offline;
  private final Set<String> takenOnTrust = new TreeSet<>();

  AbsentSecrets(GatewayInputs inputs, boolean offline) {
    this.inputs = inputs;
    this.offline = offline;
  }

  /** Whether {@code error} of the peer {@code name} only says that a Secret is not in the files. */
  boolean excuses(String namespace, String peer, FieldError error) {
    if (!offline) {
      return false;
    }
    Optional<String> absent =
        inputs
            .peer(namespace, peer)
            .map(p -> CrossNamespaceReferences.secretReferences(p).get(error.path()))
            .filter(secret -> !inputs.hasSecret(namespace, secret));
    absent.ifPresent(secret -> takenOnTrust.add(namespace + "/" + secret));
    return absent.isPresent();
  }

  /** The Secrets taken on trust so far, as {@code namespace/name}. */
  Set<String> takenOnTrust() {
    return Set.copyOf(takenOnTrust);
  }
}
