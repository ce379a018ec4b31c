/**
 * What a kubelet does on its host, as plain code: which files a ConfigMap, Secret or projected
 * volume holds ({@link dev.ipsec.operator.kubelet.VolumeProjections}), how they are written and
 * swapped atomically ({@link dev.ipsec.operator.kubelet.ProjectedVolumeWriter}), and the sandbox a
 * pod's processes run in: a network namespace, a private mount namespace and a tmpfs on {@code
 * /run} ({@link dev.ipsec.operator.kubelet.NetnsSandbox}, its commands bounded by {@link
 * dev.ipsec.operator.kubelet.HostCommands}).
 *
 * <p>The operator's tests check the Deployments and the agent against it and start their charons in
 * its sandboxes; the demo's kubelet stand-in runs its pods on it. It is not part of the product:
 * the operator jar never contains it.
 */
package dev.ipsec.operator.kubelet;
