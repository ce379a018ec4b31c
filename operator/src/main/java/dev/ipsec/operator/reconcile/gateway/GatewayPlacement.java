package dev.ipsec.operator.reconcile.gateway;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.introspect.Annotated;
import com.fasterxml.jackson.databind.introspect.JacksonAnnotationIntrospector;
import dev.ipsec.operator.api.v1alpha1.GatewayToleration;
import dev.ipsec.operator.api.v1alpha1.GatewayWorkload;
import dev.ipsec.operator.api.v1alpha1.IpsecGlobal;
import dev.ipsec.operator.api.v1alpha1.PreservedObject;
import dev.ipsec.operator.render.FieldError;
import io.fabric8.kubernetes.api.model.Affinity;
import io.fabric8.kubernetes.api.model.LocalObjectReference;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.TolerationBuilder;
import io.fabric8.kubernetes.api.model.TopologySpreadConstraint;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Where a gateway's pods run and what they pull with: each field from the IpsecGlobal's {@code
 * spec.gateway} when it sets it, else from the operator's {@link GatewayPodDefaults}. A field is
 * "set" when present and not empty: {@code []} or {@code {}} says nothing, as in the chart's
 * values. Null stands for "none" in the pod template, so an unset field is not written at all.
 *
 * <p>{@code affinity} and {@code topologySpreadConstraints} reach the operator as plain JSON (the
 * CRD preserves them unchecked): {@link #validate} binds them to the core types strictly, so that a
 * misspelt or mistyped field is an error naming it instead of a field silently dropped.
 */
public final class GatewayPlacement {

  private static final String AFFINITY = "spec.gateway.affinity";
  private static final String SPREAD = "spec.gateway.topologySpreadConstraints";

  /**
   * Binds the core types without their catch-all {@code additionalProperties}: an unknown field
   * fails instead of riding along into the pod template.
   */
  static final ObjectMapper STRICT =
      new ObjectMapper()
          .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .setAnnotationIntrospector(
              new JacksonAnnotationIntrospector() {
                @Override
                public Boolean hasAnySetter(Annotated a) {
                  return Boolean.FALSE;
                }
              });

  private GatewayPlacement() {}

  /**
   * Every field of {@code affinity} and {@code topologySpreadConstraints} that is not what a Pod
   * takes, reason {@link FieldError#INVALID}; empty when both bind.
   */
  public static List<FieldError> validate(IpsecGlobal gateway) {
    GatewayWorkload w = GatewayDeployment.workload(gateway);
    List<FieldError> errors = new ArrayList<>();
    if (w.getAffinity() != null) {
      bind(w.getAffinity().fields(), Affinity.class, AFFINITY, errors);
    }
    List<PreservedObject> spread = w.getTopologySpreadConstraints();
    for (int i = 0; spread != null && i < spread.size(); i++) {
      String path = SPREAD + "[" + i + "]";
      TopologySpreadConstraint c =
          bind(spread.get(i).fields(), TopologySpreadConstraint.class, path, errors);
      if (c != null) {
        requirePresent(c.getMaxSkew(), path + ".maxSkew", errors);
        requirePresent(c.getTopologyKey(), path + ".topologyKey", errors);
        requirePresent(c.getWhenUnsatisfiable(), path + ".whenUnsatisfiable", errors);
      }
    }
    return List.copyOf(errors);
  }

  static Map<String, String> nodeSelector(GatewayWorkload w, GatewayPodDefaults d) {
    Map<String, String> chosen = orDefault(w.getNodeSelector(), d.nodeSelector());
    return chosen.isEmpty() ? null : new TreeMap<>(chosen);
  }

  static List<Toleration> tolerations(GatewayWorkload w, GatewayPodDefaults d) {
    if (w.getTolerations() != null && !w.getTolerations().isEmpty()) {
      return w.getTolerations().stream().map(GatewayPlacement::toleration).toList();
    }
    return d.tolerations().isEmpty() ? null : d.tolerations();
  }

  /**
   * @throws IllegalArgumentException when the spec's affinity does not bind, which {@link
   *     #validate} reports before any Deployment is built
   */
  static Affinity affinity(GatewayWorkload w, GatewayPodDefaults d) {
    if (w.getAffinity() == null || w.getAffinity().fields().isEmpty()) {
      return d.affinity();
    }
    return bindOrThrow(w.getAffinity().fields(), Affinity.class, AFFINITY);
  }

  static List<TopologySpreadConstraint> topologySpreadConstraints(
      GatewayWorkload w, GatewayPodDefaults d) {
    List<PreservedObject> own = w.getTopologySpreadConstraints();
    if (own == null || own.isEmpty()) {
      return d.topologySpreadConstraints().isEmpty() ? null : d.topologySpreadConstraints();
    }
    return own.stream()
        .map(c -> bindOrThrow(c.fields(), TopologySpreadConstraint.class, SPREAD))
        .toList();
  }

  static String priorityClassName(GatewayWorkload w, GatewayPodDefaults d) {
    String own = w.getPriorityClassName();
    return own != null && !own.isEmpty() ? own : d.priorityClassName();
  }

  static List<LocalObjectReference> imagePullSecrets(GatewayWorkload w, GatewayPodDefaults d) {
    List<String> chosen = orDefault(w.getImagePullSecrets(), d.imagePullSecrets());
    return chosen.isEmpty() ? null : chosen.stream().map(LocalObjectReference::new).toList();
  }

  private static <T> T bind(Object json, Class<T> type, String path, List<FieldError> errors) {
    try {
      return STRICT.convertValue(json, type);
    } catch (IllegalArgumentException e) {
      errors.add(new FieldError(where(path, e), what(e, type)));
      return null;
    }
  }

  private static <T> T bindOrThrow(Object json, Class<T> type, String path) {
    List<FieldError> errors = new ArrayList<>();
    T bound = bind(json, type, path, errors);
    if (!errors.isEmpty()) {
      throw new IllegalArgumentException(errors.get(0).toString());
    }
    return bound;
  }

  private static void requirePresent(Object value, String path, List<FieldError> errors) {
    if (value == null) {
      errors.add(new FieldError(path, "is required"));
    }
  }

  /** The spec path of the field Jackson stopped at: {@code spec.gateway.affinity.x[0].y}. */
  private static String where(String path, IllegalArgumentException e) {
    StringBuilder b = new StringBuilder(path);
    if (e.getCause() instanceof JsonMappingException m) {
      for (JsonMappingException.Reference r : m.getPath()) {
        if (r.getFieldName() != null) {
          b.append('.').append(GatewayPolicy.quoteless(r.getFieldName()));
        } else if (r.getIndex() >= 0) {
          b.append('[').append(r.getIndex()).append(']');
        }
      }
    }
    return b.toString();
  }

  /** What is wrong, in the spec's words: never Jackson's text, which names Java classes. */
  private static String what(IllegalArgumentException e, Class<?> type) {
    String of = type == Affinity.class ? "a Pod's affinity" : "a Pod's topology spread constraint";
    if (e.getCause() instanceof UnrecognizedPropertyException) {
      return "is not a field of " + of;
    }
    return "does not have the type this field has in " + of;
  }

  private static <T> List<T> orDefault(List<T> own, List<T> fallback) {
    return own != null && !own.isEmpty() ? own : fallback;
  }

  private static Map<String, String> orDefault(
      Map<String, String> own, Map<String, String> fallback) {
    return own != null && !own.isEmpty() ? own : fallback;
  }

  private static Toleration toleration(GatewayToleration t) {
    return new TolerationBuilder()
        .withKey(t.getKey())
        .withOperator(t.getOperator())
        .withValue(t.getValue())
        .withEffect(t.getEffect())
        .withTolerationSeconds(t.getTolerationSeconds())
        .build();
  }
}
