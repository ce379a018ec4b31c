package dev.ipsec.operator.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The table, row by row, with the real kubectl that bin/setup installs: v1.35.2, pinned
 * (bin/install-kubectl), at {@code .tools/bin/kubectl}, never whatever kubectl the machine happens
 * to have. References as in the conformance tests of each behaviour (PatchSemantics, Admission,
 * FieldValidation, ServerSidePrinting, OpenApi).
 */
class KubectlConformanceTest {
  private static final String KUBECTL = System.getProperty("kubectl", ".tools/bin/kubectl");
  private static EmbeddedApiServer server;
  private static ApiCalls api;
  private static Path kubeconfig;

  record Run(int exit, String out, String err) {}

  @BeforeAll
  static void start(@TempDir Path dir) throws IOException {
    server = new EmbeddedApiServer().start(InetAddress.getLoopbackAddress(), 0);
    api = new ApiCalls(server);
    kubeconfig = server.writeKubeconfig(dir.resolve("kubeconfig"));
    Run version = kubectl("version", "--client");
    if (version.exit() != 0) {
      // never skipped: bin/setup installs it
      fail("kubectl is not usable (run bin/setup): " + version.err());
    }
    assertThat(version.out()).as("the pinned kubectl").contains("v1.35.2");
    api.post(
        "/apis/ipsec.dev/v1alpha1/namespaces/default/ipsecpeers",
        """
        {"apiVersion":"ipsec.dev/v1alpha1","kind":"IpsecPeer",
         "metadata":{"name":"site-b","namespace":"default"},
         "spec":{"gateway":"site-a","ikeGroup":"ike","defaultEspGroup":"esp","localAddress":"192.0.2.1",
                 "remoteAddresses":["203.0.113.10","203.0.113.11"],
                 "authentication":{"mode":"pre-shared-secret",
                                   "preSharedSecret":{"secretRef":{"name":"psk","key":"secret"}}},
                 "tunnels":[{"id":1,"local":{"prefixes":["10.1.0.0/16"]},"remote":{"prefixes":["10.2.0.0/16"]}},
                            {"id":2,"local":{"prefixes":["10.3.0.0/16"]},"remote":{"prefixes":["10.4.0.0/16"]}}]}}
        """);
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void applyOfTheExamplesNeedsNoFlags() {
    Path examples = Path.of(System.getProperty("project.root", ".."), "examples/site-to-site");

    Run apply = kubectl("apply", "-n", "applied", "-f", examples.toString());

    assertThat(apply.exit()).as(apply.err()).isZero();
    assertThat(apply.out()).contains("ipsecpeer.ipsec.dev/site-b created");
    assertThat(apply.err()).doesNotContain("openapi");
  }

  @Test
  void applyRefusesAFieldTheSchemaDoesNotKnow(@TempDir Path dir) throws IOException {
    Path typo = dir.resolve("typo.yaml");
    Files.writeString(
        typo,
        Files.readString(
                Path.of(
                    System.getProperty("project.root", ".."), "examples/site-to-site/site-b.yaml"))
            .replaceFirst("(?m)^spec:$", "spec:\n  remotePrefix: 10.0.0.0/8"));

    Run apply = kubectl("apply", "-n", "typo", "-f", typo.toString());

    assertThat(apply.exit()).isNotZero();
    assertThat(apply.err())
        .contains("strict decoding error")
        .contains("unknown field \"spec.remotePrefix\"");
  }

  @Test
  void explainDocumentsTheFieldsOfAKind() {
    Run explain = kubectl("explain", "ipsecpeer.spec.tunnels");

    assertThat(explain.exit()).as(explain.err()).isZero();
    assertThat(explain.out())
        .contains("KIND:")
        .contains("IpsecPeer")
        .contains("FIELD: tunnels")
        .contains("local")
        .contains("remote");
  }

  @Test
  void aMergePatchReplacesTheTunnelList() {
    Run patch =
        kubectl(
            "patch",
            "ipsecpeer",
            "site-b",
            "--type",
            "merge",
            "-p",
            "{\"spec\":{\"tunnels\":[{\"id\":1,\"local\":{\"prefixes\":[\"10.9.0.0/16\"]},\"remote\":{\"prefixes\":[\"10.8.0.0/16\"]}}]}}");

    assertThat(patch.exit()).as(patch.err()).isZero();
    assertThat(
            kubectl("get", "ipsecpeer", "site-b", "-o", "jsonpath={.spec.tunnels[*].id}")
                .out()
                .trim())
        .isEqualTo("1");
  }

  @Test
  void anObjectBreakingACelRuleIsRefusedWithTheRulesMessage() {
    Run patch =
        kubectl(
            "patch",
            "ipsecpeer",
            "site-b",
            "--type",
            "merge",
            "-p",
            "{\"spec\":{\"tunnels\":null}}");

    assertThat(patch.exit()).isNotZero();
    assertThat(patch.err())
        .contains("is invalid")
        .contains("no VTI or tunnel specified: set tunnels or vti");
  }

  /** Tunnels are a list-map keyed on id: the server refuses a second tunnel with one id. */
  @Test
  void aTunnelIdGivenTwiceIsADuplicateValue() {
    String twice =
        "{\"id\":5,\"local\":{\"prefixes\":[\"10.1.0.0/16\"]},\"remote\":{\"prefixes\":[\"10.2.0.0/16\"]}}";
    Run patch =
        kubectl(
            "patch",
            "ipsecpeer",
            "site-b",
            "--type",
            "merge",
            "-p",
            "{\"spec\":{\"tunnels\":[" + twice + "," + twice + "]}}");

    assertThat(patch.exit()).isNotZero();
    assertThat(patch.err())
        .contains("is invalid")
        .contains("spec.tunnels[1]: Duplicate value: map[string]interface {}{\"id\":5}");
  }

  @Test
  void aStrategicMergePatchOfACustomResourceIsRefused() {
    Run patch = kubectl("patch", "ipsecpeer", "site-b", "-p", "{\"spec\":{\"gateway\":\"x\"}}");

    assertThat(patch.exit()).isNotZero();
    assertThat(patch.err()).contains("the body of the request was in an unknown format");
  }

  @Test
  void getShowsAgesAsDurationsAndListsWithoutBrackets() {
    Run get = kubectl("get", "ipsecpeers");

    assertThat(get.exit()).as(get.err()).isZero();
    String row = get.out().lines().filter(l -> l.startsWith("site-b")).findFirst().orElseThrow();
    assertThat(row)
        .contains("203.0.113.10,203.0.113.11")
        .doesNotContain("[")
        .matches(".*\\s\\d+s$");
    // Ready first, Age last; the priority-1 columns only with -o wide
    assertThat(get.out().lines().findFirst().orElseThrow().split("\\s+"))
        .containsExactly("NAME", "READY", "GATEWAY", "REMOTE", "STATE", "TUNNELS", "AGE");
    Run wide = kubectl("get", "ipsecpeers", "-o", "wide");
    assertThat(wide.out().lines().findFirst().orElseThrow().split("\\s+"))
        .containsExactly(
            "NAME",
            "READY",
            "GATEWAY",
            "REMOTE",
            "STATE",
            "TUNNELS",
            "VALID",
            "LOADED",
            "GENERATION",
            "RUNNING",
            "AGE");
  }

  @Test
  void getPodsShowsReadyStatusAndRestarts() {
    api.post(
        "/api/v1/namespaces/default/pods",
        """
        {"apiVersion":"v1","kind":"Pod","metadata":{"name":"gw-0","namespace":"default"},
         "spec":{"containers":[{"name":"charon","image":"x"}]},
         "status":{"phase":"Running","containerStatuses":[{"name":"charon","ready":true,"restartCount":0}]}}
        """);

    Run get = kubectl("get", "pods");

    assertThat(get.out().lines().findFirst().orElseThrow().split("\\s+"))
        .containsExactly("NAME", "READY", "STATUS", "RESTARTS", "AGE");
  }

  @Test
  void describeShowsTheEventsOfTheObject() {
    String uid =
        api.get("/apis/ipsec.dev/v1alpha1/namespaces/default/ipsecpeers/site-b")
            .body()
            .at("/metadata/uid")
            .asText();
    api.post(
        "/api/v1/namespaces/default/events",
        """
        {"apiVersion":"v1","kind":"Event","metadata":{"name":"site-b.1","namespace":"default"},
         "involvedObject":{"apiVersion":"ipsec.dev/v1alpha1","kind":"IpsecPeer","namespace":"default",
                           "name":"site-b","uid":"%s"},
         "reason":"TunnelEstablished","message":"IKE SA up","type":"Normal","count":1,
         "firstTimestamp":"%s","lastTimestamp":"%s","source":{"component":"ipsec-operator"}}
        """
            .formatted(uid, java.time.Instant.now(), java.time.Instant.now()));

    Run describe = kubectl("describe", "ipsecpeer", "site-b");

    assertThat(describe.exit()).as(describe.err()).isZero();
    assertThat(describe.out()).contains("TunnelEstablished").contains("IKE SA up");
  }

  private static Run kubectl(String... arguments) {
    List<String> command = new ArrayList<>(List.of(KUBECTL, "--kubeconfig", kubeconfig.toString()));
    command.addAll(List.of(arguments));
    try {
      Process process = new ProcessBuilder(command).start();
      if (!process.waitFor(60, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        fail("kubectl did not finish: " + command);
      }
      return new Run(
          process.exitValue(),
          new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8),
          new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      return new Run(127, "", "kubectl cannot be run: " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
