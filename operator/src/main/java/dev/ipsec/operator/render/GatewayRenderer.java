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

  public GatewayRenderer(RenderOptions options, GatewayCheck gatewayCheck) {
    this.options = Objects.requireNonNull(options, "options");
    this.gatewayCheck = Objects.requireNonNull(gatewayCheck, "gatewayCheck");
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
      RecordedReferences references = new RecordedReferences(input.references());
      PeerResolver.Result result = new PeerResolver(peer, groups, references).resolve();
      if (!result.errors().isEmpty()) {
        peerErrors.put(name, new ArrayList<>(result.errors()));
        continue;
      }
      if (peer.getSpec().getDisable() != null && peer.getSpec().getDisable()) {
        continue; // VyOS leaves a disabled peer out of connections and secrets
      }
      ConnectionModel model = result.model();
      // the header says which generation and which Secrets the files come from: restart-safe
      // provenance for keeping them running while a later generation is invalid (RenderedFrom)
      RenderedFrom from =
          new RenderedFrom(
              peer.getMetadata() == null ? null : peer.getMetadata().getGeneration(),
              references.secretsRead());
      configFiles.put(
          "conf.d/" + model.name() + ".conf", from.header() + ConnectionWriter.connections(model));
      configFiles.putAll(model.publicFiles());
      secretFiles.put("secrets.d/" + model.name() + ".conf", ConnectionWriter.secrets(model));
      secretFiles.putAll(model.privateFiles());
      connections.put(
          name,
          new RenderedGateway.RenderedConnection(
              model.name(),
              model.children().stream().map(ConnectionModel.Child::name).toList(),
              result.algorithms()));
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

  private static String peerName(IpsecPeer peer) {
    return peer.getMetadata() == null || peer.getMetadata().getName() == null
        ? ""
        : peer.getMetadata().getName();
  }
}
