package dev.ipsec.operator.vici;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ipsec.operator.testing.CharonInstance;
import dev.ipsec.operator.testing.NetnsLab;
import dev.ipsec.operator.testing.RequiresCharon;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * charon's 512 KiB VICI limit holds in both directions: an answer that would be larger is discarded
 * ({@code vici message size N exceeds maximum size of 524288, discarded}) and the command is never
 * answered. {@code get-shared} and {@code get-conns} answer in one message, 3 bytes plus the name
 * per item, so a charon holding enough items cannot answer them: 5,200 shared keys named like the
 * renderer names the secret of a 100-character connection ({@code ike-<name>}, 107 bytes each)
 * already take 556,400 bytes. That is why the agent reads neither: its full load streams {@code
 * list-conns} and needs no {@code get-shared} ({@code agent.LongNamedPeersFullLoadCharonTest}).
 */
@RequiresCharon
class ViciAnswerLimitCharonTest {

  static final int KEYS = 5200;

  @TempDir Path tmp;

  @Test
  void charonDiscardsAGetSharedAnswerAboveFiveHundredTwelveKib() throws Exception {
    try (NetnsLab lab = NetnsLab.create("vl")) {
      String ns = lab.namespace("big");
      try (CharonInstance charon = CharonInstance.in(lab, ns, tmp.resolve("charon")).start();
          ViciClient client = charon.newClient()) {
        for (int i = 0; i < KEYS; i++) {
          client.call(
              "load-shared",
              ViciMessage.empty()
                  .put("id", keyId(i))
                  .put("type", "IKE")
                  .put("data", "psk-" + i)
                  .putList("owners", List.of("peer" + i + ".example")));
        }

        assertThatThrownBy(
                () -> client.call("get-shared", ViciMessage.empty(), Duration.ofSeconds(5)))
            .isInstanceOf(ViciTimeoutException.class);
        assertThat(Files.readString(charon.logFile()))
            .contains("vici message size 556408 exceeds maximum size of 524288, discarded");

        // one key fewer per 107 bytes: below the limit the same command is answered whole
        for (int i = 4800; i < KEYS; i++) {
          client.call("unload-shared", ViciMessage.empty().put("id", keyId(i)));
        }
        assertThat(client.call("get-shared", ViciMessage.empty()).list("keys")).hasSize(4800);
      }
    }
  }

  /** {@code ike-} and a 100-character connection name, the longest the renderer accepts. */
  private static String keyId(int i) {
    String suffix = "-" + i;
    return "ike-" + "c".repeat(100 - suffix.length()) + suffix;
  }
}
