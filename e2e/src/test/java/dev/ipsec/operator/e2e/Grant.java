package dev.ipsec.operator.e2e;

import dev.ipsec.operator.demo.ApiRequest;
import java.util.Set;

/**
 * One verb on one resource of one API group, as an RBAC rule grants it (a rule of several verbs and
 * resources is several grants).
 *
 * @param role the Role or ClusterRole it comes from, to name in failures
 * @param resourceNames the rule's resourceNames; empty for every name
 */
record Grant(String role, String verb, String group, String resource, Set<String> resourceNames) {

  Grant {
    resourceNames = Set.copyOf(resourceNames);
  }

  /** Whether this grant lets a client make {@code request}, as RBAC decides. */
  boolean allows(ApiRequest request) {
    return verb.equals(request.verb())
        && group.equals(request.group())
        && resource.equals(request.resource())
        && (resourceNames.isEmpty() || resourceNames.contains(request.name()));
  }

  @Override
  public String toString() {
    return verb
        + " "
        + (group.isEmpty() ? "\"\"" : group)
        + " "
        + resource
        + (resourceNames.isEmpty() ? "" : " " + resourceNames)
        + " ("
        + role
        + ")";
  }
}
