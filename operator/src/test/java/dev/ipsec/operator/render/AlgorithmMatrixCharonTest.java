package dev.ipsec.operator.render;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ipsec.operator.api.schema.ResourceValidator;
import dev.ipsec.operator.api.schema.SchemaViolation;
import dev.ipsec.operator.api.v1alpha1.DhGroupRule;
import dev.ipsec.operator.api.v1alpha1.Encryption;
import dev.ipsec.operator.api.v1alpha1.EspGroupSpec;
import dev.ipsec.operator.api.v1alpha1.Hash;
import dev.ipsec.operator.api.v1alpha1.IkeGroupSpec;
import dev.ipsec.operator.api.v1alpha1.Prf;
import dev.ipsec.operator.testing.GatewayPackages;
import dev.ipsec.operator.testing.RequiresCharon;
import dev.ipsec.operator.testing.SiteToSite;
import dev.ipsec.operator.testing.SiteToSite.Side;
import dev.ipsec.operator.vici.ViciClient;
import dev.ipsec.operator.vici.ViciCommands;
import dev.ipsec.operator.vici.ViciException;
import dev.ipsec.operator.vici.ViciMessage;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every algorithm keyword the CRDs know, for encryption, integrity, PRF and DH group, in IKE and in
 * ESP proposals, falls into exactly one of two cases:
 *
 * <ul>
 *   <li>the CRD accepts it, the renderer accepts it, and two real charons that load only the
 *       gateway's plugins ({@link CharonPlugins}, from the packages on {@link GatewayPackages})
 *       negotiate an IKE SA and an installed CHILD SA with it, under exactly the charon names
 *       {@link ProposalAlgorithms} gives (which the operator checks a gateway's algorithms
 *       against), each implemented by a plugin from a package on the list; or
 *   <li>the CRD refuses it with a CEL message saying why, the renderer refuses it with the same
 *       message, and charon indeed fails with it. The one exception is IKE {@code null}, which
 *       charon would negotiate: it is refused on principle (RFC 7296), and the CRD is the guard.
 * </ul>
 *
 * <p>Each row varies one keyword of a working base proposal (IKE {@code aes256-sha256-modp2048},
 * ESP {@code aes256-sha256}). An ESP DH group is only used when a CHILD SA is rekeyed (the first
 * CHILD SA comes with IKE_AUTH, without a key exchange), so those rows rekey and check the new
 * CHILD SA's group.
 */
@RequiresCharon
class AlgorithmMatrixCharonTest {

  private static final Duration NEGOTIATION = Duration.ofSeconds(10);
  private static final String CHILD = "c";
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir static Path tmp;
  private static SiteToSite site;
  private static ViciClient clientA;
  private static ViciClient clientB;
  private static ViciCommands a;
  private static ViciCommands b;

  /** charon's get-algorithms: section -> algorithm -> plugin that implements it. */
  private static Map<String, Map<String, String>> implementedBy;

  private static final ResourceValidator CRD = ResourceValidator.bundled();
  private static final GatewayPackages PACKAGES = GatewayPackages.read();
  private static int sequence;

  enum Kind {
    IKE_ENCRYPTION,
    IKE_HASH,
    IKE_PRF,
    IKE_DH,
    ESP_ENCRYPTION,
    ESP_HASH,
    ESP_PFS
  }

  record Row(Kind kind, String keyword) {
    boolean ike() {
      return kind.name().startsWith("IKE");
    }

    @Override
    public String toString() {
      return kind.name().toLowerCase().replace('_', ' ') + " " + keyword;
    }
  }

  static Stream<Row> rows() {
    List<String> encryptions = Arrays.stream(Encryption.values()).map(Encryption::keyword).toList();
    List<String> hashes = Arrays.stream(Hash.values()).map(Hash::keyword).toList();
    List<String> groups =
        IntStream.rangeClosed(1, 32)
            .filter(DhGroupRule::isValid)
            .mapToObj(Integer::toString)
            .toList();
    return Stream.of(
            encryptions.stream().map(k -> new Row(Kind.IKE_ENCRYPTION, k)),
            hashes.stream().map(k -> new Row(Kind.IKE_HASH, k)),
            Arrays.stream(Prf.values()).map(p -> new Row(Kind.IKE_PRF, p.keyword())),
            groups.stream().map(g -> new Row(Kind.IKE_DH, g)),
            encryptions.stream().map(k -> new Row(Kind.ESP_ENCRYPTION, k)),
            hashes.stream().map(k -> new Row(Kind.ESP_HASH, k)),
            groups.stream().map(g -> new Row(Kind.ESP_PFS, g)))
        .flatMap(s -> s);
  }

  @BeforeAll
  static void startTwoGateways() throws Exception {
    site = SiteToSite.create("am", tmp).start();
    clientA = new ViciClient(site.a().viciSocket());
    clientB = new ViciClient(site.b().viciSocket());
    a = new ViciCommands(clientA);
    b = new ViciCommands(clientB);
    a.loadShared(SiteToSite.psk("psk", "matrix-secret"));
    b.loadShared(SiteToSite.psk("psk", "matrix-secret"));
    implementedBy = new HashMap<>();
    clientA
        .call("get-algorithms", ViciMessage.empty())
        .sections()
        .forEach(
            (section, algorithms) -> {
              Map<String, String> byName = new HashMap<>();
              algorithms.entries().forEach((name, plugin) -> byName.put(name, plugin.toString()));
              implementedBy.put(section, byName);
            });
  }

  @AfterAll
  static void stop() {
    if (clientA != null) {
      clientA.close();
    }
    if (clientB != null) {
      clientB.close();
    }
    if (site != null) {
      site.close();
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rows")
  void everyKeywordNegotiatesOrIsRefusedWithAReason(Row row) throws Exception {
    ObjectNode ikeGroup = resource("IkeGroup", ikeProposal(row));
    ObjectNode espGroup = resource("EspGroup", espGroupSpec(row));
    List<String> crdRefusals = new ArrayList<>();
    for (SchemaViolation v : CRD.validate(ikeGroup)) {
      crdRefusals.add(v.toString());
    }
    for (SchemaViolation v : CRD.validate(espGroup)) {
      crdRefusals.add(v.toString());
    }
    IkeGroupSpec ike = JSON.treeToValue(ikeGroup.get("spec"), IkeGroupSpec.class);
    EspGroupSpec esp = JSON.treeToValue(espGroup.get("spec"), EspGroupSpec.class);
    List<String> rendererRefusals = new ArrayList<>();
    CryptoGroups.validate(ike).forEach(e -> rendererRefusals.add(e.toString()));
    CryptoGroups.validate(esp).forEach(e -> rendererRefusals.add(e.toString()));

    assertThat(rendererRefusals)
        .as("validate and render say what the API server says")
        .isEqualTo(crdRefusals);
    String ikeProposals = CryptoGroups.ikeProposals(ike);
    String espProposals = CryptoGroups.espProposals(esp, ike);
    Negotiation outcome = negotiate(ikeProposals, espProposals, row.kind() == Kind.ESP_PFS);

    if (crdRefusals.isEmpty()) {
      assertThat(outcome.failure()).as("%s / %s", ikeProposals, espProposals).isNull();
      List<ProposalAlgorithms.Needed> needed =
          row.ike() ? ProposalAlgorithms.ike(ike) : ProposalAlgorithms.esp(esp, ike);
      assertThat(row.ike() ? outcome.ike() : outcome.child())
          .as("what charon negotiated for %s / %s", ikeProposals, espProposals)
          .isEqualTo(
              needed.stream()
                  .map(n -> n.algorithm().name())
                  .collect(Collectors.toCollection(TreeSet::new)));
      for (ProposalAlgorithms.Needed n : needed) {
        String plugin =
            implementedBy
                .getOrDefault(n.algorithm().section().key(), Map.of())
                .get(n.algorithm().name());
        assertThat(plugin)
            .as(
                "get-algorithms lists %s under %s",
                n.algorithm().name(), n.algorithm().section().key())
            .isNotNull();
        assertThat(PACKAGES.packageOf(plugin))
            .as("the package of plugin %s (%s)", plugin, n)
            .isPresent();
      }
    } else {
      assertThat(crdRefusals)
          .singleElement()
          .asString()
          .matches("spec\\.proposals\\[0]\\.(encryption|hash): .{40,}");
      if (row.equals(new Row(Kind.IKE_ENCRYPTION, "null"))) {
        assertThat(outcome.failure())
            .as("charon itself would negotiate IKE without encryption")
            .isNull();
      } else {
        assertThat(outcome.failure())
            .as("charon with a refused keyword: %s / %s", ikeProposals, espProposals)
            .isNotNull();
      }
    }
  }

  private static Map<String, Object> ikeProposal(Row row) {
    Map<String, Object> proposal =
        new HashMap<>(Map.of("encryption", "aes256", "hash", "sha256", "dhGroup", 14));
    switch (row.kind()) {
      case IKE_ENCRYPTION -> proposal.put("encryption", row.keyword());
      case IKE_HASH -> proposal.put("hash", row.keyword());
      case IKE_PRF -> proposal.put("prf", row.keyword());
      case IKE_DH -> proposal.put("dhGroup", Integer.parseInt(row.keyword()));
      default -> {}
    }
    return Map.of("proposals", List.of(proposal));
  }

  private static Map<String, Object> espGroupSpec(Row row) {
    Map<String, Object> proposal = new HashMap<>(Map.of("encryption", "aes256", "hash", "sha256"));
    switch (row.kind()) {
      case ESP_ENCRYPTION -> proposal.put("encryption", row.keyword());
      case ESP_HASH -> proposal.put("hash", row.keyword());
      default -> {}
    }
    String pfs = row.kind() == Kind.ESP_PFS ? "dh-group" + row.keyword() : "disable";
    return Map.of("proposals", List.of(proposal), "pfs", pfs);
  }

  private static ObjectNode resource(String kind, Map<String, Object> spec) {
    ObjectNode resource = JSON.createObjectNode();
    resource.put("apiVersion", "ipsec.dev/v1alpha1").put("kind", kind);
    resource.putObject("metadata").put("name", "matrix").put("namespace", "default");
    resource.set("spec", JSON.valueToTree(spec));
    return resource;
  }

  /**
   * What charon made of a proposal pair: the names of the IKE SA's and the (last) CHILD SA's
   * algorithms, or why it failed.
   */
  record Negotiation(String failure, Set<String> ike, Set<String> child) {
    static Negotiation failed(String why) {
      return new Negotiation(why, Set.of(), Set.of());
    }
  }

  /**
   * Loads the pair on both gateways (responder first), initiates from A, reads A's SAs, cleans up.
   */
  private static Negotiation negotiate(
      String ikeProposals, String espProposals, boolean rekeyChild) {
    String conn = "m" + (++sequence);
    try {
      try {
        b.loadConn(conn, connection(Side.B, ikeProposals, espProposals));
        a.loadConn(conn, connection(Side.A, ikeProposals, espProposals));
        a.initiate(CHILD, Optional.of(conn), NEGOTIATION);
      } catch (ViciException e) {
        return Negotiation.failed(e.getMessage());
      }
      Negotiation up = read(conn);
      if (up.failure() != null || !rekeyChild) {
        return up;
      }
      Set<String> before = up.child();
      a.rekey(Optional.empty(), Optional.of(CHILD), false);
      long deadline = System.nanoTime() + NEGOTIATION.toNanos();
      Negotiation rekeyed = up;
      // while the new CHILD SA computes its key exchange, none may be INSTALLED for a moment
      while ((rekeyed.failure() != null || rekeyed.child().equals(before))
          && System.nanoTime() < deadline) {
        Thread.sleep(50);
        rekeyed = read(conn);
      }
      return rekeyed.failure() == null && rekeyed.child().equals(before)
          ? Negotiation.failed("the CHILD SA was not rekeyed with a DH group")
          : rekeyed;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    } finally {
      tearDown(conn);
    }
  }

  /**
   * Deletes the row's SAs on both sides and waits until neither lists them, so that no late DELETE
   * or INITIAL_CONTACT of this row can meet the next one; then unloads the connection.
   */
  private static void tearDown(String conn) {
    try {
      a.terminate(Optional.of(conn), Optional.empty(), false, Duration.ofSeconds(3));
    } catch (ViciException ignored) {
      // nothing established
    }
    long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
    for (ViciCommands side : List.of(a, b)) {
      while (!side.listSas(false, Optional.of(conn)).isEmpty() && System.nanoTime() < deadline) {
        try {
          side.terminate(Optional.of(conn), Optional.empty(), true, Duration.ofSeconds(1));
          Thread.sleep(20);
        } catch (ViciException ignored) {
          // gone meanwhile
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
      assertThat(side.listSas(false, Optional.of(conn)))
          .as("SAs of %s left after the row", conn)
          .isEmpty();
      try {
        side.unloadConn(conn);
      } catch (ViciException ignored) {
        // never loaded
      }
    }
  }

  private static Negotiation read(String conn) {
    // blocking: with noblock charon skips an IKE SA that a worker still holds, as it does for a
    // moment after the initiate returned
    for (ViciMessage event : a.listSas(false, Optional.of(conn))) {
      Optional<ViciMessage> ikeSa = event.section(conn);
      if (ikeSa.isEmpty()) {
        continue;
      }
      ViciMessage sa = ikeSa.get();
      if (!"ESTABLISHED".equals(sa.string("state", ""))) {
        return Negotiation.failed("IKE SA " + sa.string("state", "?"));
      }
      Set<String> child = null;
      for (ViciMessage c :
          sa.section("child-sas").orElse(ViciMessage.empty()).sections().values()) {
        if ("INSTALLED".equals(c.string("state", ""))) {
          child = names(c);
        }
      }
      return child == null
          ? Negotiation.failed("no CHILD SA installed")
          : new Negotiation(null, names(sa), child);
    }
    return Negotiation.failed("no IKE SA");
  }

  private static Set<String> names(ViciMessage sa) {
    Set<String> names = new TreeSet<>();
    for (String key : List.of("encr-alg", "integ-alg", "prf-alg", "dh-group")) {
      sa.string(key).ifPresent(names::add);
    }
    return names;
  }

  private static ViciMessage connection(Side side, String ikeProposals, String espProposals) {
    ViciMessage conn = SiteToSite.pskConnection(side, CHILD, Map.of(), Map.of());
    conn.putList("proposals", List.of(ikeProposals.split(",")));
    conn.section("children")
        .flatMap(children -> children.section(CHILD))
        .orElseThrow()
        .putList("esp_proposals", List.of(espProposals.split(",")));
    return conn;
  }
}
