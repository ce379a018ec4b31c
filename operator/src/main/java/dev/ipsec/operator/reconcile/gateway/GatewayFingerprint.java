package dev.ipsec.operator.reconcile.gateway;

import static dev.ipsec.operator.reconcile.gateway.GatewayEventSources.OWNED_CONFIGMAPS;
import static dev.ipsec.operator.reconcile.gateway.GatewayEventSources.OWNED_SECRETS;

import dev.ipsec.operator.api.v1alpha1.EspGroup;
import dev.ipsec.operator.api.v1alpha1.IkeGroup;
import dev.ipsec.operator.api.v1alpha1.IpsecGlobal;
import dev.ipsec.operator.api.v1alpha1.IpsecPeer;
import dev.ipsec.operator.reconcile.peer.PeerReferences;
import dev.ipsec.operator.reconcile.peer.ReferencedObjectCache;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * Everything a gateway's full reconcile reads, except its agents' reports: when two reconciles have
 * the same fingerprint, rendering, planning and comparing every owned object again can only find
 * what the first found, and only the status, made from the reports, may differ ({@link
 * SettledGateways}).
 *
 * <p>What it covers, each by what changes with it and nothing the operator writes itself into a
 * status: the IpsecGlobal (uid, generation, deletion; not its resourceVersion, which the status
 * write moves); each peer that names it (name, uid, generation, deletion: peers' labels and
 * annotations are read by nothing of the gateway's); each IkeGroup and EspGroup they name (uid,
 * generation, deletion, or absent); each Secret and ConfigMap they name as the shared cache has it
 * (uid and resourceVersion, which an edit of data or labels and a deletion move, or absent); every
 * object the gateway's owned informers map to it, pods and ReplicaSets included (kind, name, uid,
 * resourceVersion: an edit of an owned ConfigMap, a deleted shard, a new or deleted pod, a pod's
 * readiness all change it, so drift is still reverted and pods still followed); and the operator's
 * gateway defaults and policy. The objects are listed in one canonical order and hashed (SHA-256),
 * so a gateway of 10,000 peers is remembered in 32 bytes; the hash covers names and versions only,
 * never a Secret's data.
 */
public final class GatewayFingerprint {

  /** Where the objects the peers name are looked up: caches only, never the API server. */
  public record Lookups(
      Function<String, Optional<IkeGroup>> ikeGroups,
      Function<String, Optional<EspGroup>> espGroups,
      Function<String, Optional<Secret>> secrets,
      Function<String, Optional<ConfigMap>> configMaps) {}

  private final String objects;
  private final GatewayDefaults defaults;
  private final GatewayPolicy policy;

  private GatewayFingerprint(String objects, GatewayDefaults defaults, GatewayPolicy policy) {
    this.objects = objects;
    this.defaults = defaults;
    this.policy = policy;
  }

  /**
   * The fingerprint of one gateway's inputs.
   *
   * @param peers the peers that name the gateway and are not being deleted, as the reconcile
   *     renders them
   * @param owned every object the gateway's owned informers map to it
   */
  public static GatewayFingerprint of(
      IpsecGlobal gateway,
      Collection<IpsecPeer> peers,
      Lookups lookups,
      Collection<? extends HasMetadata> owned,
      GatewayDefaults defaults,
      GatewayPolicy policy) {
    List<String> lines = new ArrayList<>();
    lines.add("IpsecGlobal " + specVersion(gateway));
    TreeSet<String> ikeGroups = new TreeSet<>();
    TreeSet<String> espGroups = new TreeSet<>();
    TreeSet<String> secrets = new TreeSet<>();
    TreeSet<String> configMaps = new TreeSet<>();
    for (IpsecPeer peer : peers) {
      lines.add("IpsecPeer " + specVersion(peer));
      PeerReferences refs = PeerReferences.of(peer);
      refs.ikeGroup().ifPresent(ikeGroups::add);
      espGroups.addAll(refs.espGroups());
      secrets.addAll(refs.secrets());
      configMaps.addAll(refs.configMaps());
    }
    ikeGroups.forEach(
        n ->
            lines.add(
                "IkeGroup "
                    + n
                    + " "
                    + lookups.ikeGroups().apply(n).map(g -> specVersion(g)).orElse("absent")));
    espGroups.forEach(
        n ->
            lines.add(
                "EspGroup "
                    + n
                    + " "
                    + lookups.espGroups().apply(n).map(g -> specVersion(g)).orElse("absent")));
    secrets.forEach(
        n ->
            lines.add(
                "Secret "
                    + n
                    + " "
                    + lookups
                        .secrets()
                        .apply(n)
                        .map(GatewayFingerprint::objectVersion)
                        .orElse("absent")));
    configMaps.forEach(
        n ->
            lines.add(
                "ConfigMap "
                    + n
                    + " "
                    + lookups
                        .configMaps()
                        .apply(n)
                        .map(GatewayFingerprint::objectVersion)
                        .orElse("absent")));
    // owned objects come from several informers in no set order: sorted, they hash the same
    TreeSet<String> ownedLines = new TreeSet<>();
    for (HasMetadata r : owned) {
      ownedLines.add("owned " + r.getClass().getSimpleName() + " " + objectVersion(r));
    }
    lines.addAll(ownedLines);
    return new GatewayFingerprint(sha256(lines), defaults, policy);
  }

  /**
   * The fingerprint of {@code gateway} from the caches its reconcile reads: the owned informers of
   * {@link GatewayEventSources}, the group informers, and the shared cache of referenced Secrets
   * and ConfigMaps (only objects labelled as references, as the reconcile finds them there).
   */
  public static GatewayFingerprint of(
      Context<IpsecGlobal> context,
      IpsecGlobal gateway,
      Collection<IpsecPeer> peers,
      ReferencedObjectCache references,
      GatewayDefaults defaults,
      GatewayPolicy policy) {
    String ns = gateway.getMetadata().getNamespace();
    var ike = GatewayEventSources.get(context, IkeGroup.class, null);
    var esp = GatewayEventSources.get(context, EspGroup.class, null);
    Lookups lookups =
        new Lookups(
            n -> ike.get(new ResourceID(n, ns)),
            n -> esp.get(new ResourceID(n, ns)),
            n -> references.get(Secret.class, ns, n),
            n -> references.get(ConfigMap.class, ns, n));
    List<HasMetadata> owned = new ArrayList<>();
    owned.addAll(
        GatewayEventSources.get(context, ConfigMap.class, OWNED_CONFIGMAPS)
            .getSecondaryResources(gateway));
    owned.addAll(
        GatewayEventSources.get(context, Secret.class, OWNED_SECRETS)
            .getSecondaryResources(gateway));
    for (Class<? extends HasMetadata> kind :
        List.of(
            Deployment.class, ServiceAccount.class, Service.class, ReplicaSet.class, Pod.class)) {
      owned.addAll(GatewayEventSources.get(context, kind, null).getSecondaryResources(gateway));
    }
    return of(gateway, peers, lookups, owned, defaults, policy);
  }

  /** A custom resource's spec: its generation moves with the spec and not with its status. */
  private static String specVersion(HasMetadata r) {
    ObjectMeta meta = r.getMetadata();
    return meta.getName()
        + " "
        + meta.getUid()
        + " generation="
        + meta.getGeneration()
        + deleting(meta);
  }

  /** Any other object: its resourceVersion moves with every change. */
  private static String objectVersion(HasMetadata r) {
    ObjectMeta meta = r.getMetadata();
    return meta.getName() + " " + meta.getUid() + "@" + meta.getResourceVersion() + deleting(meta);
  }

  private static String deleting(ObjectMeta meta) {
    return meta.getDeletionTimestamp() == null ? "" : " deleting";
  }

  private static String sha256(List<String> lines) {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      for (String line : lines) {
        digest.update(line.getBytes(StandardCharsets.UTF_8));
        digest.update((byte) '\n');
      }
      return HexFormat.of().formatHex(digest.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof GatewayFingerprint other
        && objects.equals(other.objects)
        && defaults.equals(other.defaults)
        && policy.equals(other.policy);
  }

  @Override
  public int hashCode() {
    return Objects.hash(objects, defaults, policy);
  }

  @Override
  public String toString() {
    return "GatewayFingerprint[" + objects.substring(0, 12) + "]";
  }
}
