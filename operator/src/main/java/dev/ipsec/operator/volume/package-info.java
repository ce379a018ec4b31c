/**
 * A gateway's configuration volume, planned from a rendering as plain data: which files go into
 * which ConfigMap or Secret shard, the manifest each shard carries of its files, what the root
 * ConfigMap and root Secret hold (swanctl.conf and the two root manifests of the revision, which
 * list the shards' manifests), the revision, and which peers are left out because they do not fit
 * ({@link dev.ipsec.operator.volume.ConfigVolumePlanner}). The operator writes the plan as objects,
 * {@code render --volume-dir} as files, so both hold the same bytes.
 *
 * <p>Pure: no Kubernetes client or model, no I/O. Depends on {@code render} and {@code manifest}
 * only.
 */
package dev.ipsec.operator.volume;
