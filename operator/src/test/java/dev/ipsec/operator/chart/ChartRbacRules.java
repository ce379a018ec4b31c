package dev.ipsec.operator.chart;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import dev.ipsec.operator.api.ProjectFiles;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.nio.file.Path;
import java.util.List;

/**
 * The operator's Kubernetes API permissions as the chart grants them, read from the chart's {@code
 * files/rbac-rules.yaml}: the list the chart renders its ClusterRole/Roles from, which the chart
 * tests compare with {@link dev.ipsec.operator.reconcile.OperatorPermissions} and query ({@link
 * #allows}).
 */
public record ChartRbacRules(
    List<PolicyRule> rules, List<PolicyRule> caSecretRules, List<PolicyRule> leaderElectionRules) {

  public static Path file() {
    return ProjectFiles.root().resolve("charts/ipsec-operator/files/rbac-rules.yaml");
  }

  public static ChartRbacRules load() {
    JsonNode document = ProjectFiles.readYaml(file());
    return new ChartRbacRules(
        policyRules(document.path("rules")),
        policyRules(document.path("caSecretRules")),
        policyRules(document.path("leaderElectionRules")));
  }

  /**
   * Whether the reconcilers may call {@code verb} on {@code resource} (e.g. "ipsecpeers/status").
   */
  public boolean allows(String apiGroup, String resource, String verb) {
    return allows(rules, apiGroup, resource, verb);
  }

  /** The same for the leader-election permissions (granted only when leader election is on). */
  public boolean allowsForLeaderElection(String apiGroup, String resource, String verb) {
    return allows(leaderElectionRules, apiGroup, resource, verb);
  }

  private static boolean allows(
      List<PolicyRule> rules, String apiGroup, String resource, String verb) {
    return rules.stream()
        .anyMatch(
            rule ->
                rule.getApiGroups().contains(apiGroup)
                    && rule.getResources().contains(resource)
                    && rule.getVerbs().contains(verb));
  }

  private static List<PolicyRule> policyRules(JsonNode node) {
    if (!node.isArray() || node.isEmpty()) {
      throw new IllegalStateException(file() + ": expected a non-empty list, got " + node);
    }
    return Serialization.jsonMapper().convertValue(node, new TypeReference<List<PolicyRule>>() {});
  }
}
