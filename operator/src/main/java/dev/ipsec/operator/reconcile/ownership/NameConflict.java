package dev.ipsec.operator.reconcile.ownership;

import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.Map;

/**
 * An object that has one of a gateway's names but is not the gateway's, so the operator neither
 * writes nor adopts it.
 *
 * @param kind its kind ({@code ConfigMap})
 * @param name its name
 * @param owner whose it is, as far as its labels say ("no ipsec-operator labels", "gateway other");
 *     never anything from its content
 */
public record NameConflict(String kind, String name, String owner) {

  /** A conflict with {@code existing}, described by its labels. */
  public static NameConflict of(HasMetadata existing) {
    return new NameConflict(existing.getKind(), existing.getMetadata().getName(), whose(existing));
  }

  /** Whose an object is, as its labels say: never anything from its content. */
  static String whose(HasMetadata existing) {
    Map<String, String> labels = existing.getMetadata().getLabels();
    if (labels == null || !Labels.MANAGED_BY_VALUE.equals(labels.get(Labels.MANAGED_BY))) {
      return "not labelled " + Labels.MANAGED_BY + "=" + Labels.MANAGED_BY_VALUE;
    }
    return Labels.gatewayOf(existing)
        .map(g -> "of gateway " + g)
        .orElse("labelled as the operator's, for no gateway");
  }

  /** One line for a condition, an Event or a log: kind, name and whose it is. */
  public String describe() {
    return kind + " " + name + " (" + owner + ")";
  }
}
