package dev.ipsec.operator.vyos;

import java.util.Map;

/**
 * A Secret the imported resources refer to, with its values: the only place a pre-shared key or
 * passphrase of the VyOS configuration is carried. {@code toString} never shows the values.
 */
public record ImportedSecret(String name, Map<String, String> data) {

  public ImportedSecret {
    data = Map.copyOf(data);
  }

  @Override
  public String toString() {
    return "ImportedSecret[name=" + name + ", keys=" + new java.util.TreeSet<>(data.keySet()) + "]";
  }
}
