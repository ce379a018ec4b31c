package dev.ipsec.operator.reconcile.peer;

import dev.ipsec.operator.api.v1alpha1.CaCertificateRef;
import dev.ipsec.operator.api.v1alpha1.IpsecPeer;
import dev.ipsec.operator.api.v1alpha1.IpsecPeerSpec;
import dev.ipsec.operator.api.v1alpha1.PeerAuthentication;
import dev.ipsec.operator.api.v1alpha1.SecretKeyRef;
import dev.ipsec.operator.api.v1alpha1.Tunnel;
import dev.ipsec.operator.render.CrossNamespaceReferences;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * Every object an IpsecPeer names, and the index keys under which the controllers find the peers
 * that depend on a given IkeGroup, EspGroup, Secret, ConfigMap or IpsecGlobal without listing all
 * peers.
 */
public record PeerReferences(
    String namespace,
    Optional<String> gateway,
    Optional<String> ikeGroup,
    SortedSet<String> espGroups,
    SortedSet<String> secrets,
    SortedSet<String> configMaps) {

  /** Name of the index on IpsecPeer caches that holds {@link #indexKeys()}. */
  public static final String INDEX = "ipsec-peer-references";

  public static PeerReferences of(IpsecPeer peer) {
    String ns = peer.getMetadata().getNamespace();
    IpsecPeerSpec spec = peer.getSpec();
    SortedSet<String> esp = new TreeSet<>();
    SortedSet<String> secrets = new TreeSet<>();
    SortedSet<String> configMaps = new TreeSet<>();
    if (spec == null) {
      return new PeerReferences(ns, Optional.empty(), Optional.empty(), esp, secrets, configMaps);
    }
    addIfSet(esp, spec.getDefaultEspGroup());
    if (spec.getTunnels() != null) {
      for (Tunnel t : spec.getTunnels()) {
        if (t != null) {
          addIfSet(esp, t.getEspGroup());
        }
      }
    }
    if (spec.getVti() != null) {
      addIfSet(esp, spec.getVti().getEspGroup());
    }
    PeerAuthentication auth = spec.getAuthentication();
    if (auth != null) {
      if (auth.getPreSharedSecret() != null) {
        addSecret(secrets, auth.getPreSharedSecret().getSecretRef(), ns);
      }
      if (auth.getX509() != null) {
        if (auth.getX509().getCertificate() != null
            && !CrossNamespaceReferences.foreign(
                auth.getX509().getCertificate().getNamespace(), ns)) {
          addIfSet(secrets, auth.getX509().getCertificate().getName());
        }
        addSecret(secrets, auth.getX509().getPassphrase(), ns);
        if (auth.getX509().getCaCertificates() != null) {
          for (CaCertificateRef ca : auth.getX509().getCaCertificates()) {
            if (ca == null) {
              continue;
            }
            addSecret(secrets, ca.getSecretRef(), ns);
            if (ca.getConfigMapRef() != null
                && !CrossNamespaceReferences.foreign(ca.getConfigMapRef().getNamespace(), ns)) {
              addIfSet(configMaps, ca.getConfigMapRef().getName());
            }
          }
        }
      }
      if (auth.getRsa() != null) {
        addSecret(secrets, auth.getRsa().getLocalKey(), ns);
        addSecret(secrets, auth.getRsa().getPassphrase(), ns);
      }
    }
    return new PeerReferences(
        ns,
        Optional.ofNullable(blankToNull(spec.getGateway())),
        Optional.ofNullable(blankToNull(spec.getIkeGroup())),
        esp,
        secrets,
        configMaps);
  }

  public List<String> indexKeys() {
    List<String> keys = new ArrayList<>();
    gateway.ifPresent(g -> keys.add(gatewayKey(namespace, g)));
    ikeGroup.ifPresent(g -> keys.add(ikeGroupKey(namespace, g)));
    espGroups.forEach(g -> keys.add(espGroupKey(namespace, g)));
    secrets.forEach(s -> keys.add(secretKey(namespace, s)));
    configMaps.forEach(c -> keys.add(configMapKey(namespace, c)));
    return keys;
  }

  public static List<String> indexKeys(IpsecPeer peer) {
    return of(peer).indexKeys();
  }

  public static String gatewayKey(String ns, String name) {
    return "IpsecGlobal/" + ns + "/" + name;
  }

  public static String ikeGroupKey(String ns, String name) {
    return "IkeGroup/" + ns + "/" + name;
  }

  public static String espGroupKey(String ns, String name) {
    return "EspGroup/" + ns + "/" + name;
  }

  public static String secretKey(String ns, String name) {
    return "Secret/" + ns + "/" + name;
  }

  public static String configMapKey(String ns, String name) {
    return "ConfigMap/" + ns + "/" + name;
  }

  /**
   * A Secret of the peer's namespace; one in another namespace is refused by the renderer and is
   * neither indexed nor looked up ({@link CrossNamespaceReferences}).
   */
  private static void addSecret(SortedSet<String> into, SecretKeyRef ref, String ns) {
    if (ref != null && !CrossNamespaceReferences.foreign(ref.getNamespace(), ns)) {
      addIfSet(into, ref.getName());
    }
  }

  private static void addIfSet(SortedSet<String> into, String value) {
    if (value != null && !value.isBlank()) {
      into.add(value);
    }
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s;
  }
}
