package dev.ipsec.operator.reconcile;

import dev.ipsec.operator.version.ProjectVersion;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;

/**
 * The operator's Kubernetes client. Its User-Agent names the operator ({@code
 * ipsec-operator/<version>}) instead of fabric8's default, so an API server's audit log, and the
 * tests that prove the operator's RBAC from recorded requests, can tell its requests from every
 * other client's. With leader election each replica adds its identity as a comment ({@code
 * ipsec-operator/<version> (<identity>)}), so that an audit log also tells the replicas apart:
 * which one led, and that the others only read.
 */
public final class OperatorClient {

  /** The product token of the operator's User-Agent. */
  public static final String PRODUCT = "ipsec-operator";

  private OperatorClient() {}

  /** {@code ipsec-operator/<version>}, the project version ({@link ProjectVersion}). */
  public static String userAgent() {
    return PRODUCT + "/" + ProjectVersion.current().replace(' ', '-');
  }

  /** {@code ipsec-operator/<version> (<instance>)}: one replica of several. */
  public static String userAgent(String instance) {
    return userAgent() + " (" + instance + ")";
  }

  /** A client for {@code config} (left unchanged) with the operator's User-Agent. */
  public static KubernetesClient build(Config config) {
    return withUserAgent(config, userAgent());
  }

  /** A client of one replica, {@code instance} being its identity in the Lease. */
  public static KubernetesClient build(Config config, String instance) {
    return withUserAgent(config, userAgent(instance));
  }

  private static KubernetesClient withUserAgent(Config config, String agent) {
    Config own = new ConfigBuilder(config).withUserAgent(agent).build();
    return new KubernetesClientBuilder().withConfig(own).build();
  }
}
