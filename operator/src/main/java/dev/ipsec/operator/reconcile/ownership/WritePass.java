package dev.ipsec.operator.reconcile.ownership;

import io.fabric8.kubernetes.client.KubernetesClient;

/**
 * What the writers of one pass over a gateway's objects share, whatever their kind: the client,
 * what the operator has already checked, the name conflicts the pass meets and the requests the
 * server refuses.
 */
public record WritePass(
    KubernetesClient client,
    CheckedVersions checked,
    NameConflicts conflicts,
    WriteFailures failures) {}
