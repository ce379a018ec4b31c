package dev.ipsec.operator.reconcile.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ipsec.operator.api.v1alpha1.Condition;
import dev.ipsec.operator.reconcile.agentstate.GatewayStateStore.GatewayId;
import dev.ipsec.operator.render.FieldError;
import dev.ipsec.operator.volume.PlacementErrors;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LeftOutPeersTest {

  static final GatewayId GW = new GatewayId("vpn", "gw");
  static final FieldError FULL =
      new FieldError("spec.gateway", "no room left", PlacementErrors.GATEWAY_FULL);

  @Test
  void aPlanAnnouncesThePeersWhoseVerdictChanged() {
    LeftOutPeers store = new LeftOutPeers();
    List<PeersChanged> changes = new ArrayList<>();
    store.addListener(changes::add);

    store.put(GW, Map.of("c", FULL));
    assertThat(changes).singleElement().satisfies(c -> assertThat(c.peers()).containsOnly("c"));

    store.put(GW, Map.of("c", FULL));
    assertThat(changes).hasSize(1);

    store.put(GW, Map.of("b", FULL));
    assertThat(changes.get(1).peers()).containsExactly("b", "c");
    assertThat(store.verdict(GW, "b", null)).contains(FULL);
    assertThat(store.verdict(GW, "c", null)).isEmpty();
  }

  @Test
  void theFirstPlanAlsoAnnouncesThePeersThatAnsweredFromTheirOwnStatus() {
    LeftOutPeers store = new LeftOutPeers();
    List<PeersChanged> changes = new ArrayList<>();
    store.addListener(changes::add);
    Condition shown =
        new Condition("Valid", "False", PlacementErrors.GATEWAY_FULL, FULL.toString());
    assertThat(store.verdict(GW, "a", shown)).contains(FULL);
    assertThat(store.verdict(GW, "b", null)).isEmpty();

    store.put(GW, Map.of());
    assertThat(changes).singleElement().satisfies(c -> assertThat(c.peers()).containsOnly("a"));
    assertThat(store.verdict(GW, "a", shown)).isEmpty();
  }

  @Test
  void beforeTheFirstPlanAPeerKeepsTheGatewayFullVerdictItsStatusShows() {
    LeftOutPeers store = new LeftOutPeers();
    Condition shown =
        new Condition("Valid", "False", PlacementErrors.GATEWAY_FULL, FULL.toString());
    assertThat(store.verdict(GW, "c", shown)).contains(FULL);
    Condition invalid = new Condition("Valid", "False", "Invalid", "spec.ikeGroup: missing");
    assertThat(store.verdict(GW, "c", invalid)).isEmpty();
    assertThat(store.verdict(GW, "c", null)).isEmpty();

    store.put(GW, Map.of());
    assertThat(store.verdict(GW, "c", shown)).isEmpty();
    store.forget(GW);
    assertThat(store.of(GW)).isEmpty();
  }
}
