package dev.ipsec.operator.demo;

import dev.ipsec.operator.api.schema.CrdCatalog;
import dev.ipsec.operator.api.schema.ResourceValidator;
import dev.ipsec.operator.apistore.IndexedCrudDispatcher;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A Kubernetes API server for the demo and the end-to-end tests: fabric8's mock server in CRUD mode
 * on an indexed store ({@link IndexedCrudDispatcher}: fabric8's answers, found without a scan of
 * every stored object) with this project's CRDs registered (so {@code /status} is a real
 * subresource), plus the discovery documents and Table responses that kubectl needs.
 */
public final class EmbeddedApiServer implements AutoCloseable {
  /**
   * The mock web server logs every request at INFO through java.util.logging, which buries the
   * operator's own log. Held in a field: JUL keeps loggers only weakly, and would forget the level.
   */
  private static final Logger MOCK_WEB_SERVER_LOG = quiet("io.fabric8.mockwebserver");

  private final Context context;
  private final ApiDispatcher dispatcher;
  private final IndexedCrudDispatcher store = new IndexedCrudDispatcher();
  private KubernetesMockServer server;
  private InetAddress address;
  private final List<ServedResource> served = new ArrayList<>();
  private final ApiRequestLog requests = new ApiRequestLog();
  private KubernetesClient client;

  public EmbeddedApiServer() {
    CrdCatalog catalog = CrdCatalog.bundled();
    served.addAll(builtInResources());
    for (String kind : catalog.kinds()) {
      served.add(ServedResource.fromCrd(catalog.crd(kind).orElseThrow()));
    }
    this.context = new Context(Serialization.jsonMapper());
    Admission admission =
        new Admission(
            new ResourceValidator(catalog),
            new CelRuleReasons(catalog),
            new ApiStatus(context.getMapper()));
    this.dispatcher =
        new ApiDispatcher(
            new StoreAnswers(store, context.getMapper()),
            context.getMapper(),
            served,
            admission,
            new OpenApiDocuments(context.getMapper(), catalog, served),
            requests);
    this.server = newServer();
  }

  private KubernetesMockServer newServer() {
    return new KubernetesMockServer(
        context, new MockWebServer(), new HashMap<>(), dispatcher, false);
  }

  /** Starts listening (port 0 picks a free one) and registers the CRDs. */
  public EmbeddedApiServer start(InetAddress address, int port) {
    server.init(address, port);
    this.address = address;
    client = server.createClient();
    for (String plural : List.of("ikegroups", "espgroups", "ipsecpeers", "ipsecglobals")) {
      var crd =
          client
              .getKubernetesSerialization()
              .unmarshal(
                  EmbeddedApiServer.class.getResourceAsStream(CrdCatalog.resourceName(plural)),
                  CustomResourceDefinition.class);
      client.apiextensions().v1().customResourceDefinitions().resource(crd).create();
    }
    return this;
  }

  /**
   * Stops listening, which breaks every connection and watch, and listens again on the same address
   * and port with the same store, as a kube-apiserver restarted on the same etcd: the objects and
   * their resourceVersions are kept, clients reconnect, and a watch from a resourceVersion of
   * before the restart is answered 410 Gone (Expired), as by a kube-apiserver whose watch cache
   * begins after it, so that informers list again instead of missing what was written while they
   * were away. (The mock's HTTP server cannot be started twice, so a new one serves the same
   * dispatcher.)
   */
  public synchronized void restart() {
    int port = server.getPort();
    server.destroy();
    // a restarted kube-apiserver fills its watch cache from etcd at the current resourceVersion
    // and answers a watch from an older one 410 Gone, so clients list again; this server keeps no
    // history to replay either, and a new resourceVersion marks where the new cache begins
    long newest = store.requestResourceVersion() - 1;
    dispatcher.expireWatchesUpTo(newest);
    server = newServer();
    server.init(address, port);
  }

  /** A client for the server; closed with it. */
  public KubernetesClient client() {
    if (client == null) {
      throw new IllegalStateException("not started");
    }
    return client;
  }

  /**
   * Every request received so far, with its Kubernetes verb, resource and the client's User-Agent:
   * what a real server's audit log would show.
   */
  public ApiRequestLog requests() {
    return requests;
  }

  public String url() {
    return client().getMasterUrl().toString();
  }

  /** Writes a kubeconfig that points kubectl (or `ipsec-operator run`) at this server. */
  public Path writeKubeconfig(Path file) throws IOException {
    String server = url().replaceAll("/$", "");
    String kubeconfig =
        """
        apiVersion: v1
        kind: Config
        clusters:
          - name: embedded
            cluster:
              server: %s
        users:
          - name: embedded
            user:
              token: embedded
        contexts:
          - name: embedded
            context:
              cluster: embedded
              user: embedded
              namespace: default
        current-context: embedded
        """
            .formatted(server);
    Files.createDirectories(file.toAbsolutePath().getParent());
    Files.writeString(file, kubeconfig);
    return file;
  }

  @Override
  public void close() {
    if (client != null) {
      client.close();
    }
    server.destroy();
  }

  private static List<ServedResource> builtInResources() {
    return List.of(
        ServedResource.builtIn("", "v1", "namespaces", "Namespace", false, "ns"),
        ServedResource.builtIn("", "v1", "pods", "Pod", true, "po"),
        ServedResource.builtIn("", "v1", "configmaps", "ConfigMap", true, "cm"),
        ServedResource.builtIn("", "v1", "secrets", "Secret", true),
        ServedResource.builtIn("", "v1", "services", "Service", true, "svc"),
        ServedResource.builtIn("", "v1", "serviceaccounts", "ServiceAccount", true, "sa"),
        ServedResource.builtIn("", "v1", "events", "Event", true, "ev"),
        ServedResource.builtIn("apps", "v1", "deployments", "Deployment", true, "deploy"),
        ServedResource.builtIn("apps", "v1", "replicasets", "ReplicaSet", true, "rs"),
        ServedResource.builtIn("coordination.k8s.io", "v1", "leases", "Lease", true),
        ServedResource.builtIn("events.k8s.io", "v1", "events", "Event", true, "ev"),
        ServedResource.builtIn(
            "apiextensions.k8s.io",
            "v1",
            "customresourcedefinitions",
            "CustomResourceDefinition",
            false,
            "crd",
            "crds"));
  }

  private static Logger quiet(String name) {
    Logger logger = Logger.getLogger(name);
    logger.setLevel(Level.WARNING);
    return logger;
  }
}
