package dev.ipsec.operator.chart;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.api.model.rbac.Subject;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The rendered RBAC is exactly files/rbac-rules.yaml, in the scope the values ask for, and that
 * file grants nothing beyond what the operator's design uses.
 */
class ChartRbacTest {
  private static final ChartRbacRules RULES = ChartRbacRules.load();
  private static final List<String> KINDS =
      List.of("ikegroups", "espgroups", "ipsecpeers", "ipsecglobals");
  private static final List<String> USER_ROLES =
      List.of(
          HelmChart.RELEASE + "-ipsec-operator-edit", HelmChart.RELEASE + "-ipsec-operator-view");
  private static final String AGGREGATE = "rbac.authorization.k8s.io/aggregate-to-";

  @Test
  void editorsManageAndViewersReadTheFourKindsThroughAggregatedRolesInBothModes() {
    for (String values : List.of("", "watchNamespaces: [site-a]")) {
      Rendered rendered = HelmChart.render(values);
      ClusterRole edit = rendered.named(ClusterRole.class, USER_ROLES.get(0));
      ClusterRole view = rendered.named(ClusterRole.class, USER_ROLES.get(1));

      assertThat(edit.getMetadata().getLabels())
          .containsEntry(AGGREGATE + "edit", "true")
          .containsEntry(AGGREGATE + "admin", "true")
          .doesNotContainKey(AGGREGATE + "view");
      assertThat(edit.getRules())
          .singleElement()
          .satisfies(
              rule -> {
                assertThat(rule.getApiGroups()).containsExactly("ipsec.dev");
                assertThat(rule.getResources()).containsExactlyElementsOf(KINDS);
                assertThat(rule.getVerbs())
                    .containsExactlyInAnyOrder(
                        "create",
                        "delete",
                        "deletecollection",
                        "patch",
                        "update",
                        "get",
                        "list",
                        "watch");
              });
      assertThat(view.getMetadata().getLabels()).containsEntry(AGGREGATE + "view", "true");
      assertThat(view.getRules())
          .singleElement()
          .satisfies(
              rule -> {
                assertThat(rule.getApiGroups()).containsExactly("ipsec.dev");
                assertThat(rule.getResources())
                    .containsExactlyInAnyOrderElementsOf(
                        KINDS.stream()
                            .flatMap(k -> java.util.stream.Stream.of(k, k + "/status"))
                            .toList());
                assertThat(rule.getVerbs()).containsExactly("get", "list", "watch");
              });
      assertThat(rendered.all(ClusterRoleBinding.class))
          .as("the users' roles are bound to nobody by the chart")
          .noneMatch(b -> USER_ROLES.contains(b.getRoleRef().getName()));
      assertThat(rendered.all(RoleBinding.class))
          .noneMatch(b -> USER_ROLES.contains(b.getRoleRef().getName()));
    }
  }

  @Test
  void clusterWideByDefaultWithExactlyTheRulesOfTheFile() {
    Rendered rendered = HelmChart.render("");
    ClusterRoleBinding binding = rendered.one(ClusterRoleBinding.class);
    ClusterRole role = rendered.named(ClusterRole.class, binding.getRoleRef().getName());

    assertThat(role.getRules()).isEqualTo(RULES.rules());
    assertThat(binding.getRoleRef().getKind()).isEqualTo("ClusterRole");
    assertThat(binding.getRoleRef().getName()).isEqualTo(role.getMetadata().getName());
    assertThat(binding.getSubjects()).singleElement().satisfies(s -> isTheOperator(s, rendered));
    assertThat(rendered.all(Role.class))
        .as("no Lease permission without leader election, only the CA Secret's")
        .extracting(r -> r.getMetadata().getName())
        .containsExactly(role.getMetadata().getName() + "-ca");
  }

  @Test
  void theCaSecretIsReadableByNameAndCreatableInTheReleaseNamespaceOnly() {
    Rendered rendered = HelmChart.render("watchNamespaces: [site-a]");
    Deployment deployment = rendered.one(Deployment.class);
    String caSecret =
        args(deployment).stream()
            .filter(a -> a.startsWith("--ca-secret="))
            .map(a -> a.substring("--ca-secret=".length()))
            .findFirst()
            .orElseThrow();
    Role role =
        rendered.all(Role.class).stream()
            .filter(r -> r.getMetadata().getName().endsWith("-ca"))
            .findFirst()
            .orElseThrow();

    assertThat(role.getMetadata().getNamespace()).isEqualTo(HelmChart.NAMESPACE);
    assertThat(role.getRules())
        .extracting(r -> r.getVerbs() + " " + r.getResources() + " " + r.getResourceNames())
        .containsExactly("[create] [secrets] []", "[get] [secrets] [" + caSecret + "]");
    RoleBinding binding =
        rendered.all(RoleBinding.class).stream()
            .filter(b -> b.getRoleRef().getName().equals(role.getMetadata().getName()))
            .findFirst()
            .orElseThrow();
    assertThat(binding.getMetadata().getNamespace()).isEqualTo(HelmChart.NAMESPACE);
    assertThat(binding.getSubjects()).singleElement().satisfies(s -> isTheOperator(s, rendered));
  }

  private static List<String> args(Deployment deployment) {
    return deployment.getSpec().getTemplate().getSpec().getContainers().get(0).getArgs();
  }

  @Test
  void oneRolePerWatchedNamespaceAndNothingClusterWide() {
    Rendered rendered = HelmChart.render("watchNamespaces: [site-a, site-b]");
    List<Role> watched = watchedNamespaceRoles(rendered);

    // the operator gets nothing cluster-wide: no ClusterRoleBinding, and no RoleBinding of a
    // ClusterRole; the only ClusterRoles are the users' aggregated ones, bound to nobody
    assertThat(rendered.all(ClusterRoleBinding.class)).isEmpty();
    assertThat(rendered.all(RoleBinding.class))
        .allSatisfy(b -> assertThat(b.getRoleRef().getKind()).isEqualTo("Role"));
    assertThat(rendered.all(ClusterRole.class))
        .extracting(r -> r.getMetadata().getName())
        .containsExactlyInAnyOrder(USER_ROLES.toArray(String[]::new));
    assertThat(watched)
        .extracting(r -> r.getMetadata().getNamespace())
        .containsExactly("site-a", "site-b");
    for (Role role : watched) {
      assertThat(role.getRules()).isEqualTo(RULES.rules());
    }
    for (RoleBinding binding : rendered.all(RoleBinding.class)) {
      if (binding.getRoleRef().getName().endsWith("-ca")) {
        continue;
      }
      Role role =
          watched.stream()
              .filter(
                  r -> r.getMetadata().getNamespace().equals(binding.getMetadata().getNamespace()))
              .findFirst()
              .orElseThrow();
      assertThat(binding.getRoleRef().getName()).isEqualTo(role.getMetadata().getName());
      assertThat(binding.getRoleRef().getKind()).isEqualTo("Role");
      assertThat(binding.getSubjects()).singleElement().satisfies(s -> isTheOperator(s, rendered));
    }
    assertThat(rendered.all(RoleBinding.class)).hasSize(3);
  }

  /** The Roles of the watched namespaces (not the CA Secret's, not the Lease's). */
  private static List<Role> watchedNamespaceRoles(Rendered rendered) {
    return rendered.all(Role.class).stream()
        .filter(r -> !r.getMetadata().getName().endsWith("-ca"))
        .toList();
  }

  @Test
  void leaseRoleInTheReleaseNamespaceOnlyWithLeaderElection() {
    Rendered rendered = HelmChart.render("replicas: 2\nwatchNamespaces: [site-a]");

    Role leases =
        rendered.all(Role.class).stream()
            .filter(r -> r.getMetadata().getName().endsWith("-leader-election"))
            .findFirst()
            .orElseThrow();
    assertThat(leases.getRules()).isEqualTo(RULES.leaderElectionRules());
    RoleBinding binding =
        rendered.all(RoleBinding.class).stream()
            .filter(b -> b.getRoleRef().getName().equals(leases.getMetadata().getName()))
            .findFirst()
            .orElseThrow();
    assertThat(binding.getMetadata().getNamespace()).isEqualTo(HelmChart.NAMESPACE);
    assertThat(binding.getSubjects()).singleElement().satisfies(s -> isTheOperator(s, rendered));
    assertThat(watchedNamespaceRoles(rendered).stream().filter(r -> r != leases))
        .allSatisfy(r -> assertThat(r.getRules()).isEqualTo(RULES.rules()));
  }

  @Test
  void rbacCanBeLeftToTheUser() {
    Rendered rendered = HelmChart.render("rbac: {create: false}");

    assertThat(rendered.all(ClusterRole.class)).isEmpty();
    assertThat(rendered.all(Role.class)).isEmpty();
    assertThat(rendered.all(ClusterRoleBinding.class)).isEmpty();
  }

  @Test
  void theFileNeverLetsTheOperatorWriteSpecsAndHasNoWildcards() {
    // What the operator needs is checked against its code in ChartRbacMatchesOperatorTest;
    // here, what it must never be able to do.
    for (String kind : KINDS) {
      for (String verb : List.of("create", "update", "patch", "delete")) {
        assertThat(RULES.allows("ipsec.dev", kind, verb))
            .as("the operator never %ss %s", verb, kind)
            .isFalse();
      }
    }
    assertThat(RULES.allows("", "pods", "delete")).isFalse();
    assertThat(RULES.allows("", "pods", "create")).as("pods come from Deployments").isFalse();
    assertThat(RULES.allows("coordination.k8s.io", "leases", "update")).isFalse();
    assertThat(RULES.allowsForLeaderElection("coordination.k8s.io", "leases", "update")).isTrue();

    Set<String> dangerous = Set.of("*", "escalate", "bind", "impersonate", "deletecollection");
    assertThat(
            Stream.of(RULES.rules(), RULES.caSecretRules(), RULES.leaderElectionRules())
                .flatMap(List::stream))
        .allSatisfy(
            rule -> {
              assertThat(rule.getApiGroups()).doesNotContain("*");
              assertThat(rule.getResources()).doesNotContain("*");
              assertThat(rule.getVerbs()).doesNotContainAnyElementsOf(dangerous);
              assertThat(rule.getNonResourceURLs()).isEmpty();
              assertThat(rule.getResourceNames()).isEmpty();
            });
  }

  private static void isTheOperator(Subject subject, Rendered rendered) {
    ServiceAccount account = rendered.one(ServiceAccount.class);
    assertThat(subject.getKind()).isEqualTo("ServiceAccount");
    assertThat(subject.getName()).isEqualTo(account.getMetadata().getName());
    assertThat(subject.getNamespace()).isEqualTo(HelmChart.NAMESPACE);
  }
}
