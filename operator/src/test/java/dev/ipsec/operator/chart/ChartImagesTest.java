package dev.ipsec.operator.chart;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ipsec.operator.api.ProjectFiles;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The two images cannot be built here; their Dockerfiles are read and held to the policy: pinned
 * bases, no secrets, a non-root numeric user for the operator, and what each image must run.
 */
class ChartImagesTest {
  private static final Path OPERATOR = ProjectFiles.root().resolve("images/operator/Dockerfile");
  private static final Path STRONGSWAN =
      ProjectFiles.root().resolve("images/strongswan/Dockerfile");

  @Test
  void operatorImageIsPinnedNonRootAndFreeOfSecrets() throws IOException {
    Dockerfile dockerfile = Dockerfile.read(OPERATOR);

    assertThat(dockerfile.problems(true)).isEmpty();
    assertThat(dockerfile.arguments("FROM"))
        .singleElement()
        .asString()
        .as("a JRE 17 base")
        .matches("eclipse-temurin:17\\.[\\d.]+_\\d+-jre-.*");
  }

  @Test
  void operatorImageRunsTheShadedJarTheBuildProduces() throws IOException {
    Dockerfile dockerfile = Dockerfile.read(OPERATOR);
    String pom = Files.readString(ProjectFiles.root().resolve("operator/pom.xml"));

    assertThat(pom).contains("<finalName>ipsec-operator</finalName>");
    assertThat(dockerfile.arguments("COPY"))
        .singleElement()
        .asString()
        .startsWith("operator/target/ipsec-operator.jar ");
    assertThat(dockerfile.arguments("ENTRYPOINT"))
        .containsExactly("[\"java\", \"-jar\", \"/opt/ipsec-operator/ipsec-operator.jar\"]");
  }

  @Test
  void operatorImageUserMatchesTheChartsPodSecurityContext() throws IOException {
    Dockerfile dockerfile = Dockerfile.read(OPERATOR);
    List<String> users = dockerfile.arguments("USER");
    var podSecurity =
        HelmChart.render("")
            .one(Deployment.class)
            .getSpec()
            .getTemplate()
            .getSpec()
            .getSecurityContext();

    assertThat(users.get(users.size() - 1))
        .isEqualTo(podSecurity.getRunAsUser() + ":" + podSecurity.getRunAsGroup());
  }

  @Test
  void strongswanImageIsPinnedInstallsDebianStrongswanAndRunsCharonInTheForeground()
      throws IOException {
    Dockerfile dockerfile = Dockerfile.read(STRONGSWAN);

    assertThat(dockerfile.problems(false)).isEmpty();
    assertThat(dockerfile.arguments("FROM"))
        .singleElement()
        .asString()
        .matches("debian:12\\.\\d+-slim");
    // the packages come from the one list bin/setup installs too (GatewayPackagesTest), each
    // pinned to the image's strongSwan version
    assertThat(dockerfile.arguments("COPY"))
        .contains("images/strongswan/packages.txt /tmp/packages.txt");
    assertThat(String.join(" ", dockerfile.arguments("RUN")))
        .contains(
            "/tmp/packages.txt",
            "\"=\" v",
            "-v v=\"${STRONGSWAN_VERSION}\"",
            "--no-install-recommends",
            "rm -rf /var/lib/apt/lists/*");
    assertThat(dockerfile.arguments("ENTRYPOINT")).containsExactly("[\"/usr/lib/ipsec/charon\"]");
    assertThat(dockerfile.arguments("EXPOSE")).containsExactly("500/udp 4500/udp");
  }

  @Test
  void strongswanDefaultsLogToStdoutAndServeViciOnTheSharedSocket() throws IOException {
    Dockerfile dockerfile = Dockerfile.read(STRONGSWAN);
    assertThat(dockerfile.arguments("COPY"))
        .contains("images/strongswan/strongswan.conf /etc/strongswan.conf");
    String conf =
        Files.readString(ProjectFiles.root().resolve("images/strongswan/strongswan.conf"))
            .replaceAll("(?m)^\\s*#.*$", "");

    assertThat(conf.replaceAll("\\s+", " "))
        .contains("filelog { stdout { default = 1")
        .contains("vici { socket = unix:///run/vici/charon.vici }")
        .contains("include strongswan.d/*.conf");
    assertThat(conf.chars().filter(c -> c == '{').count())
        .as("balanced sections")
        .isEqualTo(conf.chars().filter(c -> c == '}').count());
  }

  @Test
  void chartDefaultsNameTheImagesTheseDockerfilesBuild() throws IOException {
    JsonNode values = ProjectFiles.readYaml(HelmChart.file("values.yaml"));
    JsonNode chart = ProjectFiles.readYaml(HelmChart.file("Chart.yaml"));
    String strongswanVersion =
        Dockerfile.read(STRONGSWAN).arguments("ARG").stream()
            .filter(a -> a.startsWith("STRONGSWAN_VERSION="))
            .findFirst()
            .orElseThrow()
            .substring("STRONGSWAN_VERSION=".length());

    assertThat(values.at("/image/tag").asText()).isEqualTo(chart.path("appVersion").asText());
    assertThat(values.at("/agent/image/tag").asText()).isEqualTo(chart.path("appVersion").asText());
    assertThat(values.at("/agent/image/repository")).isEqualTo(values.at("/image/repository"));
    // Docker tags cannot hold the '+' of Debian versions
    assertThat(values.at("/gateway/image/tag").asText())
        .isEqualTo(strongswanVersion.replace('+', '-'));
  }

  @Test
  void thePolicyCatchesWhatItIsAbout() {
    Dockerfile bad =
        Dockerfile.parse(
            """
            FROM eclipse-temurin:17 AS build
            FROM debian:latest
            FROM ubuntu
            FROM build
            ARG GITHUB_TOKEN
            ENV IPSEC_PSK=changeme \\
                LOG_LEVEL=1
            COPY certs/server.key /etc/ssl/
            ADD https://example.org/tool.tar.gz /opt/
            USER root
            """);

    assertThat(bad.problems(true))
        .containsExactlyInAnyOrder(
            "FROM eclipse-temurin:17: base image not pinned to an exact version tag or a digest",
            "FROM debian:latest: base image not pinned to an exact version tag or a digest",
            "FROM ubuntu: base image not pinned to an exact version tag or a digest",
            "ARG GITHUB_TOKEN: looks like a secret baked into the image",
            "ENV IPSEC_PSK: looks like a secret baked into the image",
            "COPY certs/server.key: copies a key or secret into the image",
            "ADD https://example.org/tool.tar.gz: remote content is not pinned; download in a"
                + " verified RUN",
            "USER: the image must end with a numeric non-root user (runAsNonRoot checks a UID),"
                + " found [root]");
    assertThat(
            Dockerfile.parse("FROM debian:12.11-slim@sha256:" + "c".repeat(64) + "\nUSER 0\n")
                .problems(true))
        .containsExactly(
            "USER: the image must end with a numeric non-root user (runAsNonRoot checks a UID),"
                + " found [0]");
    assertThat(
            Dockerfile.parse("FROM registry.example.org:5000/base/jre:17.0.15\nUSER 10001\n")
                .problems(true))
        .isEmpty();
  }
}
