package dev.ipsec.operator.reconcile.tls;

import dev.ipsec.operator.pki.CertificateAuthority;
import dev.ipsec.operator.reconcile.ownership.Labels;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.net.HttpURLConnection;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Base64;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operator's CA, kept in a Secret of its own namespace (type kubernetes.io/tls: {@code
 * tls.crt}, {@code tls.key}). The first operator to start creates it; every later start, and every
 * other replica, reads it. Replicas that start together race safely: each creates, and one that
 * gets 409 Conflict reads what the winner created. An existing Secret is never overwritten: one
 * that does not hold a usable CA stops the operator with a message naming it, rather than cutting
 * every agent off by replacing their CA.
 *
 * @param namespace the operator's own namespace
 * @param name the Secret's name
 */
public record CaSecret(String namespace, String name) {

  private static final Logger LOG = LoggerFactory.getLogger(CaSecret.class);
  static final String CERTIFICATE = "tls.crt";
  static final String PRIVATE_KEY = "tls.key";
  static final String COMPONENT = "operator-ca";

  public static final String DEFAULT_NAME = "ipsec-operator-ca";

  public CaSecret {
    Objects.requireNonNull(namespace, "namespace");
    Objects.requireNonNull(name, "name");
  }

  /** The CA in the Secret, created with the Secret when there is none. */
  public CertificateAuthority loadOrCreate(KubernetesClient client, Clock clock) {
    Secret existing = client.secrets().inNamespace(namespace).withName(name).get();
    if (existing != null) {
      return read(existing);
    }
    CertificateAuthority created =
        CertificateAuthority.create("ipsec-operator agent CA " + namespace + "/" + name, clock);
    try {
      client.secrets().inNamespace(namespace).resource(secret(created)).create();
      LOG.info("created the operator's CA in Secret {}/{}", namespace, name);
      return created;
    } catch (KubernetesClientException e) {
      if (e.getCode() != HttpURLConnection.HTTP_CONFLICT) {
        throw e;
      }
      // another replica created it first: theirs is the CA
      Secret winner = client.secrets().inNamespace(namespace).withName(name).get();
      if (winner == null) {
        throw new IllegalStateException(
            "Secret " + namespace + "/" + name + " was created and is gone again", e);
      }
      return read(winner);
    }
  }

  private CertificateAuthority read(Secret secret) {
    Map<String, String> data = secret.getData() == null ? Map.of() : secret.getData();
    if (!data.containsKey(CERTIFICATE) || !data.containsKey(PRIVATE_KEY)) {
      throw new IllegalStateException(
          "Secret "
              + namespace
              + "/"
              + name
              + " has no "
              + CERTIFICATE
              + " and "
              + PRIVATE_KEY
              + ": it is not the operator's CA; delete it or choose another name (--ca-secret)");
    }
    try {
      CertificateAuthority ca =
          CertificateAuthority.fromPem(
              decode(data.get(CERTIFICATE)), decode(data.get(PRIVATE_KEY)));
      LOG.info("using the operator's CA from Secret {}/{}: {}", namespace, name, ca);
      return ca;
    } catch (IllegalArgumentException e) {
      throw new IllegalStateException(
          "Secret " + namespace + "/" + name + " holds no usable CA: " + e.getMessage(), e);
    }
  }

  private Secret secret(CertificateAuthority ca) {
    Map<String, String> data = new TreeMap<>();
    data.put(CERTIFICATE, encode(ca.certificatePem()));
    data.put(PRIVATE_KEY, encode(ca.privateKeyPem()));
    return new SecretBuilder()
        .withNewMetadata()
        .withName(name)
        .withNamespace(namespace)
        .withLabels(
            new TreeMap<>(
                Map.of(Labels.MANAGED_BY, Labels.MANAGED_BY_VALUE, Labels.COMPONENT, COMPONENT)))
        .endMetadata()
        .withType("kubernetes.io/tls")
        .withData(data)
        .build();
  }

  private static String encode(String pem) {
    return Base64.getEncoder().encodeToString(pem.getBytes(StandardCharsets.US_ASCII));
  }

  private static String decode(String base64) {
    return new String(Base64.getDecoder().decode(base64), StandardCharsets.US_ASCII);
  }
}
