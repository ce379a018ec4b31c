package dev.ipsec.operator.vyos;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ipsec.operator.api.v1alpha1.AuthenticationMode;
import dev.ipsec.operator.api.v1alpha1.CaCertificateRef;
import dev.ipsec.operator.api.v1alpha1.CloseAction;
import dev.ipsec.operator.api.v1alpha1.ConnectionType;
import dev.ipsec.operator.api.v1alpha1.DeadPeerDetection;
import dev.ipsec.operator.api.v1alpha1.DpdAction;
import dev.ipsec.operator.api.v1alpha1.Encryption;
import dev.ipsec.operator.api.v1alpha1.EspGroup;
import dev.ipsec.operator.api.v1alpha1.EspGroupSpec;
import dev.ipsec.operator.api.v1alpha1.EspMode;
import dev.ipsec.operator.api.v1alpha1.EspProposal;
import dev.ipsec.operator.api.v1alpha1.GlobalOptions;
import dev.ipsec.operator.api.v1alpha1.Hash;
import dev.ipsec.operator.api.v1alpha1.IkeGroup;
import dev.ipsec.operator.api.v1alpha1.IkeGroupSpec;
import dev.ipsec.operator.api.v1alpha1.IkeProposal;
import dev.ipsec.operator.api.v1alpha1.IpsecGlobal;
import dev.ipsec.operator.api.v1alpha1.IpsecGlobalSpec;
import dev.ipsec.operator.api.v1alpha1.IpsecPeer;
import dev.ipsec.operator.api.v1alpha1.IpsecPeerSpec;
import dev.ipsec.operator.api.v1alpha1.KeyExchange;
import dev.ipsec.operator.api.v1alpha1.LogSettings;
import dev.ipsec.operator.api.v1alpha1.LogSubsystem;
import dev.ipsec.operator.api.v1alpha1.PeerAuthentication;
import dev.ipsec.operator.api.v1alpha1.Pfs;
import dev.ipsec.operator.api.v1alpha1.PreSharedSecret;
import dev.ipsec.operator.api.v1alpha1.Prf;
import dev.ipsec.operator.api.v1alpha1.RsaAuthentication;
import dev.ipsec.operator.api.v1alpha1.SecretKeyRef;
import dev.ipsec.operator.api.v1alpha1.SecretNameRef;
import dev.ipsec.operator.api.v1alpha1.TrafficSelector;
import dev.ipsec.operator.api.v1alpha1.Tunnel;
import dev.ipsec.operator.api.v1alpha1.X509Authentication;
import dev.ipsec.operator.render.RenderedGateway;
import dev.ipsec.operator.testing.TestPki;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * For generated resources (groups; PSK peers on two Secrets, which their ids may or may not tell
 * apart; x509 and rsa peers with real certificates and keys; the IpsecGlobal's VyOS options):
 * export to VyOS commands, import them, export again, and the text is the same; the import of the
 * export has no errors; and it renders the same connections and strongswan.conf (and the same
 * errors, where the generated resources are ones the operator refuses) as the original.
 */
class VyosExportImportPropertyTest {

  record Config(
      IpsecGlobal gateway,
      List<IkeGroup> ike,
      List<EspGroup> esp,
      List<IpsecPeer> peers,
      String secret) {}

  @Property(tries = 200, seed = "20261206")
  void exportImportExportIsTheIdentity(@ForAll("configs") Config config) {
    String first =
        VyosExport.export(
                config.gateway(),
                config.ike(),
                config.esp(),
                config.peers(),
                (n, k) -> Material.secret(n, k, config.secret()))
            .text();

    VyosImportResult imported = VyosImport.fromText(first, null, "gw");

    assertThat(imported.errors()).as(first).isEmpty();
    Map<String, Map<String, String>> secrets = new java.util.HashMap<>();
    imported.secrets().forEach(s -> secrets.put(s.name(), s.data()));
    String second =
        VyosExport.export(
                imported.global(),
                imported.ikeGroups(),
                imported.espGroups(),
                imported.peers(),
                (n, k) -> Optional.ofNullable(secrets.getOrDefault(n, Map.of()).get(k)))
            .text();
    assertThat(second).isEqualTo(first);
  }

  @Property(tries = 100, seed = "20261206")
  void peersWhoseIdsDoNotPickTheirEntryAloneKeepThePerPeerForm(@ForAll("configs") Config config) {
    VyosExport.Result result =
        VyosExport.export(
            config.gateway(),
            config.ike(),
            config.esp(),
            config.peers(),
            (n, k) -> Material.secret(n, k, config.secret()));

    java.util.Set<String> inPerPeerForm =
        result
            .text()
            .lines()
            .filter(l -> l.contains(" authentication pre-shared-secret "))
            .map(l -> l.split(" ")[5])
            .collect(java.util.stream.Collectors.toSet());
    java.util.Set<String> warned =
        result.warnings().stream()
            .filter(w -> w.contains("older per-peer form"))
            .map(w -> w.split(" ")[5])
            .collect(java.util.stream.Collectors.toSet());
    assertThat(warned).isEqualTo(inPerPeerForm);
    // a peer in the global form is matched by the import to an entry, and to the right Secret's
    VyosImportResult imported = VyosImport.fromText(result.text(), null, "gw");
    assertThat(imported.errors()).isEmpty();
    for (IpsecPeer peer : imported.peers()) {
      if (peer.getSpec().getAuthentication().getPreSharedSecret() == null) {
        continue;
      }
      String name = peer.getMetadata().getName();
      String secret =
          peer.getSpec().getAuthentication().getPreSharedSecret().getSecretRef().getName();
      assertThat(secret)
          .isEqualTo(
              inPerPeerForm.contains(name) ? name + "-psk" : "psk-" + secretOf(config, name));
    }
  }

  private static String secretOf(Config config, String peer) {
    return config.peers().stream()
        .filter(p -> p.getMetadata().getName().equals(peer))
        .findFirst()
        .orElseThrow()
        .getSpec()
        .getAuthentication()
        .getPreSharedSecret()
        .getSecretRef()
        .getName();
  }

  @Property(tries = 100, seed = "20261206")
  void importOfTheExportRendersTheSameConnectionsAsTheOriginal(@ForAll("configs") Config config) {
    String text =
        VyosExport.export(
                config.gateway(),
                config.ike(),
                config.esp(),
                config.peers(),
                (n, k) -> Material.secret(n, k, config.secret()))
            .text();
    VyosImportResult imported = VyosImport.fromText(text, null, "gw");
    VyosImportResult original =
        new VyosImportResult(
            config.gateway(),
            config.ike(),
            config.esp(),
            config.peers(),
            Material.secrets(config.secret()),
            List.of());

    RenderedGateway fromOriginal = VyosRendering.render(original);
    RenderedGateway fromImport = VyosRendering.render(imported);

    assertThat(withoutSecretNames(fromImport)).isEqualTo(withoutSecretNames(fromOriginal));
    assertThat(fromImport.connections()).isEqualTo(fromOriginal.connections());
    assertThat(fromImport.strongswanConf()).isEqualTo(fromOriginal.strongswanConf());
    assertThat(fromImport.peerErrors().keySet()).isEqualTo(fromOriginal.peerErrors().keySet());
    assertThat(fromImport.secretFiles().keySet()).isEqualTo(fromOriginal.secretFiles().keySet());
  }

  /**
   * The config files without their header naming the Secret they were rendered from: the import
   * names a peer's key Secret {@code <peer>-psk}, the original may name it otherwise.
   */
  private static Map<String, String> withoutSecretNames(RenderedGateway rendered) {
    Map<String, String> files = new java.util.TreeMap<>();
    rendered
        .configFiles()
        .forEach((k, v) -> files.put(k, v.replaceAll("(?m)^# ipsec\\.dev/secret: .*\n", "")));
    return files;
  }

  @Provide
  Arbitrary<Config> configs() {
    return Combinators.combine(
            ikeSpec().list().ofMinSize(1).ofMaxSize(3),
            espSpec().list().ofMinSize(1).ofMaxSize(3),
            Arbitraries.integers().between(1, 3),
            Arbitraries.strings().withCharRange(' ', '~').ofMinLength(1).ofMaxLength(24),
            globalSpec())
        .flatAs(
            (ikes, esps, peerCount, secret, globalSpec) ->
                peerSpec(ikes.size(), esps.size())
                    .list()
                    .ofSize(peerCount)
                    .map(
                        peers -> {
                          List<IkeGroup> ike = new ArrayList<>();
                          for (int i = 0; i < ikes.size(); i++) {
                            IkeGroup g = new IkeGroup();
                            g.setMetadata(VyosObjects.metadata("ike-" + i, null));
                            g.setSpec(ikes.get(i));
                            ike.add(g);
                          }
                          List<EspGroup> esp = new ArrayList<>();
                          for (int i = 0; i < esps.size(); i++) {
                            EspGroup g = new EspGroup();
                            g.setMetadata(VyosObjects.metadata("esp-" + i, null));
                            g.setSpec(esps.get(i));
                            esp.add(g);
                          }
                          List<IpsecPeer> ps = new ArrayList<>();
                          for (int i = 0; i < peers.size(); i++) {
                            IpsecPeer p = new IpsecPeer();
                            p.setMetadata(VyosObjects.metadata("peer-" + i, null));
                            p.setSpec(peers.get(i));
                            ps.add(p);
                          }
                          IpsecGlobal gateway = new IpsecGlobal();
                          gateway.setMetadata(VyosObjects.metadata("gw", null));
                          gateway.setSpec(globalSpec);
                          return new Config(gateway, ike, esp, ps, secret);
                        }));
  }

  private static <T> Arbitrary<T> maybe(Arbitrary<T> a) {
    return a.injectNull(0.5);
  }

  private static Arbitrary<Boolean> flag() {
    return Arbitraries.just(Boolean.TRUE).injectNull(0.5);
  }

  /** The IpsecGlobal's VyOS options: interfaces, log, options, each maybe absent. */
  private Arbitrary<IpsecGlobalSpec> globalSpec() {
    Arbitrary<GlobalOptions> options =
        maybe(
            Combinators.combine(
                    flag(), flag(), flag(), maybe(Arbitraries.of("eth0", "eth1", "bond0")))
                .as(
                    (routes, flexvpn, virtualIp, vipInterface) -> {
                      GlobalOptions o = new GlobalOptions();
                      o.setDisableRouteAutoinstall(routes);
                      o.setFlexvpn(flexvpn);
                      o.setVirtualIp(virtualIp);
                      o.setVirtualIpInterface(vipInterface);
                      return o;
                    }));
    Arbitrary<LogSettings> log =
        maybe(
            Combinators.combine(
                    maybe(Arbitraries.integers().between(0, 2)),
                    Arbitraries.of(LogSubsystem.class).list().ofMaxSize(3).uniqueElements())
                .as(
                    (level, subsystems) -> {
                      LogSettings l = new LogSettings();
                      l.setLevel(level);
                      l.setSubsystems(new ArrayList<>(subsystems));
                      return l;
                    }));
    return Combinators.combine(
            options,
            log,
            Arbitraries.of("eth0", "eth1", "bond0").list().ofMaxSize(2).uniqueElements())
        .as(
            (o, l, interfaces) -> {
              IpsecGlobalSpec spec = new IpsecGlobalSpec();
              spec.setOptions(o);
              spec.setLog(l);
              spec.setInterfaces(new ArrayList<>(interfaces));
              return spec;
            });
  }

  private Arbitrary<IkeGroupSpec> ikeSpec() {
    Arbitrary<IkeProposal> proposal =
        Combinators.combine(
                maybe(Arbitraries.of(Encryption.class)),
                maybe(Arbitraries.of(Hash.class)),
                maybe(Arbitraries.of(Prf.class)),
                maybe(Arbitraries.of(1, 2, 5, 14, 19, 20, 31)))
            .as(
                (e, h, prf, dh) -> {
                  IkeProposal p = new IkeProposal(e, h, dh);
                  p.setPrf(prf);
                  return p;
                });
    Arbitrary<DeadPeerDetection> dpd =
        maybe(
            Combinators.combine(
                    maybe(Arbitraries.of(DpdAction.class)),
                    maybe(Arbitraries.integers().between(2, 86400)),
                    maybe(Arbitraries.integers().between(2, 86400)))
                .as(DeadPeerDetection::new));
    return Combinators.combine(
            maybe(Arbitraries.of(KeyExchange.class)),
            maybe(Arbitraries.of(CloseAction.class)),
            maybe(Arbitraries.integers().between(0, 86400)),
            flag(),
            flag(),
            dpd,
            proposal.list().ofMinSize(1).ofMaxSize(4))
        .as(
            (ke, close, life, mobike, reauth, d, proposals) -> {
              IkeGroupSpec s = new IkeGroupSpec();
              s.setKeyExchange(ke);
              s.setCloseAction(close);
              s.setLifetime(life);
              s.setDisableMobike(mobike);
              s.setIkev2Reauth(reauth);
              s.setDeadPeerDetection(d);
              s.setProposals(new ArrayList<>(proposals));
              return s;
            });
  }

  private Arbitrary<EspGroupSpec> espSpec() {
    Arbitrary<EspProposal> proposal =
        Combinators.combine(
                maybe(Arbitraries.of(Encryption.class)), maybe(Arbitraries.of(Hash.class)))
            .as(EspProposal::new);
    return Combinators.combine(
            maybe(Arbitraries.of(EspMode.class)),
            maybe(Arbitraries.of(Pfs.class)),
            maybe(Arbitraries.integers().between(30, 86400)),
            maybe(Arbitraries.longs().between(1024, 26843545600000L)),
            flag(),
            flag(),
            proposal.list().ofMinSize(1).ofMaxSize(4))
        .as(
            (mode, pfs, life, bytes, compression, noRekey, proposals) -> {
              EspGroupSpec s = new EspGroupSpec();
              s.setMode(mode);
              s.setPfs(pfs);
              s.setLifetime(life);
              s.setLifeBytes(bytes);
              s.setCompression(compression);
              s.setDisableRekey(noRekey);
              s.setProposals(new ArrayList<>(proposals));
              return s;
            });
  }

  private Arbitrary<IpsecPeerSpec> peerSpec(int ikeCount, int espCount) {
    Arbitrary<String> prefix =
        Arbitraries.integers().between(0, 255).map(i -> "10." + i + ".0.0/16");
    Arbitrary<TrafficSelector> selector =
        maybe(
            Combinators.combine(
                    prefix.list().ofMinSize(1).ofMaxSize(3),
                    maybe(Arbitraries.integers().between(1, 65535)))
                .as(
                    (prefixes, port) -> {
                      TrafficSelector s = new TrafficSelector();
                      s.setPrefixes(new ArrayList<>(prefixes));
                      s.setPort(port);
                      return s;
                    }));
    Arbitrary<Tunnel> tunnel =
        Combinators.combine(
                Arbitraries.integers().between(0, 65535),
                selector,
                selector,
                maybe(Arbitraries.of("tcp", "udp", "gre", "47")),
                maybe(Arbitraries.integers().between(1, 100)),
                maybe(Arbitraries.integers().between(0, espCount - 1).map(i -> "esp-" + i)),
                flag())
            .as(
                (id, local, remote, protocol, priority, esp, disable) -> {
                  Tunnel t = new Tunnel();
                  t.setId(id);
                  t.setLocal(local);
                  t.setRemote(remote);
                  t.setProtocol(protocol);
                  t.setPriority(priority);
                  t.setEspGroup(esp);
                  t.setDisable(disable);
                  return t;
                });
    return Combinators.combine(
            Arbitraries.integers().between(0, ikeCount - 1),
            Arbitraries.integers().between(0, espCount - 1),
            maybe(Arbitraries.of(ConnectionType.class)),
            Arbitraries.integers()
                .between(1, 254)
                .list()
                .ofMinSize(1)
                .ofMaxSize(3)
                .uniqueElements(),
            maybe(Arbitraries.of("gw.example.org", "198.51.100.9")),
            tunnel.list().ofMinSize(1).ofMaxSize(3).uniqueElements(Tunnel::getId),
            flag(),
            maybe(Arbitraries.integers().between(0, 2040)))
        .flatAs(
            (ike, esp, type, remotes, remoteId, tunnels, encap, replay) ->
                Arbitraries.of("any", "other", "x509", "rsa")
                    .map(
                        secretName ->
                            peer(
                                ike,
                                esp,
                                type,
                                remotes,
                                remoteId,
                                tunnels,
                                encap,
                                replay,
                                secretName)));
  }

  private static IpsecPeerSpec peer(
      int ike,
      int esp,
      ConnectionType type,
      List<Integer> remotes,
      String remoteId,
      List<Tunnel> tunnels,
      Boolean encap,
      Integer replay,
      String secretName) {
    IpsecPeerSpec s = new IpsecPeerSpec();
    s.setGateway("gw");
    s.setIkeGroup("ike-" + ike);
    s.setDefaultEspGroup("esp-" + esp);
    s.setConnectionType(type);
    s.setLocalAddress("192.0.2.1");
    s.setRemoteAddresses(new ArrayList<>(remotes.stream().map(r -> "203.0.113." + r).toList()));
    // VyOS has no tunnel order but the numbers' (tag order), so the export sorts them
    // and only resources in that order can come back the same: the API's list order
    // of tunnels is the one thing VyOS cannot express
    List<Tunnel> sorted = new ArrayList<>(tunnels);
    sorted.sort(java.util.Comparator.comparing(Tunnel::getId));
    s.setTunnels(sorted);
    s.setForceUdpEncapsulation(encap);
    s.setReplayWindow(replay);
    PeerAuthentication auth = new PeerAuthentication();
    auth.setRemoteId(remoteId);
    switch (secretName) {
      case "x509" -> {
        auth.setMode(AuthenticationMode.X509);
        X509Authentication x509 = new X509Authentication();
        x509.setCertificate(new SecretNameRef(Material.CERT_SECRET));
        CaCertificateRef ca = new CaCertificateRef();
        ca.setSecretRef(new SecretKeyRef(Material.CA_SECRET, "ca.crt"));
        x509.getCaCertificates().add(ca);
        auth.setX509(x509);
      }
      case "rsa" -> {
        auth.setMode(AuthenticationMode.RSA);
        RsaAuthentication rsa = new RsaAuthentication();
        rsa.setLocalKey(new SecretKeyRef(Material.KEY_SECRET, "key.pem"));
        rsa.setRemotePublicKey(Material.REMOTE.publicKeyPem());
        auth.setRsa(rsa);
      }
      default -> {
        auth.setMode(AuthenticationMode.PRE_SHARED_SECRET);
        auth.setPreSharedSecret(new PreSharedSecret(new SecretKeyRef(secretName, "psk")));
      }
    }
    s.setAuthentication(auth);
    return s;
  }

  /**
   * The certificates and keys x509 and rsa peers name, made once (RSA key generation is slow) and
   * shared by every try: what varies is which peers use them and how.
   */
  static final class Material {
    static final String CERT_SECRET = "gw-cert";
    static final String CA_SECRET = "root-ca";
    static final String KEY_SECRET = "hq-key";
    static final TestPki.CertificateAuthority CA = new TestPki.CertificateAuthority("property");
    static final TestPki.IssuedCertificate GW = CA.issue("gw.example.org");
    static final TestPki.RsaKey LOCAL = TestPki.RsaKey.generate();
    static final TestPki.RsaKey REMOTE = TestPki.RsaKey.generate();

    /** A Secret's value: the material's, or the pre-shared key for any other. */
    static Optional<String> secret(String name, String key, String psk) {
      return secrets(psk).stream()
          .filter(s -> s.name().equals(name))
          .findFirst()
          .map(s -> s.data().get(key));
    }

    static List<ImportedSecret> secrets(String psk) {
      return List.of(
          new ImportedSecret("any", Map.of("psk", psk)),
          new ImportedSecret("other", Map.of("psk", psk)),
          new ImportedSecret(
              CERT_SECRET,
              "kubernetes.io/tls",
              Map.of("tls.crt", GW.certificatePem(), "tls.key", GW.privateKeyPem())),
          new ImportedSecret(CA_SECRET, Map.of("ca.crt", CA.certificatePem())),
          new ImportedSecret(KEY_SECRET, Map.of("key.pem", LOCAL.privateKeyPem())));
    }
  }
}
