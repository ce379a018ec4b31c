package dev.ipsec.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;

/**
 * A key of a ConfigMap in the resource's namespace (for public material such as CA certificates).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ObjectKeyRef implements NamespacedRef {
  @Required
  @Pattern(Patterns.OBJECT_NAME)
  @JsonPropertyDescription("Name of the ConfigMap, in the same namespace as the resource.")
  private String name;

  @Pattern(Patterns.NAMESPACE_NAME)
  @JsonPropertyDescription(
      "Namespace of the ConfigMap. Optional; if set, it must be the resource's own namespace:"
          + " cross-namespace references are refused.")
  private String namespace;

  @Required
  @Pattern(Patterns.DATA_KEY)
  @JsonPropertyDescription("Key inside the ConfigMap's data.")
  private String key;

  public ObjectKeyRef() {}

  public ObjectKeyRef(String name, String key) {
    this.name = name;
    this.key = key;
  }

  public String getName() {
    return name;
  }

  public void setName(String name) {
    this.name = name;
  }

  public String getKey() {
    return key;
  }

  public void setKey(String key) {
    this.key = key;
  }

  public String getNamespace() {
    return namespace;
  }

  public void setNamespace(String namespace) {
    this.namespace = namespace;
  }
}
