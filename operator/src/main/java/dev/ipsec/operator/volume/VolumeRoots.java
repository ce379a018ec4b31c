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
 * of the public files (root ConfigMap, next to swanctl.conf) and of the secret files (root Secret),
 * and how many bytes each root object takes, to check it against the limit.
 */
record VolumeRoots(
    String revision,
    ConfigManifest publicManifest,
    ConfigManifest secretManifest,
    String publicJson,
    String secretJson,
    long configMapBytes,
    long secretBytes) {

  static VolumeRoots of(
      String swanctlConf,
      Collection<PeerFiles> placed,
      Map<String, String> digests,
      RenderedGateway rendered,
      SortedMap<String, String> referenceVersions) {
    SortedMap<String, String> publicFiles = new TreeMap<>();
    publicFiles.put(ConfigVolumePlan.SWANCTL_CONF, swanctlConf);
    SortedMap<String, String> secretDigests = new TreeMap<>();
    for (PeerFiles peer : placed) {
      publicFiles.putAll(peer.config);
      peer.secrets.keySet().forEach(p -> secretDigests.put(p, digests.get(p)));
    }
    String revision =
        ConfigRevision.of(
            publicFiles, rendered.strongswanConf(), secretDigests.keySet(), referenceVersions);
    SortedMap<String, String> publicDigests = new TreeMap<>();
    publicFiles.keySet().forEach(p -> publicDigests.put(p, digests.get(p)));
    ConfigManifest publicManifest =
        new ConfigManifest(ConfigManifest.SCHEMA_VERSION, revision, publicDigests);
    ConfigManifest secretManifest =
        new ConfigManifest(ConfigManifest.SCHEMA_VERSION, revision, secretDigests);
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

  /** The SHA-256 of every rendered file, computed once however often the roots are rebuilt. */
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
}
