package dev.ipsec.operator.reconcile.peer;

import dev.ipsec.operator.reconcile.ownership.Labels;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * What of a referenced Secret or ConfigMap its peers read, as one key: its uid, whether it is being
 * deleted (then it counts as missing), whether it carries the operator's labels (referenced, owned)
 * and a keyed digest of its data. Two versions of an object with equal keys render alike, so the
 * validation and render caches key on it instead of the resourceVersion: the {@code
 * ipsec.dev/referenced} label the operator adds to a Secret on first sight changes its
 * resourceVersion and nothing a peer reads, and at 10,000 peers naming one Secret that label
 * validated and rendered every peer a second time.
 *
 * <p>The digest is an HMAC-SHA256 under a random key made for this process and kept only in its
 * memory: a key that ends up printed (a record's {@code toString}) lets nobody test guesses of a
 * weak pre-shared key, and it is never written anywhere. The configuration revision, which stands
 * in a ConfigMap, keeps using uid and resourceVersion ({@link GatewayInputAssembler#version}).
 */
public final class ReferencedContent {

  /** The key of an object that was not found, for what a lookup read. */
  public static final String MISSING = "missing";

  /** Keys of the versions seen last, by uid@resourceVersion: one shared string per version. */
  private static final Map<String, String> KEYS = new ConcurrentHashMap<>();

  /** Above this many remembered versions they are all forgotten: a handful of objects is usual. */
  private static final int KEPT = 4096;

  private static final byte[] PROCESS_KEY = randomKey();

  private ReferencedContent() {}

  /** The key of {@code object}'s content as its peers read it. */
  public static String of(HasMetadata object) {
    if (object.getMetadata().getResourceVersion() == null) {
      return compute(object); // not stored in a server: nothing to share it with
    }
    String version = GatewayInputAssembler.version(object);
    String known = KEYS.get(version);
    if (known != null) {
      return known;
    }
    String key = compute(object);
    if (KEYS.size() >= KEPT) {
      KEYS.clear();
    }
    KEYS.put(version, key);
    return key;
  }

  private static String compute(HasMetadata object) {
    StringBuilder key = new StringBuilder(String.valueOf(object.getMetadata().getUid()));
    key.append(object.getMetadata().getDeletionTimestamp() == null ? "" : "+deleting");
    key.append(Labels.isMarkedReferenced(object) ? "+referenced" : "");
    key.append(Labels.isOwned(object) ? "+owned" : "");
    Mac mac = mac();
    if (object instanceof Secret s) {
      update(mac, "data", s.getData());
      update(mac, "stringData", s.getStringData());
    } else if (object instanceof ConfigMap c) {
      update(mac, "data", c.getData());
      update(mac, "binaryData", c.getBinaryData());
    }
    return key.append(':').append(HexFormat.of().formatHex(mac.doFinal())).toString();
  }

  private static void update(Mac mac, String field, Map<String, String> entries) {
    mac.update(field.getBytes(StandardCharsets.UTF_8));
    mac.update((byte) 0);
    if (entries == null) {
      return;
    }
    // unambiguous: each part with its length
    new TreeMap<>(entries)
        .forEach(
            (k, v) -> {
              part(mac, k);
              part(mac, v == null ? "" : v);
            });
  }

  private static void part(Mac mac, String text) {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    mac.update(Integer.toString(bytes.length).getBytes(StandardCharsets.US_ASCII));
    mac.update((byte) ':');
    mac.update(bytes);
  }

  private static byte[] randomKey() {
    byte[] key = new byte[32];
    new SecureRandom().nextBytes(key);
    return key;
  }

  private static Mac mac() {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(PROCESS_KEY, "HmacSHA256"));
      return mac;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("every JDK has HmacSHA256", e);
    }
  }
}
