package dev.ipsec.operator.reconcile;

import static org.awaitility.Awaitility.await;

import dev.ipsec.operator.api.v1alpha1.ApiGroup;
import dev.ipsec.operator.apistore.IndexedCrudDispatcher;
import dev.ipsec.operator.reconcile.agentstate.AgentPolling;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.http.Dispatcher;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

/**
 * The fabric8 mock API server in CRUD mode, on the indexed store the demo's API server has too
 * ({@link IndexedCrudDispatcher}: fabric8's answers, without a scan of every object per request),
 * with our CRDs registered (so {@code /status} is a subresource), and the real operator started
 * through {@link IpsecOperator#start}, the same entry point {@code ipsec-operator run} uses.
 */
public final class OperatorHarness implements AutoCloseable {

  public static final String NS = "vpn";
  public static final List<String> PLURALS =
      List.of("ikegroups", "espgroups", "ipsecpeers", "ipsecglobals");

  public final KubernetesMockServer server;
  public final KubernetesClient client;
  public final KubernetesSerialization json = new KubernetesSerialization();
  private IpsecOperator operator;

  public OperatorHarness() {
    this(UnaryOperator.identity());
  }

  /**
   * @param inFront wraps the CRUD store's dispatcher, for a test that makes the server fail some
   *     requests
   */
  public OperatorHarness(UnaryOperator<Dispatcher> inFront) {
    server =
        new KubernetesMockServer(
            new Context(),
            new MockWebServer(),
            new HashMap<>(),
            inFront.apply(new IndexedCrudDispatcher(List.of())),
            false);
    server.init();
    client = server.createClient();
    for (String plural : PLURALS) {
      try (InputStream in =
          OperatorHarness.class.getResourceAsStream(
              "/META-INF/fabric8/" + plural + "." + ApiGroup.GROUP + "-v1.yml")) {
        client.resource(json.unmarshal(in, CustomResourceDefinition.class)).create();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  public OperatorHarness start(OperatorSettings settings) {
    operator = IpsecOperator.start(client, settings);
    return this;
  }

  public OperatorHarness start() {
    return start(settings());
  }

  public static OperatorSettings settings() {
    return OperatorSettings.defaults()
        .withNamespaces(Set.of(NS))
        .withAgentPolling(AgentPolling.disabled());
  }

  public void stopOperator() {
    if (operator != null) {
      operator.close();
      operator = null;
    }
  }

  public IpsecOperator operator() {
    return operator;
  }

  public <T extends HasMetadata> T create(T resource) {
    if (resource.getMetadata().getNamespace() == null) {
      resource.getMetadata().setNamespace(NS);
    }
    return client.resource(resource).create();
  }

  public <T extends HasMetadata> T yaml(String text, Class<T> type) {
    return json.unmarshal(text, type);
  }

  public static void eventually(Runnable assertion) {
    await()
        .atMost(Duration.ofSeconds(30))
        .pollInterval(100, TimeUnit.MILLISECONDS)
        .ignoreExceptions()
        .untilAsserted(assertion::run);
  }

  @Override
  public void close() {
    stopOperator();
    client.close();
    server.destroy();
  }
}
