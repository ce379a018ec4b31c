package dev.ipsec.operator.reconcile.ownership;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/** SHA-256 digests, shortened, of strings and of objects through their JSON form. */
public final class Hashing {

  private static final KubernetesSerialization JSON = new KubernetesSerialization();

  private Hashing() {}

  public static String of(String text) {
    return of(text.getBytes(StandardCharsets.UTF_8));
  }

  public static String of(byte[] bytes) {
    return HexFormat.of().formatHex(digest().digest(bytes)).substring(0, 32);
  }

  /**
   * JSON of fabric8 models and our types is deterministic: fields in declaration order, maps sorted
   * by us.
   */
  public static String ofObject(Object value) {
    return of(JSON.asJson(value));
  }

  public static MessageDigest digest() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Stamps the hash of the object's desired state on it, for the no-op check on the next pass. */
  public static <T extends HasMetadata> T stamped(T desired) {
    String hash = Hashing.ofObject(desired);
    Map<String, String> annotations =
        new LinkedHashMap<>(
            desired.getMetadata().getAnnotations() == null
                ? Map.of()
                : desired.getMetadata().getAnnotations());
    annotations.put(Labels.DESIRED_HASH, hash);
    desired.getMetadata().setAnnotations(new TreeMap<>(annotations));
    return desired;
  }

  /** Structural equality through JSON, for the status and report classes that carry no equals. */
  public static boolean sameJson(Object a, Object b) {
    return a == null || b == null
        ? a == b
        : JSON.convertValue(a, JsonNode.class).equals(JSON.convertValue(b, JsonNode.class));
  }
}
