package dev.ipsec.operator.reconcile;

import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** SHA-256 digests, shortened, of strings and of objects through their JSON form. */
final class Hashing {

  private static final KubernetesSerialization JSON = new KubernetesSerialization();

  private Hashing() {}

  static String of(String text) {
    return of(text.getBytes(StandardCharsets.UTF_8));
  }

  static String of(byte[] bytes) {
    return HexFormat.of().formatHex(digest().digest(bytes)).substring(0, 32);
  }

  /** JSON of fabric8 models and our types is deterministic: fields in declaration order, maps sorted by us. */
  static String ofObject(Object value) {
    return of(JSON.asJson(value));
  }

  static MessageDigest digest() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
