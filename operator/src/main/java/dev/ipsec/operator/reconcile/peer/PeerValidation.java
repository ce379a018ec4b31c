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
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * Checks one peer with exactly the rules the gateway's rendering applies, by rendering it alone:
 * what is valid here renders there. Also whether its files fit into one shard at all, which depends
 * on the peer alone (whether its gateway has room left, only the gateway knows).
 *
 * <p>A peer is rendered again only when something its rendering reads has changed ({@link Inputs}):
 * most reconciles of a peer (its gateway's plan announcing it, its own status write read back, a
 * resync) change nothing of it, and at 10,000 peers rendering each of them again was the largest
 * part of the operator's work. The lookups are still made on every call, so a missing reference is
 * still noted and an unlabelled one labelled, as before.
 */
public final class PeerValidation {

  /**
   * The outcome: every error, and the rendered connection (no children when it does not render).
   */
  public record Result(List<FieldError> errors, RenderedGateway.RenderedConnection connection) {}

  /**
   * Everything a peer's validation reads, by version: the peer's spec (uid and generation; its name
   * and namespace are the cache's key), whether its gateway exists (a peer's rendering reads
   * nothing of the gateway but its existence), the uid and resourceVersion of each group, and the
   * content of each Secret and ConfigMap it names that exists ({@link ReferencedContent}; one that
   * is missing is absent, so its creation changes the inputs).
   */
  record Inputs(String uid, long generation, boolean gatewayFound, SortedMap<String, String> read) {

    /** The inputs of {@code peer}, null when a version is unknown: then nothing is cached. */
    static Inputs of(IpsecPeer peer, boolean gatewayFound, GatewayInputAssembler.Assembled in) {
      // by content, not resourceVersion: the label the operator adds changes nothing read
      SortedMap<String, String> read = new TreeMap<>(in.referenceContents());
      in.input()
          .ikeGroups()
          .forEach((n, g) -> read.put("IkeGroup/" + n, GatewayInputAssembler.version(g)));
      in.input()
          .espGroups()
          .forEach((n, g) -> read.put("EspGroup/" + n, GatewayInputAssembler.version(g)));
      Long generation = peer.getMetadata().getGeneration();
      if (peer.getMetadata().getUid() == null
          || generation == null
          || read.values().stream().anyMatch(v -> v.contains("null"))) {
        return null;
      }
      return new Inputs(peer.getMetadata().getUid(), generation, gatewayFound, read);
    }
  }

  private final GatewayRenderer renderer = new GatewayRenderer();
  private final ConfigVolumePlanner planner;
  private final ValidationCache<Inputs, Result> cache = new ValidationCache<>();

  public PeerValidation(ConfigVolumePlanner planner) {
    this.planner = planner;
  }

  /**
   * @param lookups where the peer's groups, Secrets and ConfigMaps are found: the peer is rendered
   *     from what they gather for it, as its gateway's rendering gathers it
   */
  public Result validate(
      IpsecPeer peer, Optional<IpsecGlobal> gateway, GatewayInputAssembler lookups) {
    IpsecGlobal host = gateway.orElseGet(() -> placeholder(peer));
    GatewayInputAssembler.Assembled assembled = lookups.assemble(host, List.of(peer));
    return cache.get(
        key(peer),
        Inputs.of(peer, gateway.isPresent(), assembled),
        () -> render(peer, gateway.isPresent(), assembled));
  }

  /**
   * Forgets the peers {@code exists} no longer knows (namespace/name), once enough may have gone
   * that it is worth a look: cheap to call on every reconcile.
   */
  public void forgetGone(Predicate<String> exists) {
    cache.prune(exists);
  }

  /** How many peers' results are kept: for tests. */
  int cached() {
    return cache.size();
  }

  public static String key(IpsecPeer peer) {
    return peer.getMetadata().getNamespace() + "/" + peer.getMetadata().getName();
  }

  private Result render(
      IpsecPeer peer, boolean gatewayFound, GatewayInputAssembler.Assembled assembled) {
    List<FieldError> errors = new ArrayList<>();
    if (!gatewayFound) {
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
    RenderedGateway rendered = renderer.render(assembled.input());
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
