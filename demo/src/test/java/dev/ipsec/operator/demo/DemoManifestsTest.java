package dev.ipsec.operator.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ipsec.operator.demo.DemoManifests.Ping;
import dev.ipsec.operator.demo.LocalCluster.Site;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DemoManifestsTest {
  private static final Path SITE_TO_SITE =
      Path.of(System.getProperty("project.root", ".."), "examples", "site-to-site");

  @Test
  void theSiteToSiteExampleGivesTwoSitesAndAPingEachWay() {
    DemoManifests manifests = DemoManifests.read(SITE_TO_SITE);

    assertThat(manifests.files())
        .extracting(p -> p.getFileName().toString())
        .containsExactly("groups.yaml", "site-a.yaml", "site-b.yaml");
    assertThat(manifests.sites())
        .containsExactly(
            new Site("site-a", "203.0.113.10", "198.51.100.1"),
            new Site("site-b", "203.0.113.20", "198.51.100.129"));
    assertThat(manifests.pings())
        .containsExactly(
            new Ping("site-a", "site-b", "198.51.100.1", "198.51.100.129"),
            new Ping("site-b", "site-a", "198.51.100.129", "198.51.100.1"));
  }

  @Test
  void firstHostOfAPrefix() {
    assertThat(DemoManifests.firstHost("198.51.100.128/25")).isEqualTo("198.51.100.129");
    assertThat(DemoManifests.firstHost("198.51.100.77/24")).isEqualTo("198.51.100.1");
    assertThat(DemoManifests.firstHost("203.0.113.5/32")).isEqualTo("203.0.113.5");
  }

  @Test
  void aPeerWithoutLocalAddressIsNamedInTheError(@TempDir Path dir) throws Exception {
    Files.writeString(
        dir.resolve("peer.yaml"),
        """
        apiVersion: ipsec.dev/v1alpha1
        kind: IpsecPeer
        metadata: {name: far}
        spec:
          gateway: gw
          tunnels: [{id: 1, local: {prefixes: [198.51.100.0/25]}, remote: {prefixes: [198.51.100.128/25]}}]
        """);
    assertThatThrownBy(() -> DemoManifests.read(dir))
        .hasMessageContaining("peer.yaml, IpsecPeer far: spec.localAddress");
  }
}
