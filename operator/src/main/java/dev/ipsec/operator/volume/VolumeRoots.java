package dev.ipsec.operator.volume;

import dev.ipsec.operator.manifest.ConfigManifest;
import dev.ipsec.operator.manifest.ConfigManifestJson;
import dev.ipsec.operator.render.RenderedGateway;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * What the two root objects of a volume hold for a set of placed peers: the revision, the manifest
 * of the public side (root ConfigMap, next to swanctl.conf: swanctl.conf and every config shard's
 * manifest) and of the secret side (root Secret: every secret shard's manifest), and how many bytes
 * each root object takes. The roots list shards, not files: at most {@link ConfigShards#MAX_SHARDS}
 * lines each, whatever the number of peers.
 */
record VolumeRoots(
    String revision,
    ConfigManifest publicManifest,
    ConfigManifest secretManifest,
    String publicJson,
    String secretJson,
    long configMapBytes,
    long secretBytes) {

  /**
   * @param configShardManifests the SHA-256 of every config shard's manifest, by logical path
   * @param secretShardManifests the same for the secret shards
   */
  static VolumeRoots of(
      String swanctlConf,
      Collection<PeerFiles> placed,
      SortedMap<String, String> configShardManifests,
      SortedMap<String, String> secretShardManifests,
      RenderedGateway rendered,
      SortedMap<String, String> referenceVersions) {
    SortedMap<String, String> publicFiles = new TreeMap<>();
    publicFiles.put(ConfigVolumePlan.SWANCTL_CONF, swanctlConf);
    SortedMap<String, byte[]> secretNames = new TreeMap<>();
    for (PeerFiles peer : placed) {
      publicFiles.putAll(peer.config);
      secretNames.putAll(peer.secrets);
    }
    String revision =
        ConfigRevision.of(
            publicFiles, rendered.strongswanConf(), secretNames.keySet(), referenceVersions);
    SortedMap<String, String> publicDigests = new TreeMap<>();
    publicDigests.put(
        ConfigVolumePlan.SWANCTL_CONF,
        ConfigManifest.sha256(swanctlConf.getBytes(StandardCharsets.UTF_8)));
    publicDigests.putAll(configShardManifests);
    ConfigManifest publicManifest =
        new ConfigManifest(ConfigManifest.SCHEMA_VERSION, revision, publicDigests);
    ConfigManifest secretManifest =
        new ConfigManifest(
            ConfigManifest.SCHEMA_VERSION, revision, new TreeMap<>(secretShardManifests));
    String publicJson = ConfigManifestJson.write(publicManifest);
    String secretJson = ConfigManifestJson.write(secretManifest);
    long configMapBytes =
        ConfigShards.entryBytes(ConfigVolumePlan.SWANCTL_CONF, ConfigShards.textSize(swanctlConf))
            + ConfigShards.entryBytes(
                ConfigManifest.PUBLIC_FILE, ConfigShards.textSize(publicJson));
    long secretBytes =
        ConfigShards.entryBytes(
            ConfigManifest.SECRET_FILE,
            ConfigShards.secretSize(secretJson.getBytes(StandardCharsets.UTF_8)));
    return new VolumeRoots(
        revision,
        publicManifest,
        secretManifest,
        publicJson,
        secretJson,
        configMapBytes,
        secretBytes);
  }

  /** The SHA-256 of every rendered file, computed once. */
  static Map<String, String> digests(RenderedGateway rendered) {
    Map<String, String> digests = new HashMap<>();
    rendered
        .configFiles()
        .forEach(
            (path, text) ->
                digests.put(path, ConfigManifest.sha256(text.getBytes(StandardCharsets.UTF_8))));
    rendered
        .secretFiles()
        .forEach((path, bytes) -> digests.put(path, ConfigManifest.sha256(bytes)));
    return digests;
  }

  /** Adds the SHA-256 of each of one peer's files, replacing what {@code digests} had there. */
  static void putDigests(Map<String, String> digests, PeerFiles peer) {
    peer.config.forEach(
        (path, text) ->
            digests.put(path, ConfigManifest.sha256(text.getBytes(StandardCharsets.UTF_8))));
    peer.secrets.forEach((path, bytes) -> digests.put(path, ConfigManifest.sha256(bytes)));
  }
}
