package dev.ipsec.operator.reconcile;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.http.Interceptor;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * The mock API server with the CRDs, in a JVM of its own on this test's class path: its storage
 * must not count as the operator's heap. Prints its URL on a line of its own (log lines may come
 * first); exits when its stdin closes.
 */
final class ApiServerProcess implements AutoCloseable {

  private final Process process;
  private final String url;

  private ApiServerProcess(Process process, String url) {
    this.process = process;
    this.url = url;
  }

  static ApiServerProcess start() throws IOException {
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    Process process =
        new ProcessBuilder(
                java.toString(),
                "-Xmx3g",
                "-cp",
                System.getProperty("java.class.path"),
                ApiServerProcess.class.getName())
            .redirectError(ProcessBuilder.Redirect.DISCARD)
            .start();
    BufferedReader out =
        new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    String url = out.readLine();
    while (url != null && !url.startsWith("http")) {
      // a log line before the URL (vert.x warns of a blocked event loop on a loaded machine)
      url = out.readLine();
    }
    if (url == null || !url.startsWith("http")) {
      process.destroy();
      throw new IllegalStateException("the API server process did not start: " + url);
    }
    return new ApiServerProcess(process, url);
  }

  KubernetesClient client() {
    return client(null);
  }

  /**
   * A client of the server whose every request {@code interceptor} sees first (none when null): for
   * counting what the operator asks.
   */
  KubernetesClient client(Interceptor interceptor) {
    Config config =
        new ConfigBuilder(Config.empty())
            .withMasterUrl(url)
            .withTrustCerts(true)
            .withNamespace(OperatorHarness.NS)
            .build();
    KubernetesClientBuilder builder = new KubernetesClientBuilder().withConfig(config);
    if (interceptor != null) {
      builder.withHttpClientBuilderConsumer(
          b -> b.addOrReplaceInterceptor("counting", interceptor));
    }
    return builder.build();
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    process.waitFor();
  }

  public static void main(String[] args) throws IOException {
    try (OperatorHarness server = new OperatorHarness()) {
      System.out.println(server.client.getMasterUrl());
      System.out.flush();
      while (System.in.read() >= 0) {
        // until the benchmark closes the pipe or ends this process
      }
    }
  }
}
