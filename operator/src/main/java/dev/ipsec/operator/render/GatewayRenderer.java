package dev.ipsec.operator.render;

import dev.ipsec.operator.api.v1alpha1.IpsecPeer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Resources to the files one strongSwan gateway loads: a pure function, deterministic, with no
 * Kubernetes client and no I/O. One invalid peer is reported and left out; the others render.
 */
public final class GatewayRenderer {

  /** The only content of the root swanctl.conf: one file per peer, so an edit touches one file. */
  public static final String SWANCTL_CONF = "include conf.d/*.conf\ninclude secrets.d/*.conf\n";

  private final RenderOptions options;
  private final GatewayCheck gatewayCheck;
  private final PeerRenderings remembered;

  private GatewayRenderer(
      RenderOptions options, GatewayCheck gatewayCheck, PeerRenderings remembered) {
    this.options = Objects.requireNonNull(options, "options");
    this.gatewayCheck = Objects.requireNonNull(gatewayCheck, "gatewayCheck");
    this.remembered = remembered;
  }

  public GatewayRenderer(RenderOptions options, GatewayCheck gatewayCheck) {
    this(options, gatewayCheck, null);
  }

  /**
   * A renderer that keeps each gateway's peers as rendered and renders again only the peers whose
   * spec, groups or referenced objects changed since ({@link PeerRenderings}), when the input's
   * versions are known. The output is the same as without: the operator's gateways, whose reconcile
   * otherwise renders every peer after any one changed.
   */
  public static GatewayRenderer remembering(RenderOptions options, GatewayCheck gatewayCheck) {
    return new GatewayRenderer(options, gatewayCheck, new PeerRenderings());
  }

  /** How many peers of the gateway {@code namespace/name} are kept: for tests. */
  int remembered(String gateway) {
    return remembered == null ? 0 : remembered.remembered(gateway);
  }

  /** Drops what a remembering renderer kept of a deleted gateway (namespace and name). */
  public void forget(String namespace, String name) {
    if (remembered != null) {
      remembered.forget(namespace + "/" + name);
    }
  }

  public GatewayRenderer(RenderOptions options) {
    this(options, GatewayCheck.NONE);
  }

  public GatewayRenderer() {
    this(RenderOptions.defaults());
  }

  public RenderedGateway render(GatewayInput input) {
    SortedMap<String, String> configFiles = new TreeMap<>();
    SortedMap<String, byte[]> secretFiles = new TreeMap<>();
    SortedMap<String, RenderedGateway.RenderedConnection> connections = new TreeMap<>();
    SortedMap<String, List<FieldError>> peerErrors = new TreeMap<>();
    configFiles.put("swanctl.conf", SWANCTL_CONF);

    List<FieldError> gatewayErrors =
        new ArrayList<>(StrongswanConfRenderer.validate(input.gateway()));
    gatewayErrors.addAll(GatewayReplicas.validate(input.gateway()));
    gatewayErrors.addAll(gatewayCheck.check(input.gateway()));
    Optional<String> strongswanConf =
        gatewayErrors.isEmpty()
            ? Optional.of(StrongswanConfRenderer.render(input.gateway(), options))
            : Optional.empty();

    GroupCache groups = new GroupCache(input.ikeGroups(), input.espGroups());
    String gatewayKey = key(input);
    Map<String, String> groupVersions =
        remembered == null || gatewayKey == null ? null : groupVersions(input);
    Map<String, PeerRenderings.Entry> renderedNow = PeerRenderings.entries();
    List<IpsecPeer> peers = new ArrayList<>(input.peers());
    peers.sort(Comparator.comparing(GatewayRenderer::peerName));
    for (IpsecPeer peer : peers) {
      String name = peerName(peer);
      if (peerErrors.containsKey(name) || connections.containsKey(name)) {
        peerErrors
            .computeIfAbsent(name, n -> new ArrayList<>())
            .add(new FieldError("metadata.name", "more than one peer with this name"));
        continue;
      }
      PeerRenderings.Entry kept =
          groupVersions == null
              ? null
              : remembered.reusable(gatewayKey, peer, name, groupVersions, input.references());
      PeerRenderings.Output output;
      if (kept != null) {
        output = kept.output();
        renderedNow.put(name, kept);
      } else {
        RecordedReferences references = new RecordedReferences(input.references());
        output = renderPeer(peer, groups, references);
        if (groupVersions != null) {
          PeerRenderings.add(renderedNow, name, inputs(peer, groupVersions, references), output);
        }
      }
      if (!output.errors().isEmpty()) {
        peerErrors.put(name, new ArrayList<>(output.errors()));
        continue;
      }
      configFiles.putAll(output.configFiles());
      secretFiles.putAll(output.secretFiles());
      if (output.connection() != null) {
        connections.put(name, output.connection());
      }
    }
    if (remembered != null && gatewayKey != null) {
      remembered.keep(gatewayKey, renderedNow);
    }
    Map<String, List<FieldError>> frozen = new TreeMap<>();
    peerErrors.forEach((k, v) -> frozen.put(k, List.copyOf(v)));
    return new RenderedGateway(
        configFiles,
        secretFiles,
        strongswanConf,
        connections,
        new TreeMap<>(frozen),
        gatewayErrors);
  }

  /** One peer's files and connection, or why it does not render. */
  private PeerRenderings.Output renderPeer(
      IpsecPeer peer, GroupCache groups, RecordedReferences references) {
    PeerResolver.Result result = new PeerResolver(peer, groups, references).resolve();
    if (!result.errors().isEmpty()) {
      return new PeerRenderings.Output(List.copyOf(result.errors()), EMPTY, EMPTY_SECRETS, null);
    }
    if (peer.getSpec().getDisable() != null && peer.getSpec().getDisable()) {
      // VyOS leaves a disabled peer out of connections and secrets
      return new PeerRenderings.Output(List.of(), EMPTY, EMPTY_SECRETS, null);
    }
    ConnectionModel model = result.model();
    // the header says which generation and which Secrets the files come from: restart-safe
    // provenance for keeping them running while a later generation is invalid (RenderedFrom)
    RenderedFrom from =
        new RenderedFrom(
            peer.getMetadata() == null ? null : peer.getMetadata().getGeneration(),
            references.secretsRead());
    SortedMap<String, String> configFiles = new TreeMap<>();
    configFiles.put(
        "conf.d/" + model.name() + ".conf", from.header() + ConnectionWriter.connections(model));
    configFiles.putAll(model.publicFiles());
    SortedMap<String, byte[]> secretFiles = new TreeMap<>();
    secretFiles.put("secrets.d/" + model.name() + ".conf", ConnectionWriter.secrets(model));
    secretFiles.putAll(model.privateFiles());
    return new PeerRenderings.Output(
        List.of(),
        configFiles,
        secretFiles,
        new RenderedGateway.RenderedConnection(
            model.name(),
            model.children().stream().map(ConnectionModel.Child::name).toList(),
            result.algorithms()));
  }

  private static final SortedMap<String, String> EMPTY = new TreeMap<>();
  private static final SortedMap<String, byte[]> EMPTY_SECRETS = new TreeMap<>();

  /** What a peer was rendered from, null when a version is not known (then it is not kept). */
  private static PeerRenderings.Inputs inputs(
      IpsecPeer peer, Map<String, String> groupVersions, RecordedReferences references) {
    Map<String, String> read = references.versionsRead();
    if (read == null
        || peer.getMetadata() == null
        || peer.getMetadata().getUid() == null
        || peer.getMetadata().getGeneration() == null) {
      return null;
    }
    return new PeerRenderings.Inputs(
        peer.getMetadata().getUid(), peer.getMetadata().getGeneration(), groupVersions, read);
  }

  /** The version of every group of the input by kind and name; null when one is not known. */
  private static Map<String, String> groupVersions(GatewayInput input) {
    Map<String, String> versions = new TreeMap<>();
    for (var g : input.ikeGroups().entrySet()) {
      var meta = g.getValue().getMetadata();
      versions.put(
          "IkeGroup/" + g.getKey(),
          meta == null ? null : version(meta.getUid(), meta.getResourceVersion()));
    }
    for (var g : input.espGroups().entrySet()) {
      var meta = g.getValue().getMetadata();
      versions.put(
          "EspGroup/" + g.getKey(),
          meta == null ? null : version(meta.getUid(), meta.getResourceVersion()));
    }
    return versions.containsValue(null) ? null : versions;
  }

  private static String version(String uid, String resourceVersion) {
    return uid == null || resourceVersion == null ? null : uid + "@" + resourceVersion;
  }

  /** The gateway's namespace/name, null without a name (nothing is then kept). */
  private static String key(GatewayInput input) {
    var meta = input.gateway().getMetadata();
    return meta == null || meta.getName() == null
        ? null
        : meta.getNamespace() + "/" + meta.getName();
  }

  private static String peerName(IpsecPeer peer) {
    return peer.getMetadata() == null || peer.getMetadata().getName() == null
        ? ""
        : peer.getMetadata().getName();
  }
}
