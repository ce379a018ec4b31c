package dev.ipsec.operator.reconcile.agentstate;

import dev.ipsec.operator.api.v1alpha1.Algorithms;

/** An SA's algorithms as charon lists them, taken apart for status. */
public final class NegotiatedAlgorithms {

  private NegotiatedAlgorithms() {}

  /**
   * {@code AES_CBC-128/HMAC_SHA2_256_128/PRF_HMAC_SHA2_256/CURVE_25519} (IKE) or {@code
   * AES_GCM_16-128} (ESP) into encryption, integrity, PRF and DH group; null for none.
   */
  static Algorithms parse(String negotiated) {
    if (negotiated == null || negotiated.isBlank()) {
      return null;
    }
    Algorithms a = new Algorithms();
    for (String part : negotiated.split("/")) {
      if (part.startsWith("PRF_")) {
        a.setPrf(part);
      } else if (part.startsWith("HMAC_")
          || part.startsWith("AES_XCBC")
          || part.startsWith("AES_CMAC")) {
        a.setIntegrity(part);
      } else if (part.startsWith("MODP_") || part.startsWith("CURVE_") || part.startsWith("ECP_")) {
        a.setDhGroup(part);
      } else if (a.getEncryption() == null) {
        a.setEncryption(part);
      }
    }
    return a;
  }
}
