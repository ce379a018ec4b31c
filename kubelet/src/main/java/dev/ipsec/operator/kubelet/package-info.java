/**
 * What a kubelet does with a pod's volumes, as plain code: which files a ConfigMap, Secret or
 * projected volume holds ({@link dev.ipsec.operator.kubelet.VolumeProjections}) and how they are
 * written and swapped atomically ({@link dev.ipsec.operator.kubelet.ProjectedVolumeWriter}).
 *
 * <p>The operator's tests check the Deployments and the agent against it, and the demo's kubelet
 * stand-in runs on it. It is not part of the product: the operator jar never contains it.
 */
package dev.ipsec.operator.kubelet;
