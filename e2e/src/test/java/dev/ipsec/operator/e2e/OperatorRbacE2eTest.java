package dev.ipsec.operator.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ipsec.operator.chart.HelmChart;
import dev.ipsec.operator.chart.Rendered;
import dev.ipsec.operator.demo.ApiRequest;
import dev.ipsec.operator.reconcile.tls.CaSecret;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Modifier;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/**
 * The chart's RBAC is exactly what the operator uses, proven on the requests it made in the
 * end-to-end scenarios (recorded by the embedded API server, attributed by the operator's
 * User-Agent, written by {@link E2eCluster} to {@code target/api-requests}). It runs after every
 * scenario ({@code junit-platform.properties} orders classes by {@link Order}) and fails naming
 * each request that the chart's rules (default values: cluster-wide) do not allow, and each rule
 * that no request used.
 *
 * <p>Nothing is exempt silently. The Lease rules of leader election (rendered with {@code replicas:
 * 2}) are proven by {@link SiteToSitePskE2eTest}, whose operator runs with leader election. The CA
 * Secret's Role is proven by every scenario: each cluster is new, so its operator creates the CA
 * Secret and reads it back by name. The {@code update} of {@code ipsecglobals/finalizers} is the
 * admission check a real server makes for the owner references with {@code blockOwnerDeletion}
 * (recorded as such by the server). What is allowed without the chart, and what a library needs
 * without a request, is listed below with the reason.
 */
@Order(Integer.MAX_VALUE)
class OperatorRbacE2eTest {

  /**
   * The values of the comparison: the chart's defaults (cluster-wide), named so that the CA Secret
   * is the one the scenarios' operator uses ({@code ipsec-operator-ca}).
   */
  private static final String VALUES = "fullnameOverride: ipsec-operator\n";

  /** Kubernetes' default role {@code system:basic-user} lets every authenticated user ask these. */
  private static final List<Grant> EVERY_USER =
      Stream.of("selfsubjectrulesreviews", "selfsubjectaccessreviews", "selfsubjectreviews")
          .map(r -> new Grant("system:basic-user", "create", "authorization.k8s.io", r, Set.of()))
          .toList();

  /**
   * JOSDK's leader election refuses to start unless a SelfSubjectRulesReview shows {@code get},
   * {@code create} and {@code update} on Leases ({@code LeaderElectionManager.checkLeaseAccess});
   * fabric8's elector then renews the Lease with {@code patch}, never an {@code update}. The review
   * in the recording is the evidence that the check ran.
   */
  private static final List<RbacComparison.NeededWithoutRequest> NEEDED_WITHOUT_REQUEST =
      List.of(
          new RbacComparison.NeededWithoutRequest(
              new Grant("josdk", "update", "coordination.k8s.io", "leases", Set.of()),
              EVERY_USER.get(0),
              "JOSDK's LeaderElectionManager checks it before leader election"));

  /**
   * Rights the operator's code uses only on paths that no scenario takes, each with the path and
   * the operator-module test that drives the code down it (against fabric8's mock server, whose
   * requests are not recorded here). The scenarios may use them too; an entry the chart no longer
   * grants fails the test as stale.
   */
  private static final List<RbacComparison.ExercisedElsewhere> EXERCISED_ELSEWHERE =
      List.of(
          // JOSDK's PrimaryUpdateAndCacheUtils.updateStatusAndCacheResource (reconcile.status.
          // Statuses) reads the primary from the server after a 409 on a status write; no
          // scenario and no operator test forces that conflict. Without the right, such a write
          // fails and is retried from the cache, later and with an error logged.
          elsewhere(
              "get",
              "ipsec.dev",
              "ikegroups",
              "status write answered 409: JOSDK re-reads the primary",
              "none (JOSDK)"),
          elsewhere(
              "get",
              "ipsec.dev",
              "espgroups",
              "status write answered 409: JOSDK re-reads the primary",
              "none (JOSDK)"),
          elsewhere(
              "get",
              "ipsec.dev",
              "ipsecpeers",
              "status write answered 409: JOSDK re-reads the primary",
              "none (JOSDK)"),
          elsewhere(
              "get",
              "ipsec.dev",
              "ipsecglobals",
              "status write answered 409: JOSDK re-reads the primary",
              "none (JOSDK)"),
          elsewhere(
              "get",
              "",
              "configmaps",
              "a create answered 409 AlreadyExists that no cache showed yet: whose is the object"
                  + " (OwnedResources.create)",
              "NameConflictTest (that path, for a ServiceAccount)"),
          elsewhere(
              "get",
              "",
              "services",
              "a create answered 409 AlreadyExists (OwnedResources.create)",
              "NameConflictTest (that path, for a ServiceAccount)"),
          elsewhere(
              "get",
              "",
              "serviceaccounts",
              "a create answered 409 AlreadyExists (OwnedResources)",
              "NameConflictTest.aServiceAccountOfSomeoneElsesIsFoundByTheServersAnswerAndHoldsBackTheDeployment"),
          elsewhere(
              "get",
              "apps",
              "deployments",
              "a create answered 409 AlreadyExists (OwnedResources.create)",
              "NameConflictTest (that path, for a ServiceAccount)"),
          elsewhere(
              "create",
              "",
              "services",
              "a gateway with spec.gateway.service",
              "GatewayReconcilerTest, DriftRevertTest.aChangedServicePortIsReverted"),
          elsewhere(
              "update",
              "",
              "services",
              "drift of the gateway's Service is reverted",
              "DriftRevertTest.aChangedServicePortIsReverted"),
          elsewhere(
              "update",
              "",
              "serviceaccounts",
              "drift of the gateway's ServiceAccount is reverted",
              "DriftRevertTest.aServiceAccountThatMountsItsTokenAgainIsReverted"),
          elsewhere(
              "update",
              "apps",
              "deployments",
              "drift of the gateway's Deployment is reverted",
              "DriftRevertTest.aPrivilegedCharonOrAnExtraContainerIsReverted"),
          elsewhere(
              "delete",
              "",
              "services",
              "a Service the gateway no longer asks for (GatewayConfigWriter)",
              "GatewayObjectsTest.noServiceUnlessAsked"),
          elsewhere(
              "delete",
              "",
              "configmaps",
              "a ConfigMap the gateway's volume no longer plans",
              "GatewayReconcilerTest.deletingAPeerRemovesItsFiles"),
          elsewhere(
              "delete",
              "",
              "secrets",
              "a Secret the gateway's volume no longer plans",
              "GatewayReconcilerTest.deletingAPeerRemovesItsFiles"));

  private static RbacComparison.ExercisedElsewhere elsewhere(
      String verb, String group, String resource, String path, String test) {
    return new RbacComparison.ExercisedElsewhere(
        new Grant("code", verb, group, resource, Set.of()), path, test);
  }

  /** Discovery and version, which Kubernetes' {@code system:discovery} grants every user. */
  private static final List<String> DISCOVERY_PREFIXES =
      List.of("/api", "/apis", "/version", "/openapi");

  @Test
  void theChartGrantsTheOperatorExactlyWhatItUsedInTheScenarios() {
    Map<String, List<ApiRequest>> recordings = ApiRequestRecordings.readAll();
    assertThat(scenarioClasses())
        .as(
            "every scenario has recorded its operator's requests in %s",
            ApiRequestRecordings.directory())
        .allSatisfy(
            scenario ->
                assertThat(recordings.keySet()).anyMatch(k -> k.startsWith(scenario + ".")));
    List<ApiRequest> used = recordings.values().stream().flatMap(List::stream).toList();
    assertThat(used).as("the operator's recorded requests").hasSizeGreaterThan(100);
    assertThat(used).allSatisfy(r -> assertThat(r.userAgent()).startsWith("ipsec-operator/"));

    Rendered defaults = HelmChart.render(VALUES);
    assertThat(ChartGrants.caSecretName(defaults)).isEqualTo(CaSecret.DEFAULT_NAME);
    List<Grant> grants = new ArrayList<>(ChartGrants.ofTheOperator(defaults));
    ChartGrants.ofTheOperator(VALUES + "replicas: 2\n").stream()
        .filter(g -> g.role().endsWith("-leader-election"))
        .forEach(grants::add);
    assertThat(grants)
        .as("leader election's Lease grants")
        .anyMatch(g -> g.resource().equals("leases"));
    RbacComparison comparison =
        new RbacComparison(grants, EVERY_USER, NEEDED_WITHOUT_REQUEST, EXERCISED_ELSEWHERE);
    assertThat(comparison.staleExercisedElsewhere())
        .as("exemptions for rights the chart no longer grants")
        .isEmpty();

    assertThat(comparison.missing(used))
        .as(
            "requests of the operator in %s that the chart's rules do not allow (Forbidden on a"
                + " real cluster)",
            recordings.keySet())
        .isEmpty();
    assertThat(comparison.unused(used))
        .as("rules of the chart that no request of the operator used in %s", recordings.keySet())
        .isEmpty();
    assertThat(RbacComparison.nonResource(used))
        .as("the operator's requests for no resource are discovery only")
        .allSatisfy(
            p ->
                assertThat(DISCOVERY_PREFIXES)
                    .anyMatch(prefix -> p.substring(p.indexOf(' ') + 1).startsWith(prefix)));
  }

  /** The test classes of this package that run a cluster ({@link E2eCluster} field). */
  private static List<String> scenarioClasses() {
    try {
      Path classes =
          Path.of(OperatorRbacE2eTest.class.getResource("OperatorRbacE2eTest.class").toURI())
              .getParent();
      List<String> scenarios = new ArrayList<>();
      try (Stream<Path> files = Files.list(classes)) {
        for (Path file : files.toList()) {
          String name = file.getFileName().toString();
          // scenario classes and their @Nested classes (X509AndRsaE2eTest$X509)
          if (!name.endsWith(".class") || !name.contains("Test")) {
            continue;
          }
          Class<?> type =
              Class.forName(
                  OperatorRbacE2eTest.class.getPackageName()
                      + "."
                      + name.substring(0, name.length() - ".class".length()));
          if (Arrays.stream(type.getDeclaredFields())
              .anyMatch(
                  f -> f.getType() == E2eCluster.class && !Modifier.isStatic(f.getModifiers()))) {
            scenarios.add(E2eCluster.scenarioClass(type));
          }
        }
      }
      assertThat(scenarios).as("scenario classes").isNotEmpty();
      return scenarios;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (URISyntaxException | ClassNotFoundException e) {
      throw new IllegalStateException(e);
    }
  }
}
