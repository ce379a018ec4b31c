package dev.ipsec.operator.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;

/**
 * The operator jar is also the gateway agent's image: it holds the product and nothing of the demo.
 * The demo, its embedded API server (fabric8's mock server, on Vert.x, with its indexed store) and
 * the kubelet stand-in's volume code live in this module's jar. Reads the shaded jar the reactor
 * packaged before this module's tests ({@code mvn verify}, {@code mvn install}).
 */
class OperatorJarContentsTest {

  private static final Path JAR =
      Path.of(System.getProperty("project.root", ".."))
          .resolve("operator/target/ipsec-operator.jar");

  /** Path prefixes inside the jar that only the demo or the tests need. */
  private static final List<String> NOT_PRODUCT =
      List.of(
          "dev/ipsec/operator/demo/",
          "dev/ipsec/operator/kubelet/",
          "dev/ipsec/operator/apistore/",
          "io/fabric8/kubernetes/client/server/mock/",
          "io/fabric8/mockwebserver/",
          "io/vertx/",
          "log4j2-demo.xml");

  @Test
  void theOperatorJarHoldsNeitherTheDemoNorTheMockApiServer() throws IOException {
    assertThat(JAR)
        .as("the shaded operator jar; build it first: mvn -pl operator package")
        .isRegularFile();
    List<String> entries;
    try (ZipFile jar = new ZipFile(JAR.toFile())) {
      entries = jar.stream().map(ZipEntry::getName).toList();
    }
    // the right jar: the operator's entry point and the agent are in it
    assertThat(entries)
        .contains(
            "dev/ipsec/operator/cli/Main.class", "dev/ipsec/operator/agent/GatewayAgent.class");
    assertThat(entries)
        .filteredOn(name -> NOT_PRODUCT.stream().anyMatch(name::startsWith))
        .as("entries of %s (%d bytes) that belong to the demo jar", JAR, Files.size(JAR))
        .isEmpty();
  }
}
