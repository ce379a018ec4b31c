package dev.ipsec.operator.reconcile.peer;

import dev.ipsec.operator.api.v1alpha1.IpsecGlobal;
import dev.ipsec.operator.api.v1alpha1.IpsecPeer;
import dev.ipsec.operator.render.FieldError;
import dev.ipsec.operator.render.GatewayRenderer;
import dev.ipsec.operator.render.RenderedGateway;
import dev.ipsec.operator.volume.ConfigVolumePlanner;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Checks one peer with exactly the rules the gateway's rendering applies, by rendering it alone:
 * what is valid here renders there. Also whether its files fit into one shard at all, which depends
 * on the peer alone (whether its gateway has room left, only the gateway knows).
 */
public final class PeerValidation {

  /**
   * The outcome: every error, and the rendered connection (no children when it does not render).
   */
  public record Result(List<FieldError> errors, RenderedGateway.RenderedConnection connection) {}

  private final GatewayRenderer renderer = new GatewayRenderer();
  private final ConfigVolumePlanner planner;

  public PeerValidation(ConfigVolumePlanner planner) {
    this.planner = planner;
  }

  /**
   * @param lookups where the peer's groups, Secrets and ConfigMaps are found: the peer is rendered
   *     from what they gather for it, as its gateway's rendering gathers it
   */
  public Result validate(
      IpsecPeer peer, Optional<IpsecGlobal> gateway, GatewayInputAssembler lookups) {
    List<FieldError> errors = new ArrayList<>();
    if (gateway.isEmpty()) {
      errors.add(
          new FieldError(
              "spec.gateway",
              peer.getSpec() == null || peer.getSpec().getGateway() == null
                  ? "missing gateway"
                  : "IpsecGlobal \""
                      + peer.getSpec().getGateway()
                      + "\" not found in namespace "
                      + peer.getMetadata().getNamespace()));
    }
    IpsecGlobal host = gateway.orElseGet(() -> placeholder(peer));
    RenderedGateway rendered = renderer.render(lookups.assemble(host, List.of(peer)).input());
    String name = peer.getMetadata().getName();
    errors.addAll(rendered.peerErrors().getOrDefault(name, List.of()));
    Optional.ofNullable(planner.tooLarge(rendered).get(name)).ifPresent(errors::add);
    RenderedGateway.RenderedConnection connection = rendered.connections().get(name);
    return new Result(
        List.copyOf(errors),
        connection == null
            ? new RenderedGateway.RenderedConnection(name, List.of(), List.of())
            : connection);
  }

  private static IpsecGlobal placeholder(IpsecPeer peer) {
    IpsecGlobal g = new IpsecGlobal();
    g.setMetadata(
        new ObjectMetaBuilder()
            .withName("missing")
            .withNamespace(peer.getMetadata().getNamespace())
            .build());
    return g;
  }
}
