package dev.ipsec.operator.reconcile.ownership;

import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The resource version of each owned object that the operator last wrote or found equal to its
 * desired state, with the hash of that desired state: while neither has changed, the object needs
 * no comparison at all (a resource version names one content).
 *
 * <p>It also keeps the operator from fighting the server: when the answer to a write still differs
 * from what was written (an admission webhook that mutates Deployments, a default this operator
 * does not know), that answer is recorded as checked, so the next reconcile does not write again;
 * the next edit by anyone else changes the version and is compared (and reverted) as usual.
 *
 * <p>Held by one operator instance (a restart compares everything once); entries go with the
 * objects the operator deletes, or a few bytes each linger until the operator restarts.
 */
public final class CheckedVersions {

  private record Checked(String resourceVersion, String desiredHash) {}

  private final Map<String, Checked> byUid = new ConcurrentHashMap<>();

  /** True if {@code live} is the version last checked against this desired hash. */
  boolean unchangedSince(HasMetadata live, String desiredHash) {
    Checked checked = byUid.get(uid(live));
    return checked != null
        && checked.desiredHash().equals(desiredHash)
        && Objects.equals(checked.resourceVersion(), live.getMetadata().getResourceVersion());
  }

  void record(HasMetadata live, String desiredHash) {
    if (live.getMetadata().getUid() != null && live.getMetadata().getResourceVersion() != null) {
      byUid.put(
          live.getMetadata().getUid(),
          new Checked(live.getMetadata().getResourceVersion(), desiredHash));
    }
  }

  void forget(HasMetadata deleted) {
    if (deleted.getMetadata().getUid() != null) {
      byUid.remove(deleted.getMetadata().getUid());
    }
  }

  private static String uid(HasMetadata r) {
    return Objects.requireNonNullElse(r.getMetadata().getUid(), "");
  }
}
