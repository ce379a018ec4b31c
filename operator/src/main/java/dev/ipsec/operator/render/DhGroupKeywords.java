package dev.ipsec.operator.render;

import dev.ipsec.operator.api.v1alpha1.DhGroupRule;
import java.util.Map;
import java.util.Optional;

/**
 * The strongSwan keyword of each Diffie-Hellman group number VyOS offers, as VyOS's {@code
 * vyos.template} maps them; which numbers are accepted is {@link DhGroupRule}.
 */
public final class DhGroupKeywords {

  private static final Map<Integer, String> NAMES =
      Map.ofEntries(
          Map.entry(1, "modp768"),
          Map.entry(2, "modp1024"),
          Map.entry(5, "modp1536"),
          Map.entry(14, "modp2048"),
          Map.entry(15, "modp3072"),
          Map.entry(16, "modp4096"),
          Map.entry(17, "modp6144"),
          Map.entry(18, "modp8192"),
          Map.entry(19, "ecp256"),
          Map.entry(20, "ecp384"),
          Map.entry(21, "ecp521"),
          Map.entry(22, "modp1024s160"),
          Map.entry(23, "modp2048s224"),
          Map.entry(24, "modp2048s256"),
          Map.entry(25, "ecp192"),
          Map.entry(26, "ecp224"),
          Map.entry(27, "ecp224bp"),
          Map.entry(28, "ecp256bp"),
          Map.entry(29, "ecp384bp"),
          Map.entry(30, "ecp512bp"),
          Map.entry(31, "curve25519"),
          Map.entry(32, "curve448"));

  private DhGroupKeywords() {}

  /** The strongSwan keyword of a group, empty for a group VyOS does not offer. */
  public static Optional<String> keyword(int group) {
    return Optional.ofNullable(NAMES.get(group));
  }

  public static String keywordOrFail(int group) {
    return keyword(group)
        .orElseThrow(() -> new IllegalArgumentException("unknown DH group " + group));
  }
}
