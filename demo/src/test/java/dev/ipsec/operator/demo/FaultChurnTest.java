package dev.ipsec.operator.demo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ipsec.operator.demo.ChaosFault.Visibility;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Which writes and Events of a fault are churn (docs/reliability.md, "demo --chaos"). */
class FaultChurnTest {

  private static final ApiRequest PEER_STATUS =
      new ApiRequest(
          ApiRequest.REQUEST, "patch", "ipsec.dev", "ipsecpeers/status", "default", "a", "", "x");
  private static final ApiRequest GATEWAY_STATUS =
      new ApiRequest(
          ApiRequest.REQUEST,
          "update",
          "ipsec.dev",
          "ipsecglobals/status",
          "default",
          "gw",
          "",
          "");

  @Test
  void forAFaultUsersMustNotSeeEveryWriteEventAndFlipIsChurn() {
    List<String> churn =
        FaultChurn.of(
            Visibility.NOTHING,
            List.of(PEER_STATUS, PEER_STATUS, GATEWAY_STATUS),
            List.of(event("TunnelUp", "a")),
            Map.of(
                "ipsecpeers/a", List.of("True", "False", "True"), "ipsecpeers/b", List.of("True")),
            Map.of("ipsecpeers/a", 2, "ipsecglobals/gw", 1));

    assertThat(churn)
        .containsExactly(
            "status of ipsecglobals/gw 1x",
            "status of ipsecpeers/a 2x",
            "Event TunnelUp on a",
            "ipsecpeers/a Ready True->False->True");
  }

  @Test
  void forAFaultUsersMustNotSeeNothingWrittenIsNoChurn() {
    assertThat(
            FaultChurn.of(
                Visibility.NOTHING,
                List.of(),
                List.of(),
                Map.of("ipsecpeers/a", List.of("True")),
                Map.of()))
        .isEmpty();
  }

  @Test
  void aRealOutageMayGoDownAndUpOnceWithOneEventOfEachReason() {
    assertThat(
            FaultChurn.of(
                Visibility.ONE_OUTAGE,
                List.of(PEER_STATUS, PEER_STATUS, GATEWAY_STATUS),
                List.of(event("TunnelDown", "a"), event("TunnelUp", "a"), event("TunnelUp", "b")),
                Map.of("ipsecpeers/a", List.of("True", "False", "True")),
                Map.of("ipsecpeers/a", 2, "ipsecglobals/gw", 1)))
        .isEmpty();
  }

  @Test
  void aRealOutageThatFlapsRepeatsAnEventOrWritesWhatWasThereIsChurn() {
    List<String> churn =
        FaultChurn.of(
            Visibility.ONE_OUTAGE,
            List.of(PEER_STATUS, PEER_STATUS, PEER_STATUS, GATEWAY_STATUS),
            List.of(event("TunnelDown", "a"), event("TunnelUp", "a"), event("TunnelDown", "a")),
            Map.of("ipsecpeers/a", List.of("True", "False", "True", "False", "True")),
            // the watch saw 1 of the gateway's status writes change nothing: 0 changes
            Map.of("ipsecpeers/a", 3));

    assertThat(churn)
        .containsExactly(
            "1 status writes of ipsecglobals/gw changed nothing",
            "ipsecpeers/a Ready flapped True->False->True->False->True",
            "Event TunnelDown on a 2x");
  }

  @Test
  void onlyStatusWritesOfIpsecKindsAndEventWritesAreCounted() {
    assertThat(ChaosRun.isStatusWrite(PEER_STATUS)).isTrue();
    assertThat(ChaosRun.isStatusWrite(GATEWAY_STATUS)).isTrue();
    assertThat(
            ChaosRun.isStatusWrite(
                new ApiRequest(
                    ApiRequest.REQUEST, "update", "", "pods/status", "default", "p", "", "")))
        .as("the kubelet's pod status")
        .isFalse();
    assertThat(
            ChaosRun.isStatusWrite(
                new ApiRequest(
                    ApiRequest.REQUEST, "get", "ipsec.dev", "ipsecpeers/status", "d", "a", "", "")))
        .isFalse();
    assertThat(
            ChaosRun.isEventWrite(
                new ApiRequest(ApiRequest.REQUEST, "create", "", "events", "d", "e", "", "")))
        .isTrue();
    assertThat(
            ChaosRun.isEventWrite(
                new ApiRequest(ApiRequest.REQUEST, "list", "", "events", "d", "", "", "")))
        .isFalse();
  }

  private static Event event(String reason, String object) {
    return new EventBuilder()
        .withReason(reason)
        .withNewInvolvedObject()
        .withName(object)
        .endInvolvedObject()
        .build();
  }
}
