package dev.ipsec.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;

/** A key of a Secret in the resource's namespace. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class SecretKeyRef implements NamespacedRef {
  @Required
  @Pattern(Patterns.OBJECT_NAME)
  @JsonPropertyDescription("Name of the Secret, in the same namespace as the resource.")
  private String name;

  @Pattern(Patterns.NAMESPACE_NAME)
  @JsonPropertyDescription(
      "Namespace of the Secret. Optional; if set, it must be the resource's own namespace:"
          + " cross-namespace references are refused.")
  private String namespace;

  @Required
  @Pattern(Patterns.DATA_KEY)
  @JsonPropertyDescription("Key inside the Secret's data.")
  private String key;

  public SecretKeyRef() {}

  public SecretKeyRef(String name, String key) {
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
