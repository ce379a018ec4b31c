package dev.ipsec.operator.e2e;

import dev.ipsec.operator.api.v1alpha1.EspGroup;
import dev.ipsec.operator.api.v1alpha1.IkeGroup;
import dev.ipsec.operator.api.v1alpha1.IpsecGlobal;
import dev.ipsec.operator.api.v1alpha1.IpsecPeer;
import dev.ipsec.operator.reconcile.ownership.Labels;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The secret scan of one cluster: the secret material of its Secrets (every value of the Secrets
 * users created, every private key of any Secret; certificates are public), searched for in every
 * ConfigMap, the status of the four kinds, every Event, the operator's and the agents' metrics, the
 * process's captured log lines (the operator's) and every container log (the agents' and charon's,
 * of stopped pods too).
 */
final class ClusterSecretScan {
  static final String CONFIG_MAPS = "ConfigMap value";
  static final String STATUSES = "status";
  static final String EVENTS = "Event";
  static final String METRICS = "metrics line";
  static final String AGENT_METRICS = "agent metrics line";
  static final String LOGS = "log line";

  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private ClusterSecretScan() {}

  /**
   * Scans what the API server holds and the given logs and metrics.
   *
   * @param logs the process's log lines
   * @param logDirectory searched for {@code *.log} files (the pods' container logs)
   * @param operatorMetrics the operator's metrics in the Prometheus text format
   * @param agentMetricsPort the name of the gateway pods' metrics port
   */
  static SecretScan scan(
      KubernetesClient client,
      List<String> logs,
      Path logDirectory,
      String operatorMetrics,
      String agentMetricsPort) {
    SecretScan scan = new SecretScan();
    for (Secret secret : client.secrets().inAnyNamespace().list().getItems()) {
      addMaterial(scan, secret);
    }
    for (ConfigMap map : client.configMaps().inAnyNamespace().list().getItems()) {
      String where = "ConfigMap " + name(map);
      forEach(map.getData(), (key, value) -> scan.scan(CONFIG_MAPS, where + " key " + key, value));
      forEach(
          map.getBinaryData(),
          (key, value) -> scan.scan(CONFIG_MAPS, where + " key " + key, decode(value)));
    }
    for (Class<? extends HasMetadata> kind :
        List.of(IkeGroup.class, EspGroup.class, IpsecPeer.class, IpsecGlobal.class)) {
      for (HasMetadata object : client.resources(kind).inAnyNamespace().list().getItems()) {
        Object status =
            client.getKubernetesSerialization().convertValue(object, Map.class).get("status");
        scan.scan(
            STATUSES,
            object.getKind() + " " + name(object) + " status",
            status == null ? "" : client.getKubernetesSerialization().asJson(status));
      }
    }
    for (var event : client.v1().events().inAnyNamespace().list().getItems()) {
      String where = "Event " + name(event);
      scan.scan(EVENTS, where + " reason", event.getReason());
      scan.scan(EVENTS, where + " message", event.getMessage());
    }
    for (var event : client.events().v1().events().inAnyNamespace().list().getItems()) {
      scan.scan(EVENTS, "Event " + name(event) + " note", event.getNote());
    }
    lines(operatorMetrics)
        .forEach(l -> scan.scan(METRICS, "the operator's metrics line " + l.n, l.text));
    for (Pod pod : client.pods().inAnyNamespace().list().getItems()) {
      agentMetrics(pod, agentMetricsPort)
          .ifPresent(
              text ->
                  lines(text)
                      .forEach(
                          l ->
                              scan.scan(
                                  AGENT_METRICS,
                                  "pod " + name(pod) + " /metrics line " + l.n,
                                  l.text)));
    }
    for (int i = 0; i < logs.size(); i++) {
      scan.scan(LOGS, "the operator process's log line " + (i + 1), logs.get(i));
    }
    for (Path file : logFiles(logDirectory)) {
      try {
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        for (int i = 0; i < lines.size(); i++) {
          scan.scan(LOGS, logDirectory.relativize(file) + " line " + (i + 1), lines.get(i));
        }
      } catch (IOException e) {
        // a charon log may hold bytes that are no UTF-8: read it as Latin-1 instead
        try {
          String text = Files.readString(file, StandardCharsets.ISO_8859_1);
          lines(text).forEach(l -> scan.scan(LOGS, file.getFileName() + " line " + l.n, l.text));
        } catch (IOException again) {
          throw new UncheckedIOException(again);
        }
      }
    }
    return scan;
  }

  /**
   * The secret material of one Secret: every private key; and every value of a Secret a user
   * created (PSKs, passphrases) but PEMs without a private key (certificates, public keys). The
   * operator's own Secrets hold the users' values again, in rendered files; the values themselves
   * are looked for.
   */
  private static void addMaterial(SecretScan scan, Secret secret) {
    boolean operators =
        secret.getMetadata().getLabels() != null
            && Labels.MANAGED_BY_VALUE.equals(
                secret.getMetadata().getLabels().get(Labels.MANAGED_BY));
    forEach(
        secret.getData(),
        (key, encoded) -> {
          String value = decode(encoded);
          String source = "Secret " + name(secret) + " key " + key;
          if (value.contains(SecretScan.PRIVATE_KEY)) {
            scan.secret(source, value);
          } else if (!operators && !value.contains("-----BEGIN")) {
            // a PEM without a private key (a certificate, a public key) is public
            scan.secret(source, value);
          }
        });
  }

  private static java.util.Optional<String> agentMetrics(Pod pod, String portName) {
    String ip = pod.getStatus() == null ? null : pod.getStatus().getPodIP();
    if (ip == null) {
      return java.util.Optional.empty();
    }
    return pod.getSpec().getContainers().stream()
        .flatMap(c -> c.getPorts() == null ? Stream.empty() : c.getPorts().stream())
        .filter(p -> portName.equals(p.getName()))
        .map(ContainerPort::getContainerPort)
        .findFirst()
        .flatMap(
            port -> {
              try {
                HttpResponse<String> response =
                    HTTP.send(
                        HttpRequest.newBuilder(URI.create("http://" + ip + ":" + port + "/metrics"))
                            .timeout(Duration.ofSeconds(5))
                            .build(),
                        HttpResponse.BodyHandlers.ofString());
                return response.statusCode() == 200
                    ? java.util.Optional.of(response.body())
                    : java.util.Optional.empty();
              } catch (IOException e) {
                return java.util.Optional.empty(); // the pod is gone or not serving yet
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return java.util.Optional.empty();
              }
            });
  }

  private static List<Path> logFiles(Path directory) {
    if (!Files.isDirectory(directory)) {
      return List.of();
    }
    try (Stream<Path> files = Files.walk(directory)) {
      return files
          .filter(Files::isRegularFile)
          .filter(f -> f.getFileName().toString().endsWith(".log"))
          .sorted()
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private record Line(int n, String text) {}

  private static List<Line> lines(String text) {
    String[] split = text.split("\\R");
    return java.util.stream.IntStream.range(0, split.length)
        .mapToObj(i -> new Line(i + 1, split[i]))
        .toList();
  }

  private static String name(HasMetadata object) {
    return object.getMetadata().getNamespace() + "/" + object.getMetadata().getName();
  }

  private static String decode(String base64) {
    return new String(Base64.getDecoder().decode(base64), StandardCharsets.UTF_8);
  }

  private static void forEach(
      Map<String, String> map, java.util.function.BiConsumer<String, String> action) {
    if (map != null) {
      map.forEach(action);
    }
  }
}
