package dev.ipsec.operator.e2e;

import dev.ipsec.operator.chart.HelmChart;
import dev.ipsec.operator.chart.Rendered;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.api.model.rbac.RoleRef;
import io.fabric8.kubernetes.api.model.rbac.Subject;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * What the chart, as {@code helm template} renders it, grants the operator's ServiceAccount: the
 * rules of every Role and ClusterRole bound to it, found through the bindings (so the users'
 * aggregated roles, bound to nobody, are not the operator's).
 */
final class ChartGrants {

  private ChartGrants() {}

  /** The grants of one rendering, with the values given (YAML). */
  static List<Grant> ofTheOperator(String valuesYaml) {
    return ofTheOperator(HelmChart.render(valuesYaml));
  }

  static List<Grant> ofTheOperator(Rendered rendered) {
    ServiceAccount account = rendered.one(ServiceAccount.class);
    List<Grant> grants = new ArrayList<>();
    for (ClusterRoleBinding binding : rendered.all(ClusterRoleBinding.class)) {
      if (bindsTheOperator(binding.getSubjects(), account)) {
        ClusterRole role = clusterRole(rendered, binding.getRoleRef());
        grants.addAll(grants(role.getMetadata().getName(), role.getRules()));
      }
    }
    for (RoleBinding binding : rendered.all(RoleBinding.class)) {
      if (bindsTheOperator(binding.getSubjects(), account)) {
        RoleRef ref = binding.getRoleRef();
        List<PolicyRule> rules =
            "ClusterRole".equals(ref.getKind())
                ? clusterRole(rendered, ref).getRules()
                : rendered.all(Role.class).stream()
                    .filter(
                        r ->
                            r.getMetadata().getName().equals(ref.getName())
                                && r.getMetadata()
                                    .getNamespace()
                                    .equals(binding.getMetadata().getNamespace()))
                    .findFirst()
                    .orElseThrow(() -> new AssertionError("no Role " + ref.getName()))
                    .getRules();
        grants.addAll(grants(ref.getName(), rules));
      }
    }
    return grants;
  }

  /** The CA Secret name the rendered operator is started with ({@code --ca-secret}). */
  static String caSecretName(Rendered rendered) {
    return rendered
        .one(Deployment.class)
        .getSpec()
        .getTemplate()
        .getSpec()
        .getContainers()
        .get(0)
        .getArgs()
        .stream()
        .filter(a -> a.startsWith("--ca-secret="))
        .map(a -> a.substring("--ca-secret=".length()))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no --ca-secret argument"));
  }

  private static ClusterRole clusterRole(Rendered rendered, RoleRef ref) {
    return rendered.named(ClusterRole.class, ref.getName());
  }

  private static boolean bindsTheOperator(List<Subject> subjects, ServiceAccount account) {
    return subjects != null
        && subjects.stream()
            .anyMatch(
                s ->
                    "ServiceAccount".equals(s.getKind())
                        && account.getMetadata().getName().equals(s.getName())
                        && HelmChart.NAMESPACE.equals(s.getNamespace()));
  }

  private static List<Grant> grants(String role, List<PolicyRule> rules) {
    List<Grant> grants = new ArrayList<>();
    for (PolicyRule rule : rules) {
      if (rule.getNonResourceURLs() != null && !rule.getNonResourceURLs().isEmpty()) {
        throw new AssertionError(role + " grants nonResourceURLs, which the operator never uses");
      }
      for (String group : rule.getApiGroups()) {
        for (String resource : rule.getResources()) {
          for (String verb : rule.getVerbs()) {
            grants.add(
                new Grant(
                    role,
                    verb,
                    group,
                    resource,
                    rule.getResourceNames() == null
                        ? Set.of()
                        : Set.copyOf(rule.getResourceNames())));
          }
        }
      }
    }
    return grants;
  }
}
