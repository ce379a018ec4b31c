package dev.ipsec.operator.reconcile.agentstate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ipsec.operator.agent.wire.LoaderStatus;
import dev.ipsec.operator.api.v1alpha1.Condition;
import dev.ipsec.operator.api.v1alpha1.GatewayPodStatus;
import dev.ipsec.operator.api.v1alpha1.IpsecGlobalStatus;
import dev.ipsec.operator.reconcile.CryptoGroupReconcilerTest;
import dev.ipsec.operator.reconcile.ownership.NameConflict;
import dev.ipsec.operator.reconcile.ownership.NameConflicts;
import dev.ipsec.operator.reconcile.status.GatewayEvents;
import dev.ipsec.operator.reconcile.status.GatewayEvents.GatewayEvent;
import dev.ipsec.operator.reconcile.status.GatewayStatusBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * What a gateway's status says about its agents' pending revisions and ignored files, and about
 * names taken by objects that are not the operator's: the agent's records through the JSON the
 * operator reads, the status builder and the transition Events.
 */
class GatewayStatusOfPendingConfigTest {

  static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-06T00:00:00Z"), ZoneOffset.UTC);
  static final String POD = "gw-gateway-0";

  static AgentReport report(LoaderStatus.ConfigPending pending, List<String> ignored)
      throws IOException {
    LoaderStatus loader =
        new LoaderStatus(
            "r1",
            AgentDocuments.NOW,
            1,
            List.of(AgentDocuments.loaded("alpha")),
            List.of(),
            Map.of(),
            Map.of(),
            List.of(),
            List.of(),
            pending,
            ignored);
    // through the bytes the agent serves, as the operator reads them
    return AgentReports.read(POD, AgentDocuments.json(AgentDocuments.withoutSas(3, loader)));
  }

  static LoaderStatus.ConfigPending pending() {
    return new LoaderStatus.ConfigPending(
        "r2",
        Instant.parse("2026-12-05T23:58:00.123Z"),
        List.of("conf.d/beta.conf"),
        List.of("secrets.d/alpha.conf"),
        "2 files of revision r2 are missing or do not match the manifest");
  }

  static Pod pod() {
    return new PodBuilder()
        .withNewMetadata()
        .withName(POD)
        .endMetadata()
        .withNewStatus()
        .addNewCondition()
        .withType("Ready")
        .withStatus("True")
        .endCondition()
        .endStatus()
        .build();
  }

  static IpsecGlobalStatus status(
      IpsecGlobalStatus previous, AgentReport report, NameConflicts conflicts) {
    return GatewayStatusBuilder.build(
        previous,
        1L,
        List.of(),
        0,
        1,
        List.of(pod()),
        List.of(report),
        1,
        0,
        "r1",
        conflicts,
        GatewayStatusBuilder.Rollout.unhindered("Deployment"),
        CLOCK);
  }

  static Condition condition(IpsecGlobalStatus s, String type) {
    return CryptoGroupReconcilerTest.condition(s.getConditions(), type);
  }

  @Test
  void thePendingRevisionAndTheIgnoredFilesReachThePodsStatus() throws IOException {
    AgentReport report = report(pending(), List.of("conf.d/stray.conf"));
    IpsecGlobalStatus s = status(null, report, new NameConflicts());
    GatewayPodStatus pod = s.getPods().get(0);
    assertThat(pod.getIgnoredFiles()).containsExactly("conf.d/stray.conf");
    assertThat(pod.getPending().getRevision()).isEqualTo("r2");
    assertThat(pod.getPending().getSince()).isEqualTo("2026-12-05T23:58:00Z");
    assertThat(pod.getPending().getMissingFiles()).containsExactly("conf.d/beta.conf");
    assertThat(pod.getPending().getMismatchedFiles()).containsExactly("secrets.d/alpha.conf");

    Condition loaded = condition(s, "ConfigLoaded");
    assertThat(loaded.getStatus()).isEqualTo("False");
    assertThat(loaded.getReason()).isEqualTo("ConfigPending");
    assertThat(loaded.getMessage())
        .contains("pod " + POD + ": revision r2 pending")
        .contains("missing conf.d/beta.conf")
        .contains("not matching its manifest secrets.d/alpha.conf");
  }

  @Test
  void aPendingRevisionIsAnEventOncePerTransition() throws IOException {
    IpsecGlobalStatus loaded = status(null, report(null, List.of()), new NameConflicts());
    assertThat(condition(loaded, "ConfigLoaded").getReason()).isEqualTo("Loaded");
    IpsecGlobalStatus pending = status(loaded, report(pending(), List.of()), new NameConflicts());
    assertThat(GatewayEvents.between(loaded, pending))
        .extracting(GatewayEvent::reason)
        .containsExactly("ConfigPending");
    IpsecGlobalStatus still = status(pending, report(pending(), List.of()), new NameConflicts());
    assertThat(GatewayEvents.between(pending, still)).isEmpty();
  }

  @Test
  void longFileListsAreCutInTheMessageButNotInThePodsStatus() throws IOException {
    List<String> missing =
        List.of(
            "conf.d/a.conf",
            "conf.d/b.conf",
            "conf.d/c.conf",
            "conf.d/d.conf",
            "conf.d/e.conf",
            "conf.d/f.conf",
            "conf.d/g.conf");
    AgentReport report =
        report(new LoaderStatus.ConfigPending("r2", null, missing, List.of(), null), List.of());
    IpsecGlobalStatus s = status(null, report, new NameConflicts());
    assertThat(s.getPods().get(0).getPending().getMissingFiles()).hasSize(7);
    assertThat(condition(s, "ConfigLoaded").getMessage())
        .contains("conf.d/e.conf and 2 more")
        .doesNotContain("conf.d/f.conf");
  }

  @Test
  void nameConflictsAreAConditionAndAnEventOncePerChange() throws IOException {
    AgentReport report = report(null, List.of());
    IpsecGlobalStatus owned = status(null, report, new NameConflicts());
    assertThat(condition(owned, "ObjectsOwned").getStatus()).isEqualTo("True");

    NameConflicts conflicts = new NameConflicts();
    conflicts.add(new NameConflict("ConfigMap", "gw-config-17", "not labelled"));
    IpsecGlobalStatus conflict = status(owned, report, conflicts);
    Condition c = condition(conflict, "ObjectsOwned");
    assertThat(c.getStatus()).isEqualTo("False");
    assertThat(c.getReason()).isEqualTo("NameConflict");
    assertThat(c.getMessage()).startsWith("ConfigMap gw-config-17 (not labelled)");
    assertThat(GatewayEvents.between(owned, conflict))
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.type()).isEqualTo("Warning");
              assertThat(e.reason()).isEqualTo("NameConflict");
              assertThat(e.message()).contains("ConfigMap gw-config-17");
            });
    assertThat(GatewayEvents.between(conflict, status(conflict, report, conflicts))).isEmpty();

    NameConflicts more = new NameConflicts();
    more.add(new NameConflict("ConfigMap", "gw-config-17", "not labelled"));
    more.add(new NameConflict("ConfigMap", "gw-strongswan", "of gateway other"));
    more.holdBack(
        "Deployment gw-gateway",
        Set.of(new NameConflicts.ObjectName("ConfigMap", "gw-strongswan")));
    IpsecGlobalStatus worse = status(conflict, report, more);
    assertThat(condition(worse, "ObjectsOwned").getMessage())
        .contains("ConfigMap gw-strongswan (of gateway other)")
        .contains("the Deployment gw-gateway is not written");
    assertThat(GatewayEvents.between(conflict, worse))
        .extracting(GatewayEvent::reason)
        .containsExactly("NameConflict");

    IpsecGlobalStatus resolved = status(worse, report, new NameConflicts());
    assertThat(GatewayEvents.between(worse, resolved))
        .extracting(GatewayEvent::reason, GatewayEvent::type)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("NameConflictResolved", "Normal"));
  }
}
