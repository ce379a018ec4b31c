package dev.ipsec.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import io.fabric8.crd.generator.annotation.PreserveUnknownFields;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A JSON object kept as it was written ({@code x-kubernetes-preserve-unknown-fields} in the CRD),
 * for core Kubernetes types whose full schema would swell the CRD. The operator binds it to the
 * core type itself and names the field that does not fit, instead of failing to read the whole
 * resource.
 */
@PreserveUnknownFields
public class PreservedObject {

  private final Map<String, Object> fields = new LinkedHashMap<>();

  public PreservedObject() {}

  public PreservedObject(Map<String, Object> fields) {
    this.fields.putAll(fields);
  }

  /** The object's fields as written; not a bean property, so the CRD lists none. */
  @JsonAnyGetter
  public Map<String, Object> fields() {
    return fields;
  }

  @JsonAnySetter
  public void setField(String name, Object value) {
    fields.put(name, value);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PreservedObject other && fields.equals(other.fields);
  }

  @Override
  public int hashCode() {
    return Objects.hash(fields);
  }
}
