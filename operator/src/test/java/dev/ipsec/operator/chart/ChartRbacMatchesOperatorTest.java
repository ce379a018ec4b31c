package dev.ipsec.operator.chart;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ipsec.operator.reconcile.OperatorPermissions;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The chart grants exactly the permissions the operator's code uses ({@link OperatorPermissions}):
 * nothing missing, nothing extra.
 */
class ChartRbacMatchesOperatorTest {

  @Test
  void chartRulesEqualTheOperatorsRules() {
    ChartRbacRules chart = ChartRbacRules.load();
    Set<String> granted = triples(chart.rules());
    granted.addAll(triples(chart.leaderElectionRules()));

    assertThat(granted).containsExactlyInAnyOrderElementsOf(triplesOf(OperatorPermissions.RULES));
  }

  @Test
  void theCaSecretRulesAreTheOperatorsToo() {
    assertThat(triples(ChartRbacRules.load().caSecretRules()))
        .containsExactlyInAnyOrderElementsOf(triplesOf(OperatorPermissions.CA_SECRET_RULES));
  }

  private static Set<String> triplesOf(List<OperatorPermissions.Rule> rules) {
    Set<String> used = new TreeSet<>();
    for (OperatorPermissions.Rule rule : rules) {
      rule.verbs().forEach(verb -> used.add(rule.apiGroup() + " " + rule.resource() + " " + verb));
    }
    return used;
  }

  @Test
  void leaderElectionOnlyGrantsLeases() {
    assertThat(triples(ChartRbacRules.load().leaderElectionRules()))
        .allMatch(t -> t.startsWith("coordination.k8s.io leases "));
  }

  private static Set<String> triples(List<PolicyRule> rules) {
    Set<String> triples = new TreeSet<>();
    for (PolicyRule rule : rules) {
      for (String group : rule.getApiGroups()) {
        for (String resource : rule.getResources()) {
          for (String verb : rule.getVerbs()) {
            triples.add(group + " " + resource + " " + verb);
          }
        }
      }
    }
    return triples;
  }
}
