package dev.ipsec.operator.render;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PrefixTest {

  @Test
  void overlapIsDecidedOnTheShorterMask() {
    assertThat(Prefix.parse("192.0.2.0/24").overlaps(Prefix.parse("192.0.2.128/25"))).isTrue();
    assertThat(Prefix.parse("192.0.2.128/25").overlaps(Prefix.parse("192.0.2.0/24"))).isTrue();
    assertThat(Prefix.parse("192.0.2.0/25").overlaps(Prefix.parse("192.0.2.128/25"))).isFalse();
    assertThat(Prefix.parse("0.0.0.0/0").overlaps(Prefix.parse("203.0.113.7/32"))).isTrue();
  }

  @Test
  void hostBitsAreMaskedAway() {
    assertThat(Prefix.parse("192.0.2.77/24")).isEqualTo(Prefix.parse("192.0.2.0/24"));
  }

  @Test
  void familiesNeverOverlap() {
    assertThat(Prefix.parse("::/0").overlaps(Prefix.parse("0.0.0.0/0"))).isFalse();
    assertThat(Prefix.parse("::ffff:192.0.2.0/120").ipv6()).isTrue();
    assertThat(Prefix.parse("2001:db8::/32").overlaps(Prefix.parse("2001:db8:1::/48"))).isTrue();
  }
}
