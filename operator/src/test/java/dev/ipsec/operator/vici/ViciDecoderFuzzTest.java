package dev.ipsec.operator.vici;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Feeds random and mutated bytes to the decoder: every input must either decode or fail with a
 * {@link ViciProtocolException}. Any other exception (index out of bounds, negative array size, out
 * of memory, stack overflow) or a hang fails the test. Seeds are fixed: failures reproduce.
 */
class ViciDecoderFuzzTest {

  private static final int ROUNDS = 40_000;

  @Test
  void randomBytesNeverEscapeAsAnythingButProtocolErrors() {
    Random random = new Random(20261126L);
    int[] outcomes = new int[2];
    assertTimeoutPreemptively(
        Duration.ofSeconds(30),
        () -> {
          for (int i = 0; i < ROUNDS; i++) {
            byte[] input = new byte[random.nextInt(64)];
            for (int j = 0; j < input.length; j++) {
              // bias towards the element and packet codes so that decoding gets somewhere
              input[j] = (byte) (random.nextInt(4) == 0 ? random.nextInt(256) : random.nextInt(9));
            }
            decodeAll(input, outcomes);
          }
        });
    // both outcomes are exercised: the fuzzer is not only producing garbage
    assertThat(outcomes[0]).isPositive();
    assertThat(outcomes[1]).isPositive();
  }

  @Test
  void mutatedValidPacketsNeverEscapeAsAnythingButProtocolErrors() {
    Random random = new Random(4711L);
    List<byte[]> seeds = seedPackets();
    int[] outcomes = new int[2];
    assertTimeoutPreemptively(
        Duration.ofSeconds(30),
        () -> {
          for (int i = 0; i < ROUNDS; i++) {
            byte[] input = mutate(seeds.get(random.nextInt(seeds.size())), random);
            decodeAll(input, outcomes);
            outcomes[readFramed(input, random)]++;
          }
        });
    assertThat(outcomes[0]).isPositive();
    assertThat(outcomes[1]).isPositive();
  }

  /**
   * Decodes the bytes as a packet and as a bare message and counts the outcomes in {@code outcomes}
   * (index 0 = decoded, 1 = protocol error); any other exception propagates and fails.
   */
  private static void decodeAll(byte[] input, int[] outcomes) {
    try {
      ViciCodec.decodePacket(input);
      outcomes[0]++;
    } catch (ViciProtocolException e) {
      assertThat(e.offset()).isBetween(0, input.length);
      outcomes[1]++;
    }
    try {
      ViciCodec.decodeMessage(input);
      outcomes[0]++;
    } catch (ViciProtocolException e) {
      assertThat(e.offset()).isBetween(0, input.length);
      outcomes[1]++;
    }
  }

  /** The same bytes as a stream with a (possibly wrong) length prefix in front. */
  private static int readFramed(byte[] body, Random random) throws IOException {
    int declared =
        switch (random.nextInt(4)) {
          case 0 -> body.length + random.nextInt(3) - 1;
          case 1 -> random.nextInt();
          default -> body.length;
        };
    byte[] stream = new byte[body.length + 4];
    stream[0] = (byte) (declared >>> 24);
    stream[1] = (byte) (declared >>> 16);
    stream[2] = (byte) (declared >>> 8);
    stream[3] = (byte) declared;
    System.arraycopy(body, 0, stream, 4, body.length);
    try {
      byte[] segment = ViciCodec.readSegment(new ByteArrayInputStream(stream));
      ViciCodec.decodePacket(segment);
      return 0;
    } catch (ViciProtocolException e) {
      return 1;
    }
  }

  private static byte[] mutate(byte[] seed, Random random) {
    byte[] b = seed.clone();
    int mutations = 1 + random.nextInt(4);
    for (int m = 0; m < mutations && b.length > 0; m++) {
      int at = random.nextInt(b.length);
      switch (random.nextInt(6)) {
        case 0 -> b[at] ^= (byte) (1 << random.nextInt(8));
        case 1 -> b[at] = (byte) random.nextInt(256);
        case 2 -> b = Arrays.copyOf(b, at); // truncate
        case 3 -> { // delete one byte
          byte[] shorter = new byte[b.length - 1];
          System.arraycopy(b, 0, shorter, 0, at);
          System.arraycopy(b, at + 1, shorter, at, b.length - at - 1);
          b = shorter;
        }
        case 4 -> { // insert an element code
          byte[] longer = new byte[b.length + 1];
          System.arraycopy(b, 0, longer, 0, at);
          longer[at] = (byte) (1 + random.nextInt(6));
          System.arraycopy(b, at, longer, at + 1, b.length - at);
          b = longer;
        }
        default -> b[at] = (byte) 0xff; // maximal lengths
      }
    }
    return b;
  }

  private static List<byte[]> seedPackets() {
    ViciMessage sa =
        ViciMessage.empty()
            .putSection(
                "tun",
                ViciMessage.empty()
                    .put("uniqueid", "1")
                    .put("state", "ESTABLISHED")
                    .putList("tasks-active", List.of("IKE_DPD"))
                    .putSection(
                        "child-sas",
                        ViciMessage.empty()
                            .putSection(
                                "c1-1",
                                ViciMessage.empty()
                                    .put("state", "INSTALLED")
                                    .putList("local-ts", List.of("198.51.100.1/32")))));
    List<byte[]> seeds = new ArrayList<>();
    seeds.add(ViciCodec.encodePacket(new ViciPacket(ViciPacketType.EVENT, "list-sa", sa)));
    seeds.add(
        ViciCodec.encodePacket(
            ViciPacket.request("list-sas", ViciMessage.empty().put("noblock", "yes"))));
    seeds.add(ViciCodec.encodePacket(ViciPacket.register("ike-updown")));
    seeds.add(ViciCodec.encodePacket(ViciPacket.of(ViciPacketType.EVENT_CONFIRM)));
    seeds.add(ViciCodec.encodeMessage(sa));
    return seeds;
  }
}
