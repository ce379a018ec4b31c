package dev.ipsec.operator.reconcile.gateway;

import static dev.ipsec.operator.reconcile.gateway.GatewayObjects.agentTlsSecretName;
import static dev.ipsec.operator.reconcile.gateway.GatewayObjects.meta;
import static dev.ipsec.operator.reconcile.gateway.GatewayObjects.name;
import static dev.ipsec.operator.reconcile.gateway.GatewayObjects.workloadName;

import dev.ipsec.operator.api.v1alpha1.IpsecGlobal;
import dev.ipsec.operator.pki.CertificateAuthority;
import dev.ipsec.operator.pki.CertificateRequest;
import dev.ipsec.operator.pki.IssuedCertificate;
import dev.ipsec.operator.pki.PeerIdentity;
import dev.ipsec.operator.pki.Renewal;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The gateway's agent TLS Secret ({@code <gw>-agent-tls}, type kubernetes.io/tls: {@code tls.crt},
 * {@code tls.key}, {@code ca.crt}), mounted into the agent container. Its certificate, from the
 * operator's CA, names the gateway ({@link PeerIdentity#gateway}) and its Service. The Secret in
 * place is kept as long as it fits (same CA, same names, not due for renewal): the desired object
 * is then the current one, so nothing is written. Otherwise a new certificate is issued, which the
 * kubelet brings to the pods and the agent loads without a restart, while its old certificate is
 * still valid for days.
 */
public final class AgentTlsSecrets {

  static final String CERTIFICATE = "tls.crt";
  static final String PRIVATE_KEY = "tls.key";
  static final String CA = "ca.crt";

  private final CertificateAuthority ca;
  private final Clock clock;

  public AgentTlsSecrets(CertificateAuthority ca, Clock clock) {
    this.ca = ca;
    this.clock = clock;
  }

  /**
   * The Secret to have, from the gateway's Secret of that name, for {@link GatewayConfigWriter} to
   * write (before the Deployment whose pods mount it). The informer's cache is asked first; when it
   * has none (a new gateway, or a cache still filling after a restart) the API server is: unlike
   * the other objects, this one is not a function of the gateway, and a certificate issued on a
   * cache miss would replace a good one for nothing.
   */
  Secret desired(IpsecGlobal gw, Context<IpsecGlobal> context) {
    String namespace = gw.getMetadata().getNamespace();
    String name = agentTlsSecretName(name(gw));
    Optional<Secret> current =
        GatewayEventSources.get(context, Secret.class, GatewayEventSources.OWNED_SECRETS)
            .get(new ResourceID(name, namespace))
            .or(
                () ->
                    Optional.ofNullable(
                        context.getClient().secrets().inNamespace(namespace).withName(name).get()));
    return desired(gw, current);
  }

  /** The Secret to have: {@code current}'s material when it still fits, else newly issued. */
  Secret desired(IpsecGlobal gw, Optional<Secret> current) {
    Map<String, String> data =
        current.map(Secret::getData).filter(d -> fits(gw, d)).orElseGet(() -> issue(gw));
    return new SecretBuilder()
        .withMetadata(meta(gw, agentTlsSecretName(name(gw)), "agent-tls"))
        .withType("kubernetes.io/tls")
        .withData(new TreeMap<>(data))
        .build();
  }

  /** The names the certificate carries besides its identity: the gateway Service's. */
  static List<String> dnsNames(IpsecGlobal gw) {
    String service = workloadName(name(gw)) + "." + gw.getMetadata().getNamespace() + ".svc";
    return List.of(service, service + ".cluster.local");
  }

  private Map<String, String> issue(IpsecGlobal gw) {
    IssuedCertificate issued =
        ca.issue(
            CertificateRequest.agent(gw.getMetadata().getNamespace(), name(gw), dnsNames(gw)),
            clock);
    Map<String, String> data = new TreeMap<>();
    data.put(CERTIFICATE, encode(issued.certificatePem()));
    data.put(PRIVATE_KEY, encode(issued.privateKeyPem()));
    data.put(CA, encode(ca.certificatePem()));
    return data;
  }

  private boolean fits(IpsecGlobal gw, Map<String, String> data) {
    if (data == null
        || !data.containsKey(CERTIFICATE)
        || !data.containsKey(PRIVATE_KEY)
        || !data.containsKey(CA)) {
      return false;
    }
    try {
      IssuedCertificate held =
          IssuedCertificate.fromPem(
              decode(data.get(CERTIFICATE)), decode(data.get(PRIVATE_KEY)), decode(data.get(CA)));
      X509Certificate certificate = held.certificate();
      return held.issuer().equals(ca.certificate())
          && ca.signed(certificate)
          && PeerIdentity.of(certificate)
              .filter(PeerIdentity.gateway(gw.getMetadata().getNamespace(), name(gw))::equals)
              .isPresent()
          && dnsNamesOf(certificate).equals(dnsNames(gw))
          && !Renewal.isDue(certificate, clock.instant());
    } catch (IllegalArgumentException e) {
      return false; // unreadable: replaced by a new one
    }
  }

  private static List<String> dnsNamesOf(X509Certificate certificate) {
    List<String> names = new ArrayList<>();
    try {
      Collection<List<?>> all = certificate.getSubjectAlternativeNames();
      if (all != null) {
        for (List<?> name : all) {
          if (Integer.valueOf(2).equals(name.get(0))) {
            names.add(String.valueOf(name.get(1)));
          }
        }
      }
    } catch (CertificateParsingException e) {
      return List.of();
    }
    return names;
  }

  private static String encode(String pem) {
    return Base64.getEncoder().encodeToString(pem.getBytes(StandardCharsets.US_ASCII));
  }

  private static String decode(String base64) {
    return new String(Base64.getDecoder().decode(base64), StandardCharsets.US_ASCII);
  }
}
