package dev.ipsec.operator.api.schema;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.ipsec.operator.api.v1alpha1.ApiGroup;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The CRDs of the API as the build generated them ({@code META-INF/fabric8/*.yml} in the jar),
 * keyed by kind.
 */
public final class CrdCatalog {
  private static final List<String> PLURALS =
      List.of("ikegroups", "espgroups", "ipsecpeers", "ipsecglobals");
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  private final Map<String, JsonNode> crdsByKind;

  private CrdCatalog(Map<String, JsonNode> crdsByKind) {
    this.crdsByKind = crdsByKind;
  }

  /** The CRDs bundled with this build. */
  public static CrdCatalog bundled() {
    Map<String, JsonNode> crds = new LinkedHashMap<>();
    for (String plural : PLURALS) {
      JsonNode crd = read(resourceName(plural));
      crds.put(crd.at("/spec/names/kind").asText(), crd);
    }
    return new CrdCatalog(crds);
  }

  /** Class-path location of a generated CRD. */
  public static String resourceName(String plural) {
    return "/META-INF/fabric8/" + plural + "." + ApiGroup.GROUP + "-v1.yml";
  }

  public List<String> kinds() {
    return List.copyOf(crdsByKind.keySet());
  }

  public Optional<JsonNode> crd(String kind) {
    return Optional.ofNullable(crdsByKind.get(kind));
  }

  /** The openAPIV3Schema of the served version of a kind. */
  public Optional<JsonNode> schema(String kind) {
    return crd(kind).map(crd -> crd.at("/spec/versions/0/schema/openAPIV3Schema"));
  }

  private static JsonNode read(String resource) {
    try (InputStream in = CrdCatalog.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("CRD " + resource + " is missing from the class path");
      }
      return YAML.readTree(in);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + resource, e);
    }
  }
}
