package dev.ipsec.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The keyword of an API enum constant as users write it in YAML ({@code aes128gcm128}, {@code
 * pre-shared-secret}, {@code 3des}).
 *
 * <p>The {@link JsonProperty} annotation on each constant is the single source of truth: it is what
 * Jackson reads and writes and what the CRD generator puts into the schema enum.
 */
public final class Keywords {
  private static final Map<Enum<?>, String> CACHE = new ConcurrentHashMap<>();

  private Keywords() {}

  public static String of(Enum<?> constant) {
    return CACHE.computeIfAbsent(constant, Keywords::lookUp);
  }

  private static String lookUp(Enum<?> constant) {
    try {
      JsonProperty property =
          constant.getDeclaringClass().getField(constant.name()).getAnnotation(JsonProperty.class);
      return property != null ? property.value() : constant.name();
    } catch (NoSuchFieldException e) {
      throw new IllegalStateException("enum constant without a field: " + constant, e);
    }
  }
}
