package dev.ipsec.operator.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** The diagnostic names the object written and what of it changed, never a Secret's value. */
class VolumeDifferencesTest {

  static Map<String, Object> object(String kind, String rv, Map<String, Object> rest) {
    var object = new java.util.TreeMap<String, Object>(rest);
    var metadata = new java.util.TreeMap<String, Object>();
    if (rest.get("metadata") instanceof Map<?, ?> m) {
      m.forEach((k, v) -> metadata.put((String) k, v));
    }
    metadata.put("resourceVersion", rv);
    object.put("kind", kind);
    object.put("metadata", metadata);
    return object;
  }

  @Test
  void namesTheObjectAndTheFieldsThatChanged() {
    var before =
        Map.of(
            "IpsecPeer/a",
            object("IpsecPeer", "1", Map.of("status", Map.of("observedGeneration", 1))),
            "Secret/psk",
            object("Secret", "2", Map.of("data", Map.of("psk", "c2VjcmV0LXZhbHVl"))));
    var after =
        Map.of(
            "IpsecPeer/a",
            object("IpsecPeer", "3", Map.of("status", Map.of("observedGeneration", 2))),
            "Secret/psk",
            object(
                "Secret",
                "4",
                Map.of(
                    "metadata",
                    Map.of("labels", Map.of("ipsec.dev/referenced", "true")),
                    "data",
                    Map.of("psk", "b3RoZXItdmFsdWUtbG9uZ2Vy"))),
            "Event/a.1",
            object(
                "Event",
                "5",
                Map.of(
                    "type",
                    "Normal",
                    "reason",
                    "Valid",
                    "message",
                    "the peer is valid",
                    "involvedObject",
                    Map.of("kind", "IpsecPeer", "name", "a"))));

    String report = VolumeDifferences.objects(before, after);

    assertThat(report)
        .contains("IpsecPeer/a resourceVersion 1 -> 3: status.observedGeneration: 1 -> 2")
        .contains("Secret/psk resourceVersion 2 -> 4")
        .contains("metadata.labels: null -> {ipsec.dev/referenced=true}")
        .contains("data.psk: 16 characters -> 24 characters")
        .contains("Event/a.1 created: Normal Valid about IpsecPeer/a: the peer is valid")
        .doesNotContain("c2VjcmV0LXZhbHVl")
        .doesNotContain("b3RoZXItdmFsdWUtbG9uZ2Vy");
  }

  @Test
  void aWriteThatChangedNothingButTheVersionSaysSo() {
    var before = Map.of("IpsecGlobal/gw", object("IpsecGlobal", "7", Map.of("spec", Map.of())));
    var after = Map.of("IpsecGlobal/gw", object("IpsecGlobal", "8", Map.of("spec", Map.of())));

    assertThat(VolumeDifferences.objects(before, after))
        .isEqualTo("IpsecGlobal/gw resourceVersion 7 -> 8: nothing else changed");
    assertThat(VolumeDifferences.objects(before, before)).isEqualTo("no object changed");
  }

  @Test
  void aSecretBodyRecordedKeepsOnlyTheLengthsOfItsValues() {
    String body =
        "{\"metadata\":{\"name\":\"psk\"},\"data\":{\"psk\":\"c2VjcmV0LXZhbHVl\"},"
            + "\"stringData\":{\"k\":\"plain-secret\"}}";

    String recorded = WriteRecorder.withoutSecretValues(body);

    assertThat(recorded)
        .contains("\"psk\":\"<16 characters>\"")
        .contains("\"k\":\"<12 characters>\"")
        .doesNotContain("c2VjcmV0LXZhbHVl")
        .doesNotContain("plain-secret");
  }
}
