package dev.ipsec.operator.render;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ipsec.operator.api.v1alpha1.AlgorithmRules;
import dev.ipsec.operator.api.v1alpha1.ConnectionType;
import dev.ipsec.operator.api.v1alpha1.Encryption;
import dev.ipsec.operator.api.v1alpha1.EspGroup;
import dev.ipsec.operator.api.v1alpha1.Hash;
import dev.ipsec.operator.api.v1alpha1.IkeGroup;
import dev.ipsec.operator.api.v1alpha1.IpsecPeer;
import dev.ipsec.operator.api.v1alpha1.Prf;
import dev.ipsec.operator.api.v1alpha1.SecretKeyRef;
import dev.ipsec.operator.api.v1alpha1.Tunnel;
import dev.ipsec.operator.api.v1alpha1.Vti;
import dev.ipsec.operator.testing.RequiresCharon;
import dev.ipsec.operator.testing.SwanctlLoad;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Function;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.Tag;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import net.jqwik.api.statistics.Statistics;

/**
 * Properties checked against a real charon, with fixed seeds: random valid specs always load, and
 * hostile strings in any string field are either refused with a field error or rendered so that
 * charon loads exactly the expected connections (and takes the string as one plain value). Each try
 * batches several peers into one load to keep the suite fast.
 */
// jqwik reads its own tags, not JUnit Jupiter meta-annotations
@Tag(RequiresCharon.TAG)
class RenderPropertiesTest {

  private static Charon charon;

  @BeforeContainer
  static void startCharon() {
    charon = Charon.start();
  }

  @AfterContainer
  static void stopCharon() {
    if (charon != null) {
      charon.close();
    }
  }

  // ------------------------------------------------------------------ valid specs

  /** A random peer together with the groups it needs (named after the peer). */
  record PeerCase(IpsecPeer peer, IkeGroup ike, List<EspGroup> esps) {}

  @Property(tries = 30, seed = "20261126", shrinking = ShrinkingMode.OFF)
  void randomValidSpecsAlwaysLoad(@ForAll("gatewaysOfValidPeers") List<PeerCase> cases) {
    Fixtures.Scenario s = Fixtures.Scenario.base();
    s.peers.clear();
    s.secrets.put("psk", Map.of("key", "0sdGVzdHNlY3JldA==".getBytes(StandardCharsets.UTF_8)));
    for (PeerCase c : cases) {
      s.peers.add(c.peer());
      s.ike.put(c.ike().getMetadata().getName(), c.ike());
      c.esps().forEach(e -> s.esp.put(e.getMetadata().getName(), e));
    }
    RenderedGateway rendered = s.render();
    assertThat(rendered.peerErrors()).isEmpty();
    assertThat(rendered.connections()).hasSize(cases.size());
    charon.assertLoads(rendered);
  }

  @Provide
  Arbitrary<List<PeerCase>> gatewaysOfValidPeers() {
    // names are given by position, so no two peers (or their groups) collide
    return validPeer()
        .list()
        .ofMinSize(1)
        .ofMaxSize(6)
        .map(
            makers -> {
              List<PeerCase> cases = new ArrayList<>();
              for (int i = 0; i < makers.size(); i++) {
                cases.add(makers.get(i).apply("peer-" + i));
              }
              return cases;
            });
  }

  /** Every keyword the CRDs accept (AlgorithmRules refuses the rest). */
  private static final List<Hash> INTEGRITY =
      Arrays.stream(Hash.values()).filter(h -> AlgorithmRules.refusal(h).isEmpty()).toList();

  private static final List<Encryption> IKE_ENCRYPTION =
      Arrays.stream(Encryption.values())
          .filter(e -> AlgorithmRules.ikeRefusal(e).isEmpty())
          .toList();
  private static final List<Encryption> ESP_ENCRYPTION =
      Arrays.stream(Encryption.values())
          .filter(e -> AlgorithmRules.espRefusal(e).isEmpty())
          .toList();
  private static final List<Integer> DH =
      List.of(1, 2, 5, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32);
  private static final List<String> PROTOCOLS =
      List.of("tcp", "udp", "gre", "icmp", "47", "any", "sctp");

  Arbitrary<Function<String, PeerCase>> validPeer() {
    Arbitrary<String> ikeProposal =
        Combinators.combine(
                Arbitraries.of(IKE_ENCRYPTION),
                Arbitraries.of(INTEGRITY),
                Arbitraries.of(Prf.class).injectNull(0.5),
                Arbitraries.of(DH))
            .as(
                (e, h, p, d) ->
                    "{encryption: "
                        + e.keyword()
                        + ", hash: "
                        + h.keyword()
                        + (p != null ? ", prf: " + p.keyword() : "")
                        + ", dhGroup: "
                        + d
                        + "}");
    Arbitrary<String> ikeSpec =
        Combinators.combine(
                ikeProposal.list().ofMinSize(1).ofMaxSize(4),
                Arbitraries.of(
                    "",
                    "keyExchange: ikev1\n",
                    "keyExchange: ikev2\n",
                    "keyExchange: ikev1\nmode: aggressive\n"),
                Arbitraries.of(
                    "", "closeAction: trap\n", "closeAction: start\n", "closeAction: hold\n"),
                Arbitraries.of(
                    "",
                    "deadPeerDetection: {}\n",
                    "deadPeerDetection: {action: restart, interval: 5, timeout: 20}\n",
                    "deadPeerDetection: {action: hold}\n"),
                Arbitraries.of("", "lifetime: 0\n", "lifetime: 3600\n", "disableMobike: true\n"))
            .as(
                (proposals, kex, close, dpd, other) ->
                    kex
                        + close
                        + dpd
                        + other
                        + "proposals:\n"
                        + proposals.stream()
                            .map(p -> "  - " + p + "\n")
                            .reduce("", String::concat));
    Arbitrary<String> espSpec =
        Combinators.combine(
                Combinators.combine(Arbitraries.of(ESP_ENCRYPTION), Arbitraries.of(INTEGRITY))
                    .as((e, h) -> "{encryption: " + e.keyword() + ", hash: " + h.keyword() + "}")
                    .list()
                    .ofMinSize(1)
                    .ofMaxSize(3),
                Arbitraries.of("", "pfs: disable\n", "pfs: dh-group31\n", "pfs: enable\n"),
                Arbitraries.of(
                    "",
                    "lifetime: 30\n",
                    "lifeBytes: 100000\nlifePackets: 5000\n",
                    "disableRekey: true\n",
                    "compression: true\n"))
            .as(
                (proposals, pfs, other) ->
                    pfs
                        + other
                        + "proposals:\n"
                        + proposals.stream()
                            .map(p -> "  - " + p + "\n")
                            .reduce("", String::concat));
    Arbitrary<Tunnel> tunnel =
        Combinators.combine(
                Arbitraries.integers().between(0, 65535),
                Arbitraries.of(
                    "192.0.2.0/24", "198.51.100.0/25", "203.0.113.7/32", "2001:db8::/32", "any"),
                Arbitraries.of(
                    "203.0.113.0/24", "198.51.100.128/25", "2001:db8:1::/48", "192.0.2.0/25"),
                Arbitraries.of(PROTOCOLS).injectNull(0.5),
                Arbitraries.integers().between(1, 65535).injectNull(0.6),
                Arbitraries.integers().between(1, 100).injectNull(0.7))
            .as(
                (id, l, r, proto, port, prio) -> {
                  Tunnel t = VyosOptionsTableTest.tunnel(id, l, r);
                  t.setProtocol(proto);
                  t.getRemote().setPort(port);
                  t.setPriority(prio);
                  return t;
                });
    return Combinators.combine(
            ikeSpec,
            espSpec,
            tunnel.list().ofMinSize(0).ofMaxSize(3).uniqueElements(Tunnel::getId),
            Arbitraries.of(ConnectionType.class).injectNull(0.3),
            Arbitraries.of("192.0.2.1", "any", "2001:db8::1"),
            Arbitraries.of("198.51.100.1", "vpn.example.org", "2001:db8::2", "any")
                .list()
                .ofMaxSize(3),
            Arbitraries.integers().between(0, 99).injectNull(0.6),
            Arbitraries.of(
                "", "gw.example.org", "C=CH, O=Test, CN=gw", "user@example.org", "@#0a0b"))
        .as(
            (ike, esp, tunnels, type, local, remotes, vti, localId) ->
                name -> {
                  IkeGroup ikeGroup = Fixtures.ike(name + "-ike", ike);
                  EspGroup espGroup = Fixtures.esp(name + "-esp", esp);
                  IpsecPeer peer =
                      Fixtures.peer(
                          name,
                          Fixtures.peerSpec(
                              "192.0.2.1", "198.51.100.1", "192.0.2.0/24", "203.0.113.0/24"));
                  peer.getSpec().setIkeGroup(name + "-ike");
                  peer.getSpec().setDefaultEspGroup(name + "-esp");
                  peer.getSpec().setConnectionType(type);
                  peer.getSpec().setLocalAddress(local);
                  peer.getSpec().setRemoteAddresses(new ArrayList<>(remotes));
                  peer.getSpec().setTunnels(new ArrayList<>(tunnels));
                  if (!localId.isEmpty()) {
                    peer.getSpec().getAuthentication().setLocalId(localId);
                  }
                  if (vti != null || tunnels.isEmpty()) {
                    Vti v = new Vti();
                    v.setBind("vti" + (vti == null ? 0 : vti));
                    peer.getSpec().setVti(v);
                  }
                  return new PeerCase(peer, ikeGroup, List.of(espGroup));
                });
  }

  // ------------------------------------------------------------------ hostile strings

  /** Where a hostile string goes: a field of the victim peer (or of its Secret). */
  enum Field {
    NAME((s, v) -> s.peer.getMetadata().setName(v)),
    LOCAL_ID((s, v) -> s.peer.getSpec().getAuthentication().setLocalId(v)),
    REMOTE_ID((s, v) -> s.peer.getSpec().getAuthentication().setRemoteId(v)),
    LOCAL_ADDRESS((s, v) -> s.peer.getSpec().setLocalAddress(v)),
    REMOTE_ADDRESS((s, v) -> s.peer.getSpec().setRemoteAddresses(List.of("198.51.100.1", v))),
    VIRTUAL_ADDRESS((s, v) -> s.peer.getSpec().setVirtualAddresses(List.of(v))),
    DHCP_INTERFACE(
        (s, v) -> {
          s.peer.getSpec().setLocalAddress(null);
          s.peer.getSpec().setDhcpInterface(v);
        }),
    IKE_GROUP((s, v) -> s.peer.getSpec().setIkeGroup(v)),
    DEFAULT_ESP_GROUP((s, v) -> s.peer.getSpec().setDefaultEspGroup(v)),
    DESCRIPTION((s, v) -> s.peer.getSpec().setDescription(v)),
    ESP_GROUP((s, v) -> s.peer.getSpec().getTunnels().get(0).setEspGroup(v)),
    PROTOCOL((s, v) -> s.peer.getSpec().getTunnels().get(0).setProtocol(v)),
    LOCAL_PREFIX((s, v) -> s.peer.getSpec().getTunnels().get(0).getLocal().setPrefixes(List.of(v))),
    REMOTE_PREFIX(
        (s, v) ->
            s.peer
                .getSpec()
                .getTunnels()
                .get(0)
                .getRemote()
                .setPrefixes(List.of("203.0.113.0/24", v))),
    VTI_BIND(
        (s, v) -> {
          Vti vti = new Vti();
          vti.setBind(v);
          s.peer.getSpec().setVti(vti);
        }),
    SECRET_REF(
        (s, v) ->
            s.peer
                .getSpec()
                .getAuthentication()
                .getPreSharedSecret()
                .setSecretRef(new SecretKeyRef(v, v))),
    PSK((s, v) -> s.psk = v);

    final BiConsumer<Victim, String> apply;

    Field(BiConsumer<Victim, String> apply) {
      this.apply = apply;
    }
  }

  static final class Victim {
    final IpsecPeer peer;
    String psk = "victim secret";

    Victim(IpsecPeer peer) {
      this.peer = peer;
    }
  }

  record Injection(Field field, String value) {}

  @Property(tries = 40, seed = "4711", shrinking = ShrinkingMode.OFF)
  void hostileStringsAreRefusedOrStayOnePlainValue(
      @ForAll("injections") List<Injection> injections) {
    Fixtures.Scenario s = Fixtures.Scenario.base();
    s.peers.clear();
    // the neighbour must always render and load untouched
    s.peers.add(
        Fixtures.peer(
            "neighbour",
            Fixtures.peerSpec("192.0.2.1", "198.51.100.200", "192.0.2.0/24", "203.0.113.0/24")));
    Map<String, Injection> byPeer = new HashMap<>();
    for (int i = 0; i < injections.size(); i++) {
      Injection injection = injections.get(i);
      String name = "victim-" + i;
      IpsecPeer peer =
          Fixtures.peer(
              name,
              Fixtures.peerSpec(
                  "192.0.2.1", "198.51.100." + (i + 1), "192.0.2.0/24", "203.0.113.0/24"));
      peer.getSpec()
          .getAuthentication()
          .getPreSharedSecret()
          .setSecretRef(new SecretKeyRef("psk-" + i, "key"));
      Victim victim = new Victim(peer);
      injection.field().apply.accept(victim, injection.value());
      s.secrets.put("psk-" + i, Map.of("key", victim.psk.getBytes(StandardCharsets.UTF_8)));
      s.peers.add(peer);
      byPeer.put(peer.getMetadata().getName(), injection);
    }
    RenderedGateway rendered = s.render();
    byPeer.forEach(
        (peer, injection) ->
            Statistics.label("outcome")
                .collect(
                    injection.field(),
                    rendered.peerErrors().containsKey(peer) ? "refused" : "rendered"));

    assertThat(rendered.peerErrors()).doesNotContainKey("neighbour");
    assertThat(rendered.connections()).containsKey("neighbour");
    rendered.peerErrors().forEach((peer, errors) -> assertThat(errors).isNotEmpty());
    for (var entry : rendered.connections().entrySet()) {
      String conn = entry.getValue().name();
      // each accepted peer's files hold exactly its own connection and secret sections
      SettingsTree conf =
          SettingsTree.parse(rendered.configFiles().get("conf.d/" + conn + ".conf"));
      assertThat(conf.sections.keySet()).containsExactly("connections");
      assertThat(conf.section("connections").sections.keySet()).containsExactly(conn);
      assertThat(conf.section("connections", conn, "children").sections.keySet())
          .containsExactlyElementsOf(entry.getValue().children());
      SettingsTree secrets =
          SettingsTree.parse(
              new String(
                  rendered.secretFiles().get("secrets.d/" + conn + ".conf"),
                  StandardCharsets.UTF_8));
      assertThat(secrets.section("secrets").sections.keySet()).containsExactly("ike-" + conn);
      Injection injection = byPeer.get(entry.getKey());
      if (injection != null && injection.field() == Field.REMOTE_ID) {
        assertThat(conf.section("connections", conn, "remote").value("id"))
            .isEqualTo(injection.value());
      }
      if (injection != null && injection.field() == Field.PSK) {
        // what the Secret holds: the string as UTF-8 (a lone surrogate becomes '?')
        String stored =
            new String(injection.value().getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8);
        assertThat(secrets.section("secrets", "ike-" + conn).value("secret")).isEqualTo(stored);
      }
    }
    SwanctlLoad.Result result = charon.assertLoads(rendered);
    for (String conn : result.connections().keySet()) {
      assertThat(conn).matches("neighbour|victim-[0-9]+|[A-Za-z0-9_-]+");
    }
  }

  /**
   * The gateway's own strings reach strongswan.conf: a hostile one is refused as a gateway error,
   * or charon starts from the file and reads exactly that one value.
   */
  @Property(tries = 12, seed = "815", shrinking = ShrinkingMode.OFF)
  void hostileGatewayStringsAreRefusedOrStayOnePlainValue(
      @ForAll("hostileStrings") String value, @ForAll boolean asInterfaceList) {
    Fixtures.Scenario s = Fixtures.Scenario.base();
    dev.ipsec.operator.api.v1alpha1.IpsecGlobalSpec spec =
        new dev.ipsec.operator.api.v1alpha1.IpsecGlobalSpec();
    if (asInterfaceList) {
      spec.setInterfaces(List.of("lo", value));
    } else {
      dev.ipsec.operator.api.v1alpha1.GlobalOptions options =
          new dev.ipsec.operator.api.v1alpha1.GlobalOptions();
      options.setVirtualIpInterface(value);
      spec.setOptions(options);
    }
    s.gateway.setSpec(spec);
    RenderedGateway rendered = s.render();
    Statistics.collect(rendered.gatewayErrors().isEmpty() ? "rendered" : "refused");
    if (!rendered.gatewayErrors().isEmpty()) {
      assertThat(rendered.strongswanConf()).isEmpty();
      return;
    }
    SettingsTree charonSection =
        SettingsTree.parse(rendered.strongswanConf().orElseThrow()).section("charon");
    assertThat(charonSection.value(asInterfaceList ? "interfaces_use" : "install_virtual_ip_on"))
        .isEqualTo(asInterfaceList ? "lo, " + value : value);
    try (Charon started =
        Charon.start(uri -> s.render(new RenderOptions(uri)).strongswanConf().orElseThrow())) {
      started.assertLoads(rendered);
    }
  }

  @Provide
  Arbitrary<String> hostileStrings() {
    return Arbitraries.oneOf(
        Arbitraries.of(FRAGMENTS)
            .list()
            .ofMinSize(1)
            .ofMaxSize(3)
            .map(parts -> String.join("", parts)),
        Arbitraries.of("eth0", "net1", "bond0.100"));
  }

  /** Fragments that end values, open or close sections, comment, or are just odd. */
  private static final List<String> FRAGMENTS =
      List.of(
          "\n",
          "\r\n",
          "{",
          "}",
          "\"",
          "\\",
          "#",
          "=",
          ",",
          " ",
          "\t",
          "\u0000",
          "\u2028",
          "é",
          "😀",
          "include /etc/passwd",
          "}\nconnections {\n evil {\n  remote_addrs = 0.0.0.0\n }\n}\n",
          "\" secret = \"x",
          "neighbour",
          "192.0.2.1",
          "198.51.100.0/24",
          "%any",
          "CN=x",
          "tcp",
          "vti1",
          "eth0",
          "a.b",
          "user@example.org",
          "@#ff",
          "x".repeat(300),
          "0sAAAA",
          "%",
          "'",
          "$(reboot)");

  @Provide
  Arbitrary<List<Injection>> injections() {
    Arbitrary<String> hostile =
        Arbitraries.of(FRAGMENTS)
            .list()
            .ofMinSize(1)
            .ofMaxSize(4)
            .map(parts -> String.join("", parts));
    Arbitrary<String> random = Arbitraries.strings().all().ofMinLength(1).ofMaxLength(40);
    Arbitrary<Injection> injection =
        Combinators.combine(
                Arbitraries.of(Field.class), Arbitraries.oneOf(hostile, hostile, random))
            .as(Injection::new);
    return injection.list().ofMinSize(1).ofMaxSize(8);
  }
}
