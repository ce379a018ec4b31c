package dev.ipsec.operator.vyos;

import java.util.Locale;

/**
 * VyOS names (groups, peers, PSK entries) as Kubernetes object names: VyOS allows upper case,
 * {@code _}, {@code @} and {@code |}, a DNS-1123 name does not. The peer's conversion keeps VyOS's
 * own connection name where it can: {@code @} is dropped as VyOS drops it.
 */
final class VyosNames {

  private VyosNames() {}

  /** The object name, or empty when nothing usable is left. */
  static String objectName(String vyosName) {
    String name =
        vyosName
            .replace("@", "")
            .toLowerCase(Locale.ROOT)
            .replaceAll("[^a-z0-9-]", "-")
            .replaceAll("^-+|-+$", "");
    return name.length() > 63 ? name.substring(0, 63).replaceAll("-+$", "") : name;
  }
}
