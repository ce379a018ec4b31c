package dev.ipsec.operator.vici;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

/** Encode/decode round trips over generated messages and packets (fixed seeds: reproducible). */
class ViciCodecPropertiesTest {

  @Property(tries = 300, seed = "4242")
  void messagesRoundTrip(@ForAll("messages") ViciMessage message) {
    byte[] encoded = ViciCodec.encodeMessage(message);
    ViciMessage decoded = ViciCodec.decodeMessage(encoded);
    assertThat(decoded).isEqualTo(message);
    // equality of maps ignores order; identical bytes prove the order survived too
    assertThat(ViciCodec.encodeMessage(decoded)).containsExactly(encoded);
  }

  @Property(tries = 300, seed = "777")
  void framedPacketsRoundTripThroughTheSegmentReader(@ForAll("packets") ViciPacket packet)
      throws IOException {
    byte[] framed = ViciCodec.frame(packet);
    ByteArrayInputStream in = new ByteArrayInputStream(framed);
    ViciPacket decoded = ViciCodec.decodePacket(ViciCodec.readSegment(in));
    assertThat(decoded).isEqualTo(packet);
    assertThat(ViciCodec.readSegment(in)).isNull();
  }

  @Property(tries = 200, seed = "99")
  void everyStrictPrefixDecodesOrFailsWithAProtocolError(
      @ForAll("smallMessages") ViciMessage message) {
    byte[] encoded = ViciCodec.encodeMessage(message);
    for (int cut = 0; cut < encoded.length; cut++) {
      byte[] prefix = Arrays.copyOf(encoded, cut);
      try {
        ViciCodec.decodeMessage(prefix);
      } catch (ViciProtocolException expected) {
        assertThat(expected.offset()).isBetween(0, cut);
      }
    }
  }

  // ------------------------------------------------------------ generators

  /** Printable ASCII, control characters, Latin/Greek/Cyrillic and some CJK: all valid UTF-16. */
  private static Arbitrary<String> text(int maxLength) {
    return Arbitraries.strings()
        .withCharRange('\u0000', '\u007f')
        .withCharRange('\u00a0', '\u04ff')
        .withCharRange('\u4e00', '\u4e40')
        .ofMaxLength(maxLength);
  }

  private static Arbitrary<String> names() {
    return Arbitraries.oneOf(
        text(30), Arbitraries.strings().alpha().numeric().withChars('-', '_').ofLength(255));
  }

  /** Mostly short values, sometimes one of exactly the 65535-byte limit. */
  private static Arbitrary<String> values(boolean withMaximal) {
    return withMaximal
        ? Arbitraries.frequencyOf(
            Tuple.of(20, text(60)),
            Tuple.of(1, Arbitraries.chars().alpha().map(c -> String.valueOf(c).repeat(65535))))
        : text(60);
  }

  private static Arbitrary<List<String>> lists() {
    return text(40).list().ofMaxSize(5);
  }

  private static Arbitrary<ViciMessage> messages(int depth, boolean withMaximal) {
    Arbitrary<Object> entry =
        depth == 0
            ? Arbitraries.oneOf(values(withMaximal), lists())
            : Arbitraries.frequencyOf(
                Tuple.of(4, values(withMaximal)),
                Tuple.of(2, lists()),
                Tuple.of(2, Arbitraries.lazy(() -> messages(depth - 1, withMaximal))));
    return Arbitraries.maps(names(), entry).ofMaxSize(4).map(ViciCodecPropertiesTest::toMessage);
  }

  @SuppressWarnings("unchecked")
  private static ViciMessage toMessage(Map<String, Object> entries) {
    ViciMessage m = ViciMessage.empty();
    entries.forEach(
        (k, v) -> {
          if (v instanceof String s) {
            m.put(k, s);
          } else if (v instanceof List<?> l) {
            m.putList(k, (List<String>) l);
          } else {
            m.putSection(k, (ViciMessage) v);
          }
        });
    return m;
  }

  @Provide
  Arbitrary<ViciMessage> messages() {
    return messages(4, true);
  }

  @Provide
  Arbitrary<ViciMessage> smallMessages() {
    return messages(2, false);
  }

  @Provide
  Arbitrary<ViciPacket> packets() {
    Arbitrary<String> packetNames = text(30).filter(s -> !s.isEmpty());
    return Combinators.combine(
            Arbitraries.of(ViciPacketType.class), packetNames, messages(3, false))
        .as(
            (type, name, message) ->
                new ViciPacket(
                    type, type.named() ? name : null, type.carriesMessage() ? message : null));
  }
}
