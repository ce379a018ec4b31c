package dev.ipsec.operator.vici;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Byte-exact vectors from the VICI README and the limits and errors of the codec. */
class ViciCodecTest {

  /** Builds expected bytes from ints (single bytes) and strings (their ASCII bytes). */
  private static byte[] bytes(Object... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (Object part : parts) {
      if (part instanceof Integer i) {
        out.write(i);
      } else {
        out.writeBytes(((String) part).getBytes(StandardCharsets.US_ASCII));
      }
    }
    return out.toByteArray();
  }

  @Test
  void versionRequestMatchesTheReadmeExample() {
    assertThat(ViciCodec.frame(ViciPacket.request("version", ViciMessage.empty())))
        .containsExactly(bytes(0, 0, 0, 9, 0, 7, "version"));
  }

  @Test
  void eventRegistrationMatchesTheReadmeExample() {
    assertThat(ViciCodec.frame(ViciPacket.register("ike-updown")))
        .containsExactly(bytes(0, 0, 0, 0x0c, 3, 0x0a, "ike-updown"));
  }

  @Test
  void unnamedPacketsAreOneByte() {
    assertThat(ViciCodec.frame(ViciPacket.of(ViciPacketType.EVENT_CONFIRM)))
        .containsExactly(bytes(0, 0, 0, 1, 5));
    assertThat(ViciCodec.decodePacket(bytes(2)).type()).isEqualTo(ViciPacketType.CMD_UNKNOWN);
  }

  /** The message example of the README's "Message format" section, element by element. */
  private static final byte[] README_MESSAGE =
      bytes(
          3,
          4,
          "key1",
          0,
          6,
          "value1",
          1,
          8,
          "section1",
          1,
          11,
          "sub-section",
          3,
          4,
          "key2",
          0,
          6,
          "value2",
          2,
          4,
          5,
          "list1",
          5,
          0,
          5,
          "item1",
          5,
          0,
          5,
          "item2",
          6,
          2);

  private static ViciMessage readmeMessage() {
    return ViciMessage.empty()
        .put("key1", "value1")
        .putSection(
            "section1",
            ViciMessage.empty()
                .putSection("sub-section", ViciMessage.empty().put("key2", "value2"))
                .putList("list1", List.of("item1", "item2")));
  }

  @Test
  void encodesTheReadmeMessageByteForByte() {
    assertThat(ViciCodec.encodeMessage(readmeMessage())).containsExactly(README_MESSAGE);
  }

  @Test
  void decodesTheReadmeMessage() {
    ViciMessage decoded = ViciCodec.decodeMessage(README_MESSAGE);
    assertThat(decoded).isEqualTo(readmeMessage());
    assertThat(decoded.section("section1").orElseThrow().list("list1"))
        .containsExactly("item1", "item2");
  }

  @Test
  void requestPacketCarriesNameThenMessage() {
    byte[] encoded =
        ViciCodec.encodePacket(
            ViciPacket.request("unload-conn", ViciMessage.empty().put("name", "tun")));
    assertThat(encoded).containsExactly(bytes(0, 11, "unload-conn", 3, 4, "name", 0, 3, "tun"));
    ViciPacket decoded = ViciCodec.decodePacket(encoded);
    assertThat(decoded.name()).isEqualTo("unload-conn");
    assertThat(decoded.message().string("name")).contains("tun");
  }

  @Test
  void valueLengthIsBigEndianSixteenBits() {
    String value = "x".repeat(0x0102);
    byte[] encoded = ViciCodec.encodeMessage(ViciMessage.empty().put("k", value));
    assertThat(encoded).startsWith(bytes(3, 1, "k", 0x01, 0x02));
    assertThat(encoded).hasSize(3 + 2 + 0x0102);
  }

  @Test
  void acceptsTheLimitsExactly() {
    String name = "n".repeat(255);
    String value = "v".repeat(65535);
    ViciMessage m = ViciMessage.empty().put(name, value);
    assertThat(ViciCodec.decodeMessage(ViciCodec.encodeMessage(m))).isEqualTo(m);
  }

  @Test
  void refusesToEncodeOversizedNamesValuesAndMessagesWithoutPrintingValues() {
    assertThatThrownBy(() -> ViciCodec.encodeMessage(ViciMessage.empty().put("n".repeat(256), "v")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("256 bytes");
    assertThatThrownBy(
            () -> ViciCodec.encodeMessage(ViciMessage.empty().put("data", "S".repeat(65536))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'data'")
        .hasMessageNotContaining("SSSS");
    ViciMessage big = ViciMessage.empty();
    for (int i = 0; i < 9; i++) {
      big.put("k" + i, "v".repeat(65000));
    }
    assertThatThrownBy(() -> ViciCodec.encodePacket(ViciPacket.request("load-conn", big)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("524288");
  }

  @Test
  void refusesTooDeepNesting() {
    ViciMessage root = ViciMessage.empty();
    ViciMessage cur = root;
    for (int i = 0; i <= ViciCodec.MAX_DEPTH; i++) {
      ViciMessage next = ViciMessage.empty();
      cur.putSection("s", next);
      cur = next;
    }
    assertThatThrownBy(() -> ViciCodec.encodeMessage(root))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("nested deeper");
    ByteArrayOutputStream deep = new ByteArrayOutputStream();
    for (int i = 0; i <= ViciCodec.MAX_DEPTH; i++) {
      deep.writeBytes(bytes(1, 1, "s"));
    }
    assertThatThrownBy(() -> ViciCodec.decodeMessage(deep.toByteArray()))
        .isInstanceOf(ViciProtocolException.class)
        .hasMessageContaining("nested deeper")
        .hasMessageContaining("offset " + 3 * ViciCodec.MAX_DEPTH);
  }

  @Test
  void malformedMessagesNameTheProblemAndTheOffset() {
    assertProtocolError(bytes(9), "unknown element type 9", 0);
    assertProtocolError(bytes(2), "SECTION_END without an open section", 0);
    assertProtocolError(bytes(1, 1, "s"), "ends inside section 's'", 3);
    assertProtocolError(bytes(1, 1, "s", 1, 1, "t", 2), "ends inside section 's'", 7);
    assertProtocolError(bytes(4, 1, "l", 5, 0, 1, "a"), "ends inside list 'l'", 7);
    assertProtocolError(bytes(5, 0, 1, "a"), "LIST_ITEM outside a list", 0);
    assertProtocolError(bytes(6), "LIST_END without an open list", 0);
    assertProtocolError(bytes(4, 1, "l", 4, 1, "m"), "LIST_START inside list 'l'", 3);
    assertProtocolError(bytes(4, 1, "l", 3, 1, "k", 0, 0), "KEY_VALUE inside list 'l'", 3);
    assertProtocolError(bytes(3, 9, "ab"), "key truncated: length 9 but only 2 bytes left", 1);
    assertProtocolError(
        bytes(3, 1, "k", 0), "value of 'k' truncated: missing its 2-byte length", 3);
    assertProtocolError(bytes(3, 1, "k", 0xff, 0xff, "abc"), "length 65535 but only 3", 3);
    assertProtocolError(bytes(3), "key truncated: missing its length byte", 1);
    assertProtocolError(bytes(3, 1, "k", 0, 1, "a", 3, 1, "k", 0, 1, "b"), "duplicate name 'k'", 6);
  }

  private static void assertProtocolError(byte[] message, String problem, int offset) {
    assertThatThrownBy(() -> ViciCodec.decodeMessage(message))
        .isInstanceOfSatisfying(
            ViciProtocolException.class, e -> assertThat(e.offset()).isEqualTo(offset))
        .hasMessageContaining(problem);
  }

  @Test
  void malformedPacketsAreRejected() {
    assertThatThrownBy(() -> ViciCodec.decodePacket(new byte[0]))
        .isInstanceOf(ViciProtocolException.class)
        .hasMessageContaining("missing the type byte");
    assertThatThrownBy(() -> ViciCodec.decodePacket(bytes(8)))
        .isInstanceOf(ViciProtocolException.class)
        .hasMessageContaining("unknown packet type 8");
    assertThatThrownBy(() -> ViciCodec.decodePacket(bytes(0, 0)))
        .isInstanceOf(ViciProtocolException.class)
        .hasMessageContaining("empty name");
    assertThatThrownBy(() -> ViciCodec.decodePacket(bytes(7, 5, "ab")))
        .isInstanceOf(ViciProtocolException.class)
        .hasMessageContaining("EVENT name truncated");
    assertThatThrownBy(() -> ViciCodec.decodePacket(bytes(5, 1)))
        .isInstanceOf(ViciProtocolException.class)
        .hasMessageContaining("EVENT_CONFIRM must end after its header but has 1 trailing bytes");
    assertThatThrownBy(() -> ViciCodec.decodePacket(bytes(3, 1, "x", 2)))
        .isInstanceOf(ViciProtocolException.class)
        .hasMessageContaining("trailing");
  }

  @Test
  void segmentReaderChecksTheLengthBeforeAllocating() {
    assertThatThrownBy(() -> readSegment(bytes(0xff, 0xff, 0xff, 0xff)))
        .isInstanceOf(ViciProtocolException.class)
        .hasMessageContaining("segment length 4294967295 exceeds the VICI limit of 524288");
    assertThatThrownBy(() -> readSegment(bytes(0, 8, 0, 1)))
        .isInstanceOf(ViciProtocolException.class)
        .hasMessageContaining("524289");
    assertThatThrownBy(() -> readSegment(bytes(0, 0, 0, 0)))
        .isInstanceOf(ViciProtocolException.class)
        .hasMessageContaining("empty segment");
    assertThatThrownBy(() -> readSegment(bytes(0, 0)))
        .isInstanceOf(ViciProtocolException.class)
        .hasMessageContaining("2 of 4 bytes");
    assertThatThrownBy(() -> readSegment(bytes(0, 0, 0, 9, 0, 7, "ver")))
        .isInstanceOf(ViciProtocolException.class)
        .hasMessageContaining("5 of 9 bytes");
  }

  @Test
  void segmentReaderReadsConsecutiveSegmentsAndReportsCleanEnd() throws IOException {
    ByteArrayOutputStream stream = new ByteArrayOutputStream();
    stream.writeBytes(ViciCodec.frame(ViciPacket.register("log")));
    stream.writeBytes(ViciCodec.frame(ViciPacket.request("stats", ViciMessage.empty())));
    ByteArrayInputStream in = new ByteArrayInputStream(stream.toByteArray());
    assertThat(ViciCodec.decodePacket(ViciCodec.readSegment(in)))
        .isEqualTo(ViciPacket.register("log"));
    assertThat(ViciCodec.decodePacket(ViciCodec.readSegment(in)).name()).isEqualTo("stats");
    assertThat(ViciCodec.readSegment(in)).isNull();
  }

  @Test
  void toStringRedactsSecrets() {
    ViciMessage m =
        ViciMessage.empty().put("id", "ike-1").put("type", "IKE").put("data", "topsecret");
    assertThat(m.toString()).contains("ike-1").doesNotContain("topsecret");
    assertThat(ViciPacket.request("load-shared", m).toString()).doesNotContain("topsecret");
  }

  private static byte[] readSegment(byte[] stream) throws IOException {
    return ViciCodec.readSegment(new ByteArrayInputStream(stream));
  }
}
