package dev.ipsec.operator.render;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ipsec.operator.testing.ExecResult;
import dev.ipsec.operator.testing.RequiresCharon;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Table 1d: the global options in strongswan.conf, and a real charon started from the result. */
class StrongswanConfTest {

  static SettingsTree charon(String gatewaySpec) {
    Fixtures.Scenario s = Fixtures.Scenario.base();
    s.gateway = Fixtures.gateway(gatewaySpec);
    return SettingsTree.parse(s.render().strongswanConf().orElseThrow()).section("charon");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "interfaces: [eth0, net1]                       | interfaces_use        | eth0, net1",
        "{}                                             | interfaces_use        | <absent>",
        "{}                                             | install_routes        | yes",
        "options: {disableRouteAutoinstall: true}       | install_routes        | no",
        "options: {flexvpn: true}                       | cisco_flexvpn         | yes",
        "options: {virtualIp: true}                     | cisco_flexvpn         | no",
        "{}                                             | cisco_flexvpn         | <absent>",
        "options: {virtualIp: true}                     | install_virtual_ip    | yes",
        "{}                                             | install_virtual_ip    | <absent>",
        "options: {virtualIpInterface: eth1}            | install_virtual_ip_on | eth1",
        "options: {retransmit: {timeout: 1.5}}          | retransmit_timeout    | 1.5",
        "options: {retransmit: {tries: 2}}              | retransmit_tries      | 2",
        "options: {retransmit: {base: 1.0}}             | retransmit_base       | 1",
      })
  void globalOption(String spec, String key, String expected) {
    SettingsTree charon = charon(spec);
    assertThat(charon.value(key)).isEqualTo(expected.equals("<absent>") ? null : expected);
  }

  @Test
  void logLevelAppliesToAllSubsystemsOrOnlyTheNamedOnes() {
    SettingsTree all = charon("log: {level: 2}").section("filelog", "stdout");
    assertThat(all.values).containsEntry("default", "2").doesNotContainKey("ike");
    SettingsTree some =
        charon("log: {level: 2, subsystems: [ike, knl]}").section("filelog", "stdout");
    assertThat(some.values)
        .containsEntry("default", "1")
        .containsEntry("ike", "2")
        .containsEntry("knl", "2");
    SettingsTree any =
        charon("log: {level: 0, subsystems: [any, ike]}").section("filelog", "stdout");
    assertThat(any.values).containsEntry("default", "0").doesNotContainKey("ike");
    SettingsTree none = charon("{}").section("filelog", "stdout");
    assertThat(none.values).containsEntry("default", "1");
  }

  @Test
  void viciSocketIsParameterisedAndCharonLoadsExactlyTheGatewayPlugins() {
    assertThat(charon("{}").section("plugins", "vici").value("socket"))
        .isEqualTo(RenderOptions.DEFAULT_VICI_SOCKET_URI);
    assertThat(charon("{}").value("load"))
        .isEqualTo(String.join(" ", CharonPlugins.forGateway(false)))
        .contains("openssl", "gcm", "vici")
        .doesNotContain("kernel-libipsec");
    // nothing else comes in through the image's per-plugin files
    assertThat(charon("{}").section("plugins").includes).isEmpty();
  }

  @Test
  void userSpaceEspLoadsLibipsecBeforeKernelNetlinkSoThatItIsTheIpsecBackend() {
    List<String> plugins =
        List.of(charon("gateway: {userSpaceEsp: true}").value("load").split(" "));
    assertThat(plugins).isEqualTo(CharonPlugins.forGateway(true));
    assertThat(plugins.indexOf("kernel-libipsec"))
        .isNotNegative()
        .isLessThan(plugins.indexOf("kernel-netlink"));
  }

  @Test
  void everyKeyIsOnALineOfItsOwn() {
    Fixtures.Scenario s = Fixtures.Scenario.base();
    s.gateway =
        Fixtures.gateway(
            """
            interfaces: [eth0]
            options: {disableRouteAutoinstall: true, flexvpn: true, virtualIp: true,
                      virtualIpInterface: eth0, retransmit: {timeout: 1, tries: 2, base: 1}}
            log: {level: 2, subsystems: [ike, cfg]}
            gateway: {userSpaceEsp: true}
            """);
    for (String line : s.render().strongswanConf().orElseThrow().split("\n")) {
      assertThat(line.chars().filter(c -> c == '=').count()).as(line).isLessThanOrEqualTo(1);
      assertThat(line.strip()).matches("[a-z_-]+ \\{|\\}|[a-z_]+ = \"[^\"]*\"|include \\S+");
    }
  }

  /**
   * charon started from a fully optioned rendered strongswan.conf: it comes up, answers on the
   * parameterised VICI socket, loads kernel-libipsec and logs at the configured levels.
   */
  @Test
  @RequiresCharon
  void aRealCharonStartsFromTheRenderedFileAndLoadsPeers() {
    Fixtures.Scenario s = Fixtures.Scenario.base();
    s.gateway =
        Fixtures.gateway(
            """
            interfaces: [lo]
            options: {flexvpn: true, virtualIp: true, virtualIpInterface: lo,
                      retransmit: {timeout: 1.5, tries: 2, base: 1.2}}
            log: {level: 2, subsystems: [cfg]}
            gateway: {userSpaceEsp: true}
            """);
    try (Charon charon =
        Charon.start(uri -> s.render(new RenderOptions(uri)).strongswanConf().orElseThrow())) {
      ExecResult stats = charon.instance().swanctl("--stats");
      assertThat(stats.exitCode()).isZero();
      // every plugin of the list loaded, and nothing else: a missing package would drop one here
      assertThat(stats.stdout())
          .contains(
              "loaded plugins: charon " + String.join(" ", CharonPlugins.forGateway(true)) + "\n");
      charon.assertLoads(s.render());
      // cfg at level 2 (from log.subsystems) logs each VICI request; level 1 would not
      assertThat(charon.instance().output()).contains("requests: load-conn");
    }
  }

  @Test
  @RequiresCharon
  void withoutUserSpaceEspCharonDoesNotLoadLibipsec() {
    try (Charon charon =
        Charon.start(
            uri -> {
              Fixtures.Scenario s = Fixtures.Scenario.base();
              return s.render(new RenderOptions(uri)).strongswanConf().orElseThrow();
            })) {
      assertThat(charon.instance().swanctl("--stats").stdout()).doesNotContain("kernel-libipsec");
    }
  }

  @Test
  void deterministic() {
    Fixtures.Scenario a = Fixtures.Scenario.base();
    Fixtures.Scenario b = Fixtures.Scenario.base();
    // same peers in a different order
    a.peers.add(
        Fixtures.peer(
            "p0",
            Fixtures.peerSpec("192.0.2.1", "198.51.100.9", "192.0.2.0/26", "203.0.113.64/26")));
    b.peers.add(
        0,
        Fixtures.peer(
            "p0",
            Fixtures.peerSpec("192.0.2.1", "198.51.100.9", "192.0.2.0/26", "203.0.113.64/26")));
    RenderedGateway ra = a.render();
    RenderedGateway rb = b.render();
    assertThat(ra.configFiles()).isEqualTo(rb.configFiles());
    assertThat(ra.strongswanConf()).isEqualTo(rb.strongswanConf());
    assertThat(ra.secretFiles().keySet()).isEqualTo(rb.secretFiles().keySet());
    ra.secretFiles().forEach((k, v) -> assertThat(rb.secretFiles().get(k)).isEqualTo(v));
    assertThat(Map.copyOf(ra.connections())).isEqualTo(Map.copyOf(rb.connections()));
  }
}
