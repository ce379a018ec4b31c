package dev.ipsec.operator.reconcile;

import dev.ipsec.operator.api.v1alpha1.ApiGroup;
import java.util.List;

/**
 * Every Kubernetes API permission the operator uses, in one place: the Helm chart's rules ({@code
 * files/rbac-rules.yaml}) and the README are checked against this list. Nothing reads it at run
 * time; it sits beside the reconcilers so that a new API call and its permission change together.
 */
public final class OperatorPermissions {

  /** One RBAC rule: API group ("" for core), resource, verbs. */
  public record Rule(String apiGroup, String resource, List<String> verbs) {
    public Rule {
      verbs = List.copyOf(verbs);
    }
  }

  private static final List<String> READ = List.of("get", "list", "watch");
  private static final List<String> WATCH = List.of("list", "watch");
  private static final List<String> OWN =
      List.of("get", "list", "watch", "create", "update", "delete");
  // the rendered shards, and the references: labelled ipsec.dev/referenced=true by a merge patch
  private static final List<String> REFERENCED_AND_OWN =
      List.of("get", "list", "watch", "create", "update", "patch", "delete");
  // created and written back on drift, never deleted: the garbage collector follows the owner
  private static final List<String> OWN_UNTIL_COLLECTED =
      List.of("get", "list", "watch", "create", "update");
  // written whole with optimistic locking (reconcile.status.Statuses), never patched
  private static final List<String> STATUS = List.of("update");

  public static final List<Rule> RULES =
      List.of(
          // the four kinds: watched, read again after a conflicting status write, never changed
          // but for their status
          new Rule(ApiGroup.GROUP, "ikegroups", READ),
          new Rule(ApiGroup.GROUP, "espgroups", READ),
          new Rule(ApiGroup.GROUP, "ipsecpeers", READ),
          new Rule(ApiGroup.GROUP, "ipsecglobals", READ),
          new Rule(ApiGroup.GROUP, "ikegroups/status", STATUS),
          new Rule(ApiGroup.GROUP, "espgroups/status", STATUS),
          new Rule(ApiGroup.GROUP, "ipsecpeers/status", STATUS),
          new Rule(ApiGroup.GROUP, "ipsecglobals/status", STATUS),
          // owned objects point at their IpsecGlobal with blockOwnerDeletion, which needs this
          new Rule(ApiGroup.GROUP, "ipsecglobals/finalizers", List.of("update")),
          // referenced Secrets (PSKs, keys, certificates) are watched, only those labelled
          // ipsec.dev/referenced=true; the rendered ones are owned, and deleted when no longer
          // planned. patch: the operator sets that one label (a merge patch of metadata.labels) on
          // a Secret a peer names, so that it is watched without every other Secret being cached
          new Rule("", "secrets", REFERENCED_AND_OWN),
          // the same for ConfigMaps: referenced CA certificates watched and labelled, rendered
          // configuration owned
          new Rule("", "configmaps", REFERENCED_AND_OWN),
          new Rule("", "serviceaccounts", OWN_UNTIL_COLLECTED),
          // deleted when the gateway no longer asks for a Service
          new Rule("", "services", OWN),
          new Rule("apps", "deployments", OWN_UNTIL_COLLECTED),
          // gateway pods: their IP for the agent's state API, an annotation to refresh volumes
          new Rule("", "pods", List.of("get", "list", "watch", "patch")),
          // the pods' owner chain (Pod -> ReplicaSet -> Deployment): only owned pods are polled;
          // read from the informer's cache
          new Rule("apps", "replicasets", WATCH),
          new Rule("", "events", List.of("create")),
          // leader election: fabric8 renews the Lease by patch; JOSDK checks get, create, update
          new Rule("coordination.k8s.io", "leases", List.of("get", "create", "update", "patch")));

  /**
   * In the operator's own namespace only: its CA Secret, read at every start and created at the
   * first (the chart grants {@code get} on that one name).
   */
  public static final List<Rule> CA_SECRET_RULES =
      List.of(new Rule("", "secrets", List.of("get", "create")));

  private OperatorPermissions() {}
}
