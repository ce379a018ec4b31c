package dev.ipsec.operator.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.ipsec.operator.cli.RenderAndValidateCommandTest.Run;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code run} that cannot start says why in one line on stderr, with an exit code of its own (3:
 * kubeconfig, 4: API server, 5: the operator), and a stack trace only with {@code --debug}.
 */
class RunFailuresTest {

  @TempDir Path dir;

  private HttpServer server;

  @AfterEach
  void stopServer() {
    if (server != null) {
      server.stop(0);
    }
  }

  private Path kubeconfig(String serverUrl) throws IOException {
    return Files.writeString(
        dir.resolve("kubeconfig"),
        """
        apiVersion: v1
        kind: Config
        clusters:
        - name: c
          cluster: {server: "%s"}
        users:
        - name: u
          user: {token: not-a-valid-token}
        contexts:
        - name: x
          context: {cluster: c, user: u}
        current-context: x
        """
            .formatted(serverUrl));
  }

  /**
   * A plain-HTTP stand-in that answers {@code /version} with {@code versionStatus} (a version, or a
   * Status as kube-apiserver writes it), and everything else with a 404 Status.
   */
  private String fakeApiServer(int versionStatus) throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/",
        exchange -> {
          boolean version = exchange.getRequestURI().getPath().equals("/version");
          int status = version ? versionStatus : 404;
          String reason = status == 401 ? "Unauthorized" : "NotFound";
          String message =
              status == 401 ? "Unauthorized" : "the server could not find the requested resource";
          byte[] body =
              (status == 200
                      ? "{\"major\":\"1\",\"minor\":\"35\",\"gitVersion\":\"v1.35.0\"}"
                      : "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\","
                          + "\"reason\":\"%s\",\"code\":%d,\"message\":\"%s\"}"
                              .formatted(reason, status, message))
                  .getBytes(StandardCharsets.UTF_8);
          exchange.getResponseHeaders().add("Content-Type", "application/json");
          exchange.sendResponseHeaders(status, body.length);
          exchange.getResponseBody().write(body);
          exchange.close();
        });
    server.start();
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  private static void assertOneLine(Run r, int exitCode, String line) {
    assertThat(r.exitCode()).as(r.err()).isEqualTo(exitCode);
    assertThat(r.err()).isEqualTo(line + "\n");
    assertThat(r.out()).isEmpty();
  }

  @Test
  void aMissingKubeconfigIsOneLineAndExitCode3() {
    Path missing = dir.resolve("absent/kubeconfig");
    Run r = RenderAndValidateCommandTest.run("run", "--kubeconfig", missing.toString());
    assertOneLine(
        r,
        3,
        "ipsec-operator run: cannot read kubeconfig "
            + missing
            + ": no such file; give a kubeconfig file with --kubeconfig, or none to use"
            + " $KUBECONFIG, ~/.kube/config or the in-cluster service account");
  }

  @Test
  void aKubeconfigThatIsNotOneIsExitCode3() throws IOException {
    Path garbage = Files.writeString(dir.resolve("garbage"), "clusters: [\n");
    Run r = RenderAndValidateCommandTest.run("run", "--kubeconfig", garbage.toString());
    assertThat(r.exitCode()).isEqualTo(3);
    assertThat(r.err())
        .startsWith("ipsec-operator run: cannot read kubeconfig " + garbage + ": not a usable")
        .hasLineCount(1);
  }

  @Test
  void anUnreachableApiServerIsOneLineAndExitCode4() throws IOException {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    String url = "https://127.0.0.1:" + closedPort;
    Run r = RenderAndValidateCommandTest.run("run", "--kubeconfig", kubeconfig(url).toString());
    assertOneLine(
        r,
        4,
        "ipsec-operator run: cannot reach the Kubernetes API server at "
            + url
            + "/: connection refused; check --kubeconfig and --context, and that the server is"
            + " up");
  }

  @Test
  void aHostThatDoesNotResolveIsExitCode4() throws IOException {
    String url = "https://api.cluster.invalid:6443";
    Run r = RenderAndValidateCommandTest.run("run", "--kubeconfig", kubeconfig(url).toString());
    assertOneLine(
        r,
        4,
        "ipsec-operator run: cannot reach the Kubernetes API server at "
            + url
            + "/: its host name does not resolve; check --kubeconfig and --context, and that the"
            + " server is up");
  }

  @Test
  void refusedCredentialsAreExitCode4() throws IOException {
    String url = fakeApiServer(401);
    Run r = RenderAndValidateCommandTest.run("run", "--kubeconfig", kubeconfig(url).toString());
    assertOneLine(
        r,
        4,
        "ipsec-operator run: the Kubernetes API server at "
            + url
            + "/ refused the credentials (401 Unauthorized); check the user of the kubeconfig"
            + " context, or the service account's token");
    assertThat(r.err()).doesNotContain("not-a-valid-token");
  }

  @Test
  void anOperatorThatCannotStartIsOneLineAndExitCode5() throws IOException {
    String url = fakeApiServer(200);
    Run r =
        RenderAndValidateCommandTest.run(
            "run",
            "--kubeconfig",
            kubeconfig(url).toString(),
            "--http-listen",
            "127.0.0.1:0",
            "--ca-namespace",
            "ops");
    // the operator's first write, its CA Secret, finds no API there
    assertOneLine(
        r,
        5,
        "ipsec-operator run: the operator could not start: POST at: "
            + url
            + "/api/v1/namespaces/ops/secrets: 404 NotFound: the server could not find the"
            + " requested resource; check that the CRDs are installed (crds/) and the operator's"
            + " RBAC (README, \"ipsec-operator run\")");
  }

  @Test
  void aBusyListenAddressIsExitCode5() throws IOException {
    String url = fakeApiServer(200);
    try (ServerSocket busy = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      String listen = "127.0.0.1:" + busy.getLocalPort();
      Run r =
          RenderAndValidateCommandTest.run(
              "run", "--kubeconfig", kubeconfig(url).toString(), "--http-listen", listen);
      assertThat(r.exitCode()).as(r.err()).isEqualTo(5);
      assertThat(r.err())
          .startsWith(
              "ipsec-operator run: cannot serve /metrics and the probes on " + listen + ": ")
          .endsWith("; choose another address with --http-listen\n")
          .hasLineCount(1);
    }
  }

  @Test
  void invalidFlagsAreExitCode2BeforeAnyKubeconfigIsRead() {
    Path missing = dir.resolve("absent");
    Run listen =
        RenderAndValidateCommandTest.run(
            "run", "--kubeconfig", missing.toString(), "--http-listen", "localhost");
    assertThat(listen.exitCode()).isEqualTo(2);
    assertThat(listen.err())
        .startsWith("--http-listen must be HOST:PORT, not localhost\n")
        .doesNotContain("kubeconfig " + missing, "\tat ");

    Run prefix =
        RenderAndValidateCommandTest.run(
            "run", "--kubeconfig", missing.toString(), "--allowed-image-prefix=reg.example/x");
    assertThat(prefix.exitCode()).isEqualTo(2);
    assertThat(prefix.err())
        .startsWith(
            "an allowed image prefix must be a registry or repository path ending in '/', not"
                + " \"reg.example/x\"\n")
        .doesNotContain("\tat ");
  }

  @Test
  void debugAddsTheStackTrace() {
    Path missing = dir.resolve("absent");
    Run r = RenderAndValidateCommandTest.run("run", "--debug", "--kubeconfig", missing.toString());
    assertThat(r.exitCode()).isEqualTo(3);
    assertThat(r.err())
        .startsWith("ipsec-operator run: cannot read kubeconfig " + missing + ": no such file;")
        .contains("java.nio.file.NoSuchFileException", "\tat ");
  }

  @Test
  void helpListsTheExitCodes() {
    Run r = RenderAndValidateCommandTest.run("run", "--help");
    assertThat(r.exitCode()).isZero();
    assertThat(r.out())
        .contains("Exit codes:", "--debug")
        .containsPattern("3 +the kubeconfig cannot be read or used")
        .containsPattern("4 +the API server cannot be reached or refuses the credentials")
        .containsPattern("5 +the operator cannot start");
  }
}
