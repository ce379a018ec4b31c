package dev.ipsec.operator.reconcile;

import static dev.ipsec.operator.reconcile.OperatorHarness.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ipsec.operator.api.v1alpha1.Condition;
import dev.ipsec.operator.api.v1alpha1.EspGroup;
import dev.ipsec.operator.api.v1alpha1.IkeGroup;
import dev.ipsec.operator.api.v1alpha1.IpsecPeer;
import dev.ipsec.operator.api.v1alpha1.Pfs;
import dev.ipsec.operator.reconcile.status.Conditions;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** IkeGroup and EspGroup through the real operator on the mock API server. */
public class CryptoGroupReconcilerTest {

  OperatorHarness k8s;

  @BeforeEach
  void start() {
    k8s = new OperatorHarness().start();
  }

  @AfterEach
  void stop() {
    k8s.close();
  }

  @Test
  void validIkeGroupReportsItsProposalsAndUsers() {
    k8s.create(TestResources.ikeGroup("ike", 14));
    eventually(
        () -> {
          IkeGroup g =
              k8s.client.resources(IkeGroup.class).inNamespace("vpn").withName("ike").get();
          assertThat(g.getStatus()).isNotNull();
          assertThat(g.getStatus().getObservedGeneration())
              .isEqualTo(g.getMetadata().getGeneration());
          assertThat(g.getStatus().getProposals()).isEqualTo("aes256-sha256-modp2048");
          assertThat(g.getStatus().getUsedBy()).isZero();
          assertThat(condition(g.getStatus().getConditions(), "Valid").getStatus())
              .isEqualTo("True");
        });

    k8s.create(TestResources.pskPeer("a", "gw", "ike", "esp", "psk", 1));
    k8s.create(TestResources.pskPeer("b", "gw", "ike", "esp", "psk", 2));
    eventually(
        () ->
            assertThat(
                    k8s.client
                        .resources(IkeGroup.class)
                        .inNamespace("vpn")
                        .withName("ike")
                        .get()
                        .getStatus()
                        .getUsedBy())
                .isEqualTo(2));
  }

  @Test
  void groupsAPeerLeavesCountItNoMore() {
    k8s.create(TestResources.ikeGroup("ike-one", 14));
    k8s.create(TestResources.ikeGroup("ike-two", 14));
    k8s.create(TestResources.espGroup("esp-one"));
    k8s.create(TestResources.espGroup("esp-two"));
    k8s.create(TestResources.pskPeer("a", "gw", "ike-one", "esp-one", "psk", 1));
    k8s.create(TestResources.pskPeer("b", "gw", "ike-one", "esp-one", "psk", 2));
    eventually(
        () -> {
          assertThat(usedBy(IkeGroup.class, "ike-one")).isEqualTo(2);
          assertThat(usedBy(EspGroup.class, "esp-one")).isEqualTo(2);
          assertThat(usedBy(IkeGroup.class, "ike-two")).isZero();
        });

    // a moves to the other groups: both old groups count one peer, both new ones one
    IpsecPeer a = k8s.client.resources(IpsecPeer.class).inNamespace("vpn").withName("a").get();
    a.getSpec().setIkeGroup("ike-two");
    a.getSpec().setDefaultEspGroup("esp-two");
    k8s.client.resource(a).update();
    eventually(
        () -> {
          assertThat(usedBy(IkeGroup.class, "ike-one")).isEqualTo(1);
          assertThat(usedBy(IkeGroup.class, "ike-two")).isEqualTo(1);
          assertThat(usedBy(EspGroup.class, "esp-one")).isEqualTo(1);
          assertThat(usedBy(EspGroup.class, "esp-two")).isEqualTo(1);
        });

    // b is deleted: its groups count nobody
    k8s.client.resources(IpsecPeer.class).inNamespace("vpn").withName("b").delete();
    eventually(
        () -> {
          assertThat(usedBy(IkeGroup.class, "ike-one")).isZero();
          assertThat(usedBy(EspGroup.class, "esp-one")).isZero();
        });
  }

  <
          G extends
              io.fabric8.kubernetes.client.CustomResource<
                      ?, dev.ipsec.operator.api.v1alpha1.CryptoGroupStatus>>
      Integer usedBy(Class<G> type, String name) {
    G group = k8s.client.resources(type).inNamespace("vpn").withName(name).get();
    assertThat(group.getStatus()).isNotNull();
    return group.getStatus().getUsedBy();
  }

  @Test
  void invalidGroupGetsAFalseValidConditionNamingTheField() {
    IkeGroup g = TestResources.ikeGroup("aggr", 14);
    g.getSpec().setMode(dev.ipsec.operator.api.v1alpha1.IkeMode.AGGRESSIVE);
    k8s.create(g);
    eventually(
        () -> {
          IkeGroup got =
              k8s.client.resources(IkeGroup.class).inNamespace("vpn").withName("aggr").get();
          Condition valid = condition(got.getStatus().getConditions(), "Valid");
          assertThat(valid.getStatus()).isEqualTo("False");
          assertThat(valid.getMessage()).contains("spec.mode");
          assertThat(got.getStatus().getProposals()).isNull();
        });
  }

  @Test
  void aGroupTurningInvalidIsToldOnceAndItsRecoveryToo() {
    IkeGroup g = TestResources.ikeGroup("turning", 14);
    k8s.create(g);
    eventually(() -> assertThat(validOf("turning")).isEqualTo("True"));

    IkeGroup invalid =
        k8s.client.resources(IkeGroup.class).inNamespace("vpn").withName("turning").get();
    invalid.getSpec().setMode(dev.ipsec.operator.api.v1alpha1.IkeMode.AGGRESSIVE);
    k8s.client.resource(invalid).update();
    eventually(
        () ->
            assertThat(groupEvents("InvalidProposals"))
                .singleElement()
                .satisfies(
                    e -> {
                      assertThat(e.getType()).isEqualTo("Warning");
                      assertThat(e.getMessage()).contains("spec.mode").contains("used by 0 peers");
                      assertThat(e.getInvolvedObject().getName()).isEqualTo("turning");
                    }));

    IkeGroup fixed =
        k8s.client.resources(IkeGroup.class).inNamespace("vpn").withName("turning").get();
    fixed.getSpec().setMode(dev.ipsec.operator.api.v1alpha1.IkeMode.MAIN);
    k8s.client.resource(fixed).update();
    eventually(() -> assertThat(groupEvents("Valid")).hasSize(1));
    assertThat(groupEvents("InvalidProposals")).hasSize(1);
  }

  private String validOf(String name) {
    IkeGroup got = k8s.client.resources(IkeGroup.class).inNamespace("vpn").withName(name).get();
    return got.getStatus() == null
        ? null
        : condition(got.getStatus().getConditions(), "Valid").getStatus();
  }

  private List<io.fabric8.kubernetes.api.model.Event> groupEvents(String reason) {
    return k8s.client.v1().events().inNamespace("vpn").list().getItems().stream()
        .filter(e -> reason.equals(e.getReason()))
        .filter(e -> "IkeGroup".equals(e.getInvolvedObject().getKind()))
        .toList();
  }

  @Test
  void espGroupShowsInheritedOrExplicitPfs() {
    k8s.create(TestResources.espGroup("inherit"));
    EspGroup explicit = TestResources.espGroup("explicit");
    explicit.getSpec().setPfs(Pfs.valueOf("DH_GROUP14"));
    k8s.create(explicit);
    eventually(
        () -> {
          assertThat(
                  k8s.client
                      .resources(EspGroup.class)
                      .inNamespace("vpn")
                      .withName("inherit")
                      .get()
                      .getStatus()
                      .getProposals())
              .isEqualTo("aes256-sha256-<ike-group>");
          assertThat(
                  k8s.client
                      .resources(EspGroup.class)
                      .inNamespace("vpn")
                      .withName("explicit")
                      .get()
                      .getStatus()
                      .getProposals())
              .isEqualTo("aes256-sha256-modp2048");
        });
  }

  public static Condition condition(List<Condition> conditions, String type) {
    Condition c = Conditions.find(conditions, type);
    assertThat(c).as("condition " + type).isNotNull();
    return c;
  }
}
