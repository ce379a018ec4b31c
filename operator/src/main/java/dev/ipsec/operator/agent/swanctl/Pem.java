package dev.ipsec.operator.agent.swanctl;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * Credential files as VICI text. charon's PEM loader accepts PEM and, for blobs that are not PEM,
 * DER; since {@code ViciMessage} carries strings, DER files are wrapped into PEM first.
 */
final class Pem {

  private Pem() {}

  static String asText(byte[] content, String label) {
    String text = new String(content, StandardCharsets.US_ASCII);
    if (text.contains("-----BEGIN ")) {
      return new String(content, StandardCharsets.UTF_8);
    }
    String base64 =
        Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(content);
    return "-----BEGIN " + label + "-----\n" + base64 + "\n-----END " + label + "-----\n";
  }
}
