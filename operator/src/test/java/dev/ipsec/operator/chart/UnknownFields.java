package dev.ipsec.operator.chart;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Fields that fabric8 did not recognise while deserializing a typed Kubernetes object. fabric8
 * never fails on an unknown field: it parks it in {@code additionalProperties}. A misspelt key in a
 * template ({@code readOnlyRootFileSystem}) would be dropped by the API server without a word, so
 * the chart tests look for them here instead.
 */
final class UnknownFields {
  private static final String MODEL_PACKAGE = "io.fabric8.kubernetes.api.model";

  private UnknownFields() {}

  /** Paths like {@code spec.template.spec.containers[0].securityContext.readOnlyRootFileSystem}. */
  static List<String> in(Object object) {
    List<String> found = new ArrayList<>();
    walk(object, "", found);
    return found;
  }

  private static void walk(Object value, String path, List<String> found) {
    if (value == null) {
      return;
    }
    if (value instanceof Collection<?> items) {
      int index = 0;
      for (Object item : items) {
        walk(item, path + "[" + index++ + "]", found);
      }
      return;
    }
    if (value instanceof Map<?, ?> map) {
      map.forEach((key, item) -> walk(item, path + "[" + key + "]", found));
      return;
    }
    if (!value.getClass().getName().startsWith(MODEL_PACKAGE)
        || value instanceof GenericKubernetesResource) {
      return; // strings, numbers; generic resources keep everything in additionalProperties
    }
    for (Method getter : value.getClass().getMethods()) {
      if (!isBeanGetter(getter)) {
        continue;
      }
      Object property = invoke(getter, value);
      String name = propertyName(getter);
      if (name.equals("additionalProperties")) {
        ((Map<?, ?>) property).keySet().forEach(key -> found.add(join(path, key.toString())));
      } else {
        walk(property, join(path, name), found);
      }
    }
  }

  private static boolean isBeanGetter(Method method) {
    return method.getParameterCount() == 0
        && !Modifier.isStatic(method.getModifiers())
        && method.getName().startsWith("get")
        && !method.getName().equals("getClass")
        && method.getDeclaringClass().getName().startsWith(MODEL_PACKAGE);
  }

  private static String propertyName(Method getter) {
    String name = getter.getName().substring(3);
    return Character.toLowerCase(name.charAt(0)) + name.substring(1);
  }

  private static Object invoke(Method getter, Object target) {
    try {
      return getter.invoke(target);
    } catch (IllegalAccessException | InvocationTargetException e) {
      throw new IllegalStateException("cannot read " + getter, e);
    }
  }

  private static String join(String path, String name) {
    return path.isEmpty() ? name : path + "." + name;
  }
}
