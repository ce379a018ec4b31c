package dev.ipsec.operator.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ipsec.operator.demo.ApiRequest;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The comparison behind {@link OperatorRbacE2eTest} finds what is missing and what is unused. */
class RbacComparisonTest {
  private static final Grant REVIEW =
      new Grant(
          "basic-user", "create", "authorization.k8s.io", "selfsubjectrulesreviews", Set.of());

  @Test
  void aRequestNoGrantAllowsIsMissingAndAGrantNoRequestUsedIsUnused() {
    List<Grant> grants =
        List.of(
            new Grant("op", "get", "", "configmaps", Set.of()),
            new Grant("op", "delete", "", "configmaps", Set.of()),
            new Grant("ca", "get", "", "secrets", Set.of("ca")));
    List<ApiRequest> used =
        List.of(
            request("get", "", "configmaps", "a"),
            request("get", "", "secrets", "ca"),
            request("get", "", "secrets", "psk"),
            request("patch", "ipsec.dev", "ipsecpeers/status", "p"));
    RbacComparison comparison = new RbacComparison(grants, List.of(REVIEW), List.of(), List.of());

    assertThat(comparison.missing(used))
        .containsExactly(
            "get \"\" secrets psk (request)", "patch ipsec.dev ipsecpeers/status p (request)");
    assertThat(comparison.unused(used)).containsExactly("delete \"\" configmaps (op)");
  }

  @Test
  void aGrantNeededWithoutARequestCountsOnlyWhenItsEvidenceWasRecorded() {
    Grant update = new Grant("le", "update", "coordination.k8s.io", "leases", Set.of());
    RbacComparison comparison =
        new RbacComparison(
            List.of(update),
            List.of(REVIEW),
            List.of(new RbacComparison.NeededWithoutRequest(update, REVIEW, "checked by a review")),
            List.of());

    assertThat(comparison.unused(List.of())).containsExactly(update.toString());
    List<ApiRequest> reviewed =
        List.of(request("create", "authorization.k8s.io", "selfsubjectrulesreviews", ""));
    assertThat(comparison.unused(reviewed)).isEmpty();
    assertThat(comparison.missing(reviewed)).as("every user may ask for a review").isEmpty();
  }

  @Test
  void aGrantExercisedElsewhereIsNotUnusedButIsStaleWhenTheChartNoLongerGrantsIt() {
    Grant delete = new Grant("op", "delete", "", "services", Set.of());
    var elsewhere =
        List.of(
            new RbacComparison.ExercisedElsewhere(delete, "a removed Service", "SomeTest"),
            new RbacComparison.ExercisedElsewhere(
                new Grant("x", "delete", "apps", "deployments", Set.of()), "never", "NoTest"));
    RbacComparison comparison =
        new RbacComparison(List.of(delete), List.of(), List.of(), elsewhere);

    assertThat(comparison.unused(List.of())).isEmpty();
    assertThat(comparison.staleExercisedElsewhere())
        .containsExactly("delete apps deployments (x): never");
  }

  private static ApiRequest request(String verb, String group, String resource, String name) {
    return new ApiRequest(
        ApiRequest.REQUEST, verb, group, resource, "ns", name, "", "ipsec-operator/test");
  }
}
