package dev.ipsec.operator.vyos;

import java.util.Map;

/**
 * A Secret the imported resources refer to, with its values: the only place a pre-shared key,
 * passphrase or private key of the VyOS configuration is carried. {@code toString} never shows the
 * values.
 *
 * @param type the Secret's type: {@code Opaque}, or {@code kubernetes.io/tls} for a certificate
 *     with its key
 */
public record ImportedSecret(String name, String type, Map<String, String> data) {

  static final String OPAQUE = "Opaque";
  static final String TLS = "kubernetes.io/tls";

  public ImportedSecret {
    data = Map.copyOf(data);
  }

  /** An {@code Opaque} Secret. */
  public ImportedSecret(String name, Map<String, String> data) {
    this(name, OPAQUE, data);
  }

  @Override
  public String toString() {
    return "ImportedSecret[name="
        + name
        + ", type="
        + type
        + ", keys="
        + new java.util.TreeSet<>(data.keySet())
        + "]";
  }
}
