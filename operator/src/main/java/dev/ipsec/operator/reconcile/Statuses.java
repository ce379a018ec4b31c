package dev.ipsec.operator.reconcile;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;

/** Status comparison and the fresh copies a status patch is sent from. */
public final class Statuses {

  private static final KubernetesSerialization JSON = new KubernetesSerialization();

  private Statuses() {}

  /** Structural equality through JSON, since the status classes carry no equals. */
  public static boolean same(Object a, Object b) {
    JsonNode left = a == null ? null : JSON.convertValue(a, JsonNode.class);
    JsonNode right = b == null ? null : JSON.convertValue(b, JsonNode.class);
    return left == null ? right == null : left.equals(right);
  }

  /**
   * A deep copy of the primary carrying the new status, for a non-SSA status patch: JOSDK diffs it
   * against the cached primary, so the JSON patch holds the status change alone. The cached
   * primary itself is never mutated.
   */
  @SuppressWarnings("unchecked")
  public static <S, R extends CustomResource<?, S>> R withStatus(R resource, S status) {
    R copy = (R) JSON.clone(resource);
    copy.setStatus(status);
    return copy;
  }
}
