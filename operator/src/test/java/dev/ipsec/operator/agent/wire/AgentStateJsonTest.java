package dev.ipsec.operator.agent.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ipsec.operator.agent.wire.StateSnapshot.ChildSaState;
import dev.ipsec.operator.agent.wire.StateSnapshot.ConnectionState;
import dev.ipsec.operator.agent.wire.StateSnapshot.DpdAction;
import dev.ipsec.operator.agent.wire.StateSnapshot.DpdOutcome;
import dev.ipsec.operator.agent.wire.StateSnapshot.DpdState;
import dev.ipsec.operator.agent.wire.StateSnapshot.FailureReason;
import dev.ipsec.operator.agent.wire.StateSnapshot.FailureState;
import dev.ipsec.operator.agent.wire.StateSnapshot.IkeSaState;
import dev.ipsec.operator.agent.wire.StateSnapshot.RekeyState;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** The state document through the one codec the agent writes and the operator reads with. */
class AgentStateJsonTest {

  static final Instant T = Instant.parse("2026-11-26T23:26:52.940156047Z");

  static AgentStateDocument document() {
    LoaderStatus loader =
        new LoaderStatus(
            "r42",
            T,
            1,
            List.of(
                new LoaderStatus.Connection("peer-b", true, "9f2c", true, null),
                new LoaderStatus.Connection(
                    "peer-c", false, null, false, "/etc/swanctl/conf.d/peer-c.conf:4: oops")),
            List.of("ike-peer-b"),
            Map.of("ike-peer-c", "refused"),
            Map.of("private/peer-b.pem", "unparsable"),
            List.of("/etc/swanctl/swanctl.conf:9: oops"),
            List.of("/etc/swanctl/conf.d/peer-c.conf"),
            null,
            List.of());
    CharonStatus charon =
        new CharonStatus(
            true,
            T,
            "5.9.8",
            "Nov 26 23:30:00 2026",
            2,
            true,
            Map.of(
                "dh",
                new TreeSet<>(List.of("CURVE_25519", "MODP_2048")),
                "aead",
                new TreeSet<>(List.of("AES_GCM_16"))));
    ConnectionState peerB =
        new ConnectionState(
            new IkeSaState(
                "ESTABLISHED",
                2,
                7,
                "192.0.2.1",
                "a.test",
                "192.0.2.2",
                "b.test",
                "3235a8ebbe6bf707",
                "6581fcdeed816cfb",
                "AES_CBC-128/HMAC_SHA2_256_128/PRF_HMAC_SHA2_256/CURVE_25519",
                T,
                T.plusSeconds(14000),
                null),
            Map.of(
                "peer-b-tunnel-1",
                new ChildSaState(
                    "INSTALLED",
                    9,
                    "TUNNEL",
                    "ESP",
                    true,
                    "0966158c",
                    "4d142d86",
                    "AES_GCM_16-128",
                    T,
                    T.plusSeconds(3300),
                    T.plusSeconds(3600),
                    List.of("198.51.100.1/32"),
                    List.of("203.0.113.1/32"))),
            1,
            new DpdState(
                DpdOutcome.PEER_DEAD,
                T.minusSeconds(60),
                DpdAction.RESTART,
                1,
                T.minusSeconds(600)),
            new RekeyState(1, T.minusSeconds(30), 2, T.minusSeconds(10), T.minusSeconds(600)),
            new FailureState(
                FailureReason.PEER_NOT_RESPONDING, "peer not responding", T.minusSeconds(50)));
    StateSnapshot sas = new StateSnapshot(7, T, Map.of("peer-b", peerB));
    return AgentStateDocument.of(12, new AgentState(loader, null, charon, sas));
  }

  static byte[] bytes(ObjectNode tree) {
    return tree.toString().getBytes(StandardCharsets.UTF_8);
  }

  static ObjectNode tree(AgentStateDocument document) {
    return AgentStateJson.mapper().valueToTree(document);
  }

  @Test
  void whatTheAgentWritesTheOperatorReadsBackUnchanged() throws IOException {
    AgentStateDocument written = document();
    String json = AgentStateJson.write(written);
    assertThat(AgentStateJson.read(json.getBytes(StandardCharsets.UTF_8))).isEqualTo(written);
    assertThat(json)
        .startsWith("{\n  \"schemaVersion\" : 1,\n  \"revision\" : 12,")
        .contains(
            "\"lastDetectedAt\" : \"2026-11-26T23:25:52.940156047Z\"",
            "\"actionTaken\" : \"RESTART\"")
        .doesNotContain("readError");
  }

  @Test
  void aDocumentOfAnotherSchemaIsRefusedWithItsVersion() {
    ObjectNode later = tree(document());
    later.put("schemaVersion", 3);
    assertThatThrownBy(() -> AgentStateJson.read(bytes(later)))
        .isInstanceOfSatisfying(
            UnsupportedStateSchemaException.class, e -> assertThat(e.found()).isEqualTo(3))
        .hasMessage("the state document is of schema 3; this code reads schema 1");
  }

  @Test
  void theVersionIsLookedAtBeforeAnythingIsBound() {
    // a later schema may reshape anything: the refusal names the version, not what fails to bind
    ObjectNode reshaped = tree(document());
    reshaped.put("schemaVersion", 2);
    reshaped.put("state", "now a string");
    assertThatThrownBy(() -> AgentStateJson.read(bytes(reshaped)))
        .isInstanceOfSatisfying(
            UnsupportedStateSchemaException.class, e -> assertThat(e.found()).isEqualTo(2));
  }

  @Test
  void aDocumentWithoutSchemaVersionIsRefused() {
    ObjectNode unversioned = tree(document());
    unversioned.remove("schemaVersion");
    assertThatThrownBy(() -> AgentStateJson.read(bytes(unversioned)))
        .isInstanceOfSatisfying(
            UnsupportedStateSchemaException.class,
            e -> assertThat(e.found()).isEqualTo(AgentStateJson.NO_SCHEMA))
        .hasMessageStartingWith("the state document has no schema version");
  }

  @Test
  void aFieldAddedWithinTheSchemaIsIgnored() throws IOException {
    ObjectNode extended = tree(document());
    ((ObjectNode) extended.get("state").get("charon")).put("kernel", "6.1");
    assertThat(AgentStateJson.read(bytes(extended))).isEqualTo(document());
  }

  @Test
  void aDocumentWithoutAPartEveryAgentWritesIsNoStateDocument() {
    ObjectNode withoutLoader = tree(document());
    ((ObjectNode) withoutLoader.get("state")).remove("loader");
    assertThatThrownBy(() -> AgentStateJson.read(bytes(withoutLoader)))
        .isInstanceOf(IOException.class)
        .isNotInstanceOf(UnsupportedStateSchemaException.class)
        .hasMessageContaining("loader");
  }
}
