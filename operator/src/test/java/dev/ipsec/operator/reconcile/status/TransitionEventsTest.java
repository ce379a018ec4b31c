package dev.ipsec.operator.reconcile.status;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ipsec.operator.api.v1alpha1.Condition;
import dev.ipsec.operator.api.v1alpha1.CryptoGroupStatus;
import dev.ipsec.operator.api.v1alpha1.GatewayPodStatus;
import dev.ipsec.operator.api.v1alpha1.IpsecGlobalStatus;
import dev.ipsec.operator.reconcile.status.CryptoGroupEvents.GroupEvent;
import dev.ipsec.operator.reconcile.status.GatewayEvents.GatewayEvent;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The Events of charon's refusals on a gateway, and of a crypto group turning invalid and valid:
 * once per transition, never for a status that says the same again.
 */
class TransitionEventsTest {

  @Test
  void charonRefusingItemsIsToldOncePerChangeAndItsEndOnce() {
    IpsecGlobalStatus clean = gateway(List.of());
    IpsecGlobalStatus refusing = gateway(List.of("connection site-b: unsupported proposal"));
    IpsecGlobalStatus refusingMore =
        gateway(List.of("connection site-b: unsupported proposal", "secret site-c-psk: bad id"));

    assertThat(GatewayEvents.between(clean, refusing))
        .containsExactly(
            new GatewayEvent(
                EventRecorder.WARNING,
                GatewayEvents.CONFIG_REJECTED,
                "pod gw-0: charon refuses connection site-b: unsupported proposal"));
    assertThat(GatewayEvents.between(refusing, gateway(refusing.getPods().get(0).getLoadErrors())))
        .as("the same refusal again")
        .isEmpty();
    assertThat(GatewayEvents.between(refusing, refusingMore))
        .extracting(GatewayEvent::reason)
        .containsExactly(GatewayEvents.CONFIG_REJECTED);
    assertThat(GatewayEvents.between(refusingMore, clean))
        .extracting(GatewayEvent::type, GatewayEvent::reason)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(EventRecorder.NORMAL, "ConfigAccepted"));
    assertThat(GatewayEvents.between(clean, clean)).isEmpty();
  }

  @Test
  void aGroupTurningInvalidSaysWhyAndHowManyPeersItConcerns() {
    CryptoGroupStatus valid =
        group("True", "the group is valid", "aes256gcm16-prfsha256-ecp256", 3);
    CryptoGroupStatus invalid = group("False", "spec.mode: aggressive needs ikev1", null, 3);

    assertThat(CryptoGroupEvents.between(valid, invalid))
        .containsExactly(
            new GroupEvent(
                EventRecorder.WARNING,
                CryptoGroupEvents.INVALID_PROPOSALS,
                "spec.mode: aggressive needs ikev1; used by 3 peers: they keep running their last"
                    + " valid configuration"));
    assertThat(CryptoGroupEvents.between(invalid, invalid)).isEmpty();
    assertThat(CryptoGroupEvents.between(invalid, valid))
        .containsExactly(
            new GroupEvent(
                EventRecorder.NORMAL,
                "Valid",
                "the group is valid again (aes256gcm16-prfsha256-ecp256); used by 3 peers"));
    assertThat(CryptoGroupEvents.between(null, valid)).as("a new valid group").isEmpty();
    assertThat(CryptoGroupEvents.between(null, group("False", "spec.x: y", null, 1)))
        .extracting(GroupEvent::message)
        .containsExactly(
            "spec.x: y; used by 1 peer: they keep running their last valid configuration");
  }

  private static IpsecGlobalStatus gateway(List<String> loadErrors) {
    GatewayPodStatus pod = new GatewayPodStatus();
    pod.setName("gw-0");
    pod.setLoadErrors(List.copyOf(loadErrors));
    IpsecGlobalStatus status = new IpsecGlobalStatus();
    status.setPods(List.of(pod));
    return status;
  }

  private static CryptoGroupStatus group(
      String valid, String message, String proposals, int usedBy) {
    CryptoGroupStatus status = new CryptoGroupStatus();
    Condition condition =
        new Condition("Valid", valid, "True".equals(valid) ? "Valid" : "Invalid", message);
    status.setConditions(List.of(condition));
    status.setProposals(proposals);
    status.setUsedBy(usedBy);
    return status;
  }
}
