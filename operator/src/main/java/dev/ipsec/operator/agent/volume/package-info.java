/**
 * The configuration volume as the agent trusts it. The kubelet refreshes each projected ConfigMap
 * and Secret on its own, and anyone allowed to create a ConfigMap named like a shard adds files to
 * the volume; so the agent loads a revision only when the operator's two root manifests ({@link
 * dev.ipsec.operator.manifest.ConfigManifest}) agree, the shards' manifests they list match and
 * every file those list is present with its digest, and it loads nothing they do not list.
 *
 * <ul>
 *   <li>{@link dev.ipsec.operator.agent.volume.ManifestVerifier}: reads the manifests (roots, then
 *       the shards' manifests they list) and every listed file once, into a {@link
 *       dev.ipsec.operator.agent.volume.VolumeCheck}: complete (a {@link
 *       dev.ipsec.operator.agent.volume.VerifiedView} of exactly the checked bytes) or incomplete
 *       (what is missing or does not match);
 *   <li>{@link dev.ipsec.operator.agent.volume.VolumeFileReader}: reads one file of the volume,
 *       inside it, regular, of bounded size;
 *   <li>{@link dev.ipsec.operator.agent.volume.VolumeListing}: the volume's files, listed once:
 *       which file holds each logical path, and which hold none that a manifest lists;
 *   <li>{@link dev.ipsec.operator.agent.volume.VolumeStatusTracker}: how long the view has been
 *       incomplete and each unlisted file present, so the state reports them only past a bound (a
 *       torn view lasts a kubelet sync; a foreign file stays).
 * </ul>
 */
package dev.ipsec.operator.agent.volume;
