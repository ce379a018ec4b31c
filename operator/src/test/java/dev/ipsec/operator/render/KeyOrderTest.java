package dev.ipsec.operator.render;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ipsec.operator.api.v1alpha1.ConnectionType;
import dev.ipsec.operator.api.v1alpha1.Vti;
import dev.ipsec.operator.testing.RequiresCharon;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The key order of reference section 1e, with every optional key present, and charon loading it.
 */
class KeyOrderTest {

  private static Fixtures.Scenario everythingOn(String espExtra) {
    Fixtures.Scenario s = Fixtures.Scenario.base();
    VyosOptionsTableTest.x509(s);
    VyosOptionsTableTest.ikeSpec(s, "keyExchange: ikev1\nmode: aggressive\ndeadPeerDetection: {}");
    VyosOptionsTableTest.espSpec(s, "lifeBytes: 2200000\nlifePackets: 22000\n" + espExtra);
    s.peer().getSpec().setVirtualAddresses(List.of("192.0.2.200"));
    s.peer().getSpec().setConnectionType(ConnectionType.INITIATE);
    s.peer().getSpec().setForceUdpEncapsulation(true);
    s.peer().getSpec().getTunnels().get(0).setPriority(3);
    Vti vti = new Vti();
    vti.setBind("vti2");
    s.peer().getSpec().setVti(vti);
    return s;
  }

  private static SettingsTree conn(RenderedGateway rendered) {
    return SettingsTree.parse(rendered.configFiles().get("conf.d/p1.conf"))
        .section("connections", "p1");
  }

  @Test
  @RequiresCharon
  void connectionAndChildKeysComeInVyosOrder() {
    RenderedGateway rendered = everythingOn("").render();
    SettingsTree conn = conn(rendered);
    assertThat(conn.order)
        .containsExactly(
            "proposals",
            "version",
            "vips",
            "local_addrs",
            "remote_addrs",
            "send_cert",
            "dpd_timeout",
            "dpd_delay",
            "aggressive",
            "rekey_time",
            "mobike",
            "keyingtries",
            "encap",
            "local",
            "remote",
            "children");
    assertThat(conn.section("children", "p1-tunnel-1").order)
        .containsExactly(
            "esp_proposals",
            "life_bytes",
            "rekey_bytes",
            "life_packets",
            "rekey_packets",
            "life_time",
            "rekey_time",
            "local_ts",
            "remote_ts",
            "priority",
            "ipcomp",
            "mode",
            "start_action",
            "dpd_action",
            "close_action",
            "replay_window",
            "updown",
            "if_id_in",
            "if_id_out");
    try (Charon charon = Charon.start()) {
      charon.assertLoads(rendered);
    }
  }

  @Test
  void disableRekeyPutsTheZeroRekeyKeysWhereVyosDoes() {
    RenderedGateway rendered = everythingOn("disableRekey: true").render();
    assertThat(conn(rendered).section("children", "p1-tunnel-1").order)
        .containsExactly(
            "esp_proposals",
            "life_bytes",
            "life_packets",
            "life_time",
            "rekey_bytes",
            "rekey_packets",
            "rekey_time",
            "local_ts",
            "remote_ts",
            "priority",
            "ipcomp",
            "mode",
            "start_action",
            "dpd_action",
            "close_action",
            "replay_window",
            "updown",
            "if_id_in",
            "if_id_out");
  }

  @Test
  void pskSectionIsStableAndOwnedByThePeersIdentities() {
    Fixtures.Scenario s = Fixtures.Scenario.base();
    s.peer().getSpec().setRemoteAddresses(List.of("198.51.100.1", "198.51.100.2", "any"));
    String text =
        new String(s.render().secretFiles().get("secrets.d/p1.conf"), StandardCharsets.UTF_8);
    assertThat(text)
        .isEqualTo(
            """
            secrets {
              ike-p1 {
                id-local = "192.0.2.1"
                id-remote-0 = "198.51.100.1"
                id-remote-1 = "198.51.100.2"
                secret = "%s"
              }
            }
            """
                .formatted(Fixtures.PSK));
  }
}
