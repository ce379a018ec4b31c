package dev.ipsec.operator.e2e;

import dev.ipsec.operator.demo.ApiRequest;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The operator's recorded requests against the chart's grants: which requests no grant allows (the
 * operator would get Forbidden on a real cluster), and which grants no request used (more than the
 * operator needs).
 *
 * @param grants what the chart grants the operator's ServiceAccount
 * @param everyUser what Kubernetes' default roles grant every authenticated user (the self-reviews
 *     of {@code system:basic-user}); allowed, never reported unused
 * @param neededWithoutRequest grants a library demands without making the request itself, with the
 *     request that shows it ran (JOSDK's leader election checks its Lease permissions in a
 *     SelfSubjectRulesReview, then fabric8 renews the Lease by patch): reported unused unless that
 *     request was recorded
 */
record RbacComparison(
    List<Grant> grants,
    List<Grant> everyUser,
    List<NeededWithoutRequest> neededWithoutRequest,
    List<ExercisedElsewhere> exercisedElsewhere) {

  /** A grant a library requires though it never uses it, and the request showing it ran. */
  record NeededWithoutRequest(Grant grant, Grant evidence, String why) {}

  /**
   * A grant the operator's code uses only on a path no scenario reaches (a name conflict, drift of
   * an owned object, a status conflict), with the test that drives the code down that path.
   */
  record ExercisedElsewhere(Grant grant, String path, String test) {}

  /** Entries of {@link #exercisedElsewhere} that the chart does not grant: stale, to be removed. */
  Set<String> staleExercisedElsewhere() {
    Set<String> stale = new TreeSet<>();
    for (ExercisedElsewhere e : exercisedElsewhere) {
      if (grants.stream().noneMatch(g -> sameRight(g, e.grant()))) {
        stale.add(e.grant() + ": " + e.path());
      }
    }
    return stale;
  }

  /** Requests (verb, group, resource, name) that no grant allows. */
  Set<String> missing(Collection<ApiRequest> used) {
    Set<String> missing = new TreeSet<>();
    for (ApiRequest request : used) {
      if (!request.isResourceRequest()) {
        continue; // checked on their own: the operator must make none (see nonResource)
      }
      boolean allowed =
          grants.stream().anyMatch(g -> g.allows(request))
              || everyUser.stream().anyMatch(g -> g.allows(request));
      if (!allowed) {
        missing.add(
            request.verb()
                + " "
                + (request.group().isEmpty() ? "\"\"" : request.group())
                + " "
                + request.resource()
                + (request.name().isEmpty() ? "" : " " + request.name())
                + " ("
                + request.source()
                + ")");
      }
    }
    return missing;
  }

  /** Grants that no recorded request used. */
  Set<String> unused(Collection<ApiRequest> used) {
    Set<String> unused = new TreeSet<>();
    for (Grant grant : grants) {
      if (used.stream().anyMatch(grant::allows)) {
        continue;
      }
      boolean needed =
          neededWithoutRequest.stream()
              .anyMatch(
                  n -> sameRight(n.grant(), grant) && used.stream().anyMatch(n.evidence()::allows));
      boolean elsewhere = exercisedElsewhere.stream().anyMatch(e -> sameRight(e.grant(), grant));
      if (!needed && !elsewhere) {
        unused.add(grant.toString());
      }
    }
    return unused;
  }

  /** The paths of requests for no resource (discovery, /version); RBAC's nonResourceURLs. */
  static Set<String> nonResource(Collection<ApiRequest> used) {
    Set<String> paths = new TreeSet<>();
    used.stream()
        .filter(r -> !r.isResourceRequest())
        .forEach(r -> paths.add(r.verb() + " " + r.nonResourcePath()));
    return paths;
  }

  private static boolean sameRight(Grant a, Grant b) {
    return a.verb().equals(b.verb())
        && a.group().equals(b.group())
        && a.resource().equals(b.resource());
  }
}
