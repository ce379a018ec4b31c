package dev.ipsec.operator.agent.swanctl;

import dev.ipsec.operator.vici.ViciMessage;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * SHA-256 of a VICI message in a canonical, unambiguous encoding (type tag and length before every
 * name and value, entries in order). Two messages have the same fingerprint exactly when charon
 * would receive the same request, so "changed" means "charon would see something different".
 */
public final class Fingerprint {

  private Fingerprint() {}

  public static String of(ViciMessage message) {
    MessageDigest digest = sha256();
    feed(digest, message);
    return HexFormat.of().formatHex(digest.digest());
  }

  public static String of(byte[] bytes) {
    return HexFormat.of().formatHex(sha256().digest(bytes));
  }

  static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }

  private static void feed(MessageDigest digest, ViciMessage message) {
    for (Map.Entry<String, Object> e : message.entries().entrySet()) {
      if (e.getValue() instanceof ViciMessage section) {
        tagged(digest, 'S', e.getKey());
        feed(digest, section);
        digest.update((byte) 'E');
      } else if (e.getValue() instanceof List<?> list) {
        tagged(digest, 'L', e.getKey());
        list.forEach(item -> tagged(digest, 'I', (String) item));
        digest.update((byte) 'E');
      } else {
        tagged(digest, 'K', e.getKey());
        tagged(digest, 'V', (String) e.getValue());
      }
    }
  }

  private static void tagged(MessageDigest digest, char tag, String text) {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    digest.update((byte) tag);
    digest.update(ByteBuffer.allocate(4).putInt(bytes.length).array());
    digest.update(bytes);
  }
}
