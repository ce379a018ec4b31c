package dev.ipsec.operator.cli;

import dev.ipsec.operator.reconcile.OperatorClient;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.nio.channels.UnresolvedAddressException;
import javax.net.ssl.SSLException;

/**
 * One request to the API server ({@code GET /version}, which every authenticated client may make)
 * before the operator starts, without the client's retries: an unreachable server or refused
 * credentials end {@code run} at once with one line saying which server and what to check, instead
 * of half a minute of retries and the stack traces of every informer that cannot start.
 */
final class ApiServerProbe {

  private ApiServerProbe() {}

  static void check(Config config) throws StartupFailure {
    Config once = new ConfigBuilder(config).withRequestRetryBackoffLimit(0).build();
    try (KubernetesClient client = OperatorClient.build(once)) {
      client.getKubernetesVersion();
    } catch (KubernetesClientException e) {
      throw new StartupFailure(StartupFailure.API_SERVER, describe(config, e), e);
    }
  }

  static String describe(Config config, KubernetesClientException e) {
    String server = config.getMasterUrl();
    if (e.getCode() == 401 || e.getCode() == 403) {
      return "the Kubernetes API server at "
          + server
          + " refused the credentials ("
          + e.getCode()
          + (e.getCode() == 401 ? " Unauthorized" : " Forbidden")
          + "); check the user of the kubeconfig context, or the service account's token";
    }
    String advice = "; check --kubeconfig and --context, and that the server is up";
    if (has(e, UnknownHostException.class) || has(e, UnresolvedAddressException.class)) {
      return "cannot reach the Kubernetes API server at "
          + server
          + ": its host name does not resolve"
          + advice;
    }
    if (has(e, SSLException.class)) {
      return "TLS with the Kubernetes API server at "
          + server
          + " failed: "
          + StartupFailure.rootMessage(e)
          + "; check the certificate-authority of the kubeconfig's cluster";
    }
    if (has(e, ConnectException.class)) {
      return "cannot reach the Kubernetes API server at "
          + server
          + ": connection refused"
          + advice;
    }
    if (e.getCode() > 0) {
      return "the Kubernetes API server at "
          + server
          + " answered "
          + e.getCode()
          + " to GET /version: "
          + StartupFailure.rootMessage(e)
          + advice;
    }
    return "cannot reach the Kubernetes API server at "
        + server
        + ": "
        + StartupFailure.rootMessage(e)
        + advice;
  }

  private static boolean has(Throwable error, Class<? extends Throwable> type) {
    for (Throwable t = error; t != null; t = t.getCause()) {
      if (type.isInstance(t)) {
        return true;
      }
    }
    return false;
  }
}
