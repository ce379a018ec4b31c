package dev.ipsec.operator.render;

import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/** The algorithm keywords VyOS accepts in IKE and ESP proposals, and its DH-group name table. */
public final class Algorithms {

  public static final Set<String> ENCRYPTION = encryptions();

  public static final Set<String> HASH =
      Set.of(
          "md5", "md5_128", "sha1", "sha1_160", "sha256", "sha256_96", "sha384", "sha512",
          "aesxcbc", "aescmac", "aes128gmac", "aes192gmac", "aes256gmac");

  public static final Set<String> PRF =
      Set.of("prfmd5", "prfsha1", "prfaesxcbc", "prfaescmac", "prfsha256", "prfsha384", "prfsha512");

  /** Hashes that cannot serve as an IKE PRF, so VyOS requires an explicit {@code prf}. */
  public static final Set<String> HASH_NEEDS_PRF =
      Set.of("aes128gmac", "aes192gmac", "aes256gmac", "sha256_96");

  private static final Map<Integer, String> DH_NAMES = dhNames();

  private Algorithms() {}

  /** The strongSwan keyword of a VyOS DH group number, empty for an unknown group. */
  public static Optional<String> dhName(int group) {
    return Optional.ofNullable(DH_NAMES.get(group));
  }

  public static Set<Integer> dhGroups() {
    return DH_NAMES.keySet();
  }

  private static Map<Integer, String> dhNames() {
    Map<Integer, String> m = new TreeMap<>();
    m.put(1, "modp768");
    m.put(2, "modp1024");
    m.put(5, "modp1536");
    m.put(14, "modp2048");
    m.put(15, "modp3072");
    m.put(16, "modp4096");
    m.put(17, "modp6144");
    m.put(18, "modp8192");
    m.put(19, "ecp256");
    m.put(20, "ecp384");
    m.put(21, "ecp521");
    m.put(22, "modp1024s160");
    m.put(23, "modp2048s224");
    m.put(24, "modp2048s256");
    m.put(25, "ecp192");
    m.put(26, "ecp224");
    m.put(27, "ecp224bp");
    m.put(28, "ecp256bp");
    m.put(29, "ecp384bp");
    m.put(30, "ecp512bp");
    m.put(31, "curve25519");
    m.put(32, "curve448");
    return Map.copyOf(m);
  }

  private static Set<String> encryptions() {
    Set<String> s = new TreeSet<>();
    s.add("null");
    s.add("3des");
    s.add("cast128");
    s.add("chacha20poly1305");
    for (String size : new String[] {"128", "192", "256"}) {
      s.add("aes" + size);
      s.add("aes" + size + "ctr");
      s.add("aes" + size + "gmac");
      s.add("camellia" + size);
      s.add("camellia" + size + "ctr");
      s.add("blowfish" + size);
      s.add("serpent" + size);
      s.add("twofish" + size);
      for (String icv : new String[] {"64", "96", "128"}) {
        s.add("aes" + size + "ccm" + icv);
        s.add("aes" + size + "gcm" + icv);
        s.add("camellia" + size + "ccm" + icv);
      }
    }
    return Set.copyOf(s);
  }
}
