package dev.ipsec.operator.vyos;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ipsec.operator.render.RenderedGateway;
import dev.ipsec.operator.settings.SettingsParser;
import dev.ipsec.operator.settings.SettingsSection;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * One row per VyOS option: the base configuration plus the option's lines, imported and rendered,
 * gives the swanctl setting that the reference (shared/docs/reference/vyos-options.md) says VyOS
 * derives from it. Paths are below {@code connections.p1}; {@code c.} stands for the child {@code
 * p1-tunnel-1}.
 */
class VyosImportOptionsTest {

  static final String BASE =
      """
      set vpn ipsec ike-group IKE proposal 1 encryption 'aes256'
      set vpn ipsec ike-group IKE proposal 1 hash 'sha256'
      set vpn ipsec ike-group IKE proposal 1 dh-group '14'
      set vpn ipsec esp-group ESP proposal 1 encryption 'aes256'
      set vpn ipsec esp-group ESP proposal 1 hash 'sha256'
      set vpn ipsec authentication psk P1 id '192.0.2.1'
      set vpn ipsec authentication psk P1 id '198.51.100.1'
      set vpn ipsec authentication psk P1 secret 'not-a-real-secret'
      set vpn ipsec site-to-site peer p1 authentication mode 'pre-shared-secret'
      set vpn ipsec site-to-site peer p1 ike-group 'IKE'
      set vpn ipsec site-to-site peer p1 default-esp-group 'ESP'
      set vpn ipsec site-to-site peer p1 local-address '192.0.2.1'
      set vpn ipsec site-to-site peer p1 remote-address '198.51.100.1'
      set vpn ipsec site-to-site peer p1 tunnel 1 local prefix '10.1.0.0/16'
      set vpn ipsec site-to-site peer p1 tunnel 1 remote prefix '10.2.0.0/16'
      """;

  static Arguments row(String lines, String path, String expected) {
    return Arguments.of(lines, path, expected);
  }

  static Stream<Arguments> rows() {
    String ike = "set vpn ipsec ike-group IKE ";
    String esp = "set vpn ipsec esp-group ESP ";
    String peer = "set vpn ipsec site-to-site peer p1 ";
    return Stream.of(
        row("", "proposals", "aes256-sha256-modp2048"),
        row("", "c.esp_proposals", "aes256-sha256-modp2048"),
        row("", "version", "0"),
        row("", "mobike", "yes"),
        row("", "rekey_time", "28800s"),
        row("", "c.close_action", "none"),
        row("", "c.replay_window", "32"),
        row("", "c.mode", "tunnel"),
        row("", "c.ipcomp", "no"),
        row("", "c.start_action", "start"),
        row("", "c.local_ts", "10.1.0.0/16"),
        row("", "c.remote_ts", "10.2.0.0/16"),
        row("", "dpd_delay", null),
        row("", "local.id", null),
        row("", "remote.id", "%any"),
        row("", "local_addrs", "192.0.2.1"),
        row("", "remote_addrs", "198.51.100.1"),
        row(ike + "close-action 'trap'", "c.close_action", "trap"),
        row(ike + "close-action 'start'", "c.close_action", "start"),
        row(ike + "dead-peer-detection action 'restart'", "c.dpd_action", "restart"),
        row(ike + "dead-peer-detection action 'restart'", "dpd_delay", "30"),
        row(ike + "dead-peer-detection interval '10'", "dpd_delay", "10"),
        row(ike + "dead-peer-detection timeout '50'", "dpd_timeout", "50"),
        row(ike + "key-exchange 'ikev1'", "version", "1"),
        row(ike + "key-exchange 'ikev2'", "version", "2"),
        row(ike + "lifetime '3600'", "rekey_time", "3600s"),
        row(ike + "lifetime '0'", "rekey_time", "0s"),
        row(ike + "disable-mobike", "mobike", "no"),
        row(ike + "key-exchange 'ikev1'\n" + ike + "mode 'aggressive'", "aggressive", "yes"),
        row(
            ike + "proposal 2 encryption 'aes128gcm128'\n" + ike + "proposal 2 prf 'prfsha384'",
            "proposals",
            "aes256-sha256-modp2048,aes128gcm128-sha1-prfsha384-modp1024"),
        row(
            ike + "proposal 10 encryption 'aes128'\n" + ike + "proposal 3 encryption '3des'",
            "proposals",
            "aes256-sha256-modp2048,3des-sha1-modp1024,aes128-sha1-modp1024"),
        row(esp + "compression", "c.ipcomp", "yes"),
        row(esp + "lifetime '1800'", "c.life_time", "1800s"),
        row(esp + "life-bytes '100000'", "c.life_bytes", "100000"),
        row(esp + "life-packets '5000'", "c.life_packets", "5000"),
        row(esp + "disable-rekey", "c.rekey_packets", "0"),
        row(esp + "pfs 'disable'", "c.esp_proposals", "aes256-sha256"),
        row(esp + "pfs 'dh-group19'", "c.esp_proposals", "aes256-sha256-ecp256"),
        row(
            esp + "proposal 2 encryption 'aes128'",
            "c.esp_proposals",
            "aes256-sha256-modp2048,aes128-sha1-modp2048"),
        row(peer + "authentication local-id 'gw.example.org'", "local.id", "gw.example.org"),
        row(peer + "authentication remote-id '198.51.100.1'", "remote.id", "198.51.100.1"),
        row(peer + "connection-type 'respond'", "c.start_action", "trap"),
        row(peer + "connection-type 'respond'", "keyingtries", "1"),
        row(peer + "connection-type 'none'", "c.start_action", "none"),
        row(peer + "force-udp-encapsulation", "encap", "yes"),
        row(peer + "replay-window '64'", "c.replay_window", "64"),
        row(peer + "virtual-address '203.0.113.5'", "vips", "203.0.113.5"),
        row(peer + "remote-address '198.51.100.2'", "remote_addrs", "198.51.100.1,198.51.100.2"),
        // VyOS writes [tcp/]; the renderer writes the protocol's number, which charon reads alike
        row(peer + "tunnel 1 protocol 'tcp'", "c.local_ts", "10.1.0.0/16[6/]"),
        row(peer + "tunnel 1 remote port '443'", "c.remote_ts", "10.2.0.0/16[/443]"),
        row(peer + "tunnel 1 priority '5'", "c.priority", "5"),
        row(peer + "tunnel 1 local prefix '10.3.0.0/16'", "c.local_ts", "10.1.0.0/16,10.3.0.0/16"));
  }

  @ParameterizedTest(name = "[{index}] {0} -> {1} = {2}")
  @MethodSource("rows")
  void optionRendersAsVyosDerivesIt(String lines, String path, String expected) throws Exception {
    VyosImportResult result = VyosImport.fromText(BASE + lines, "ns", "gw");
    assertThat(result.errors()).isEmpty();

    RenderedGateway rendered = VyosRendering.render(result);

    assertThat(rendered.peerErrors()).isEmpty();
    assertThat(rendered.gatewayErrors()).isEmpty();
    SettingsSection conf =
        SettingsParser.parseString(rendered.configFiles().get("conf.d/p1.conf"), Path.of("p1"));
    assertThat(valueAt(conf, path)).isEqualTo(Optional.ofNullable(expected));
  }

  private static Optional<String> valueAt(SettingsSection conf, String path) {
    SettingsSection section = conf.section("connections").orElseThrow().section("p1").orElseThrow();
    List<String> parts = List.of(path.split("\\."));
    String key = parts.get(parts.size() - 1);
    for (String part : parts.subList(0, parts.size() - 1)) {
      section =
          part.equals("c")
              ? section.section("children").orElseThrow().section("p1-tunnel-1").orElseThrow()
              : section.section(part).orElseThrow();
    }
    return section.value(key);
  }
}
