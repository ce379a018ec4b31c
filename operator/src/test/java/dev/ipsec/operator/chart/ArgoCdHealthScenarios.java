package dev.ipsec.operator.chart;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ipsec.operator.api.v1alpha1.ChildSaStatus;
import dev.ipsec.operator.api.v1alpha1.IkeSaStatus;
import dev.ipsec.operator.api.v1alpha1.IpsecGlobalStatus;
import dev.ipsec.operator.reconcile.agentstate.AgentReport;
import dev.ipsec.operator.reconcile.agentstate.PeerObservation;
import dev.ipsec.operator.reconcile.ownership.NameConflicts;
import dev.ipsec.operator.reconcile.ownership.WriteFailure;
import dev.ipsec.operator.reconcile.ownership.WriteFailures;
import dev.ipsec.operator.reconcile.status.CryptoGroupStatusBuilder;
import dev.ipsec.operator.reconcile.status.GatewayStatusBuilder;
import dev.ipsec.operator.reconcile.status.PeerStatusBuilder;
import dev.ipsec.operator.reconcile.status.PodFailures;
import dev.ipsec.operator.reconcile.status.RunningConfig;
import dev.ipsec.operator.render.FieldError;
import dev.ipsec.operator.render.RenderedGateway.RenderedConnection;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The resources the ArgoCD health check is tested against, one per named scenario, each with the
 * health ArgoCD should show. Their status is what the operator's real status builders produce for
 * that scenario, so the Lua is tested against what the operator writes, not against what someone
 * believes it writes. The expected health is written here by hand: it is the specification the
 * script is held to. {@link ArgoCdHealthFiles} writes them out in ArgoCD's test layout.
 */
final class ArgoCdHealthScenarios {

  static final String API_VERSION = "ipsec.dev/v1alpha1";
  static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-26T10:00:00Z"), ZoneOffset.UTC);

  /** The health ArgoCD must show for {@code resource}, tested from {@code testdata/<name>.yaml}. */
  record Scenario(String kind, String name, String status, String message, JsonNode resource) {}

  private static final KubernetesSerialization K8S = new KubernetesSerialization();
  private static final ObjectMapper JSON = new ObjectMapper();

  private static final String GATEWAY = "gateway";
  private static final String DEPLOYMENT = "gateway-gateway";
  private static final String POD = "gateway-gateway-7c9d-abcde";

  private ArgoCdHealthScenarios() {}

  static List<Scenario> all() {
    List<Scenario> all = new ArrayList<>();
    all.addAll(cryptoGroups("IkeGroup"));
    all.addAll(cryptoGroups("EspGroup"));
    all.addAll(peers());
    all.addAll(gateways());
    return all;
  }

  // ---- IkeGroup, EspGroup -------------------------------------------------------------------

  private static List<Scenario> cryptoGroups(String kind) {
    String proposal = kind.equals("IkeGroup") ? "aes256gcm16-prfsha384-ecp384" : "aes256gcm16";
    return List.of(
        new Scenario(
            kind,
            "valid",
            "Healthy",
            "the group is valid",
            resource(
                kind,
                "strong",
                2,
                CryptoGroupStatusBuilder.build(null, 2L, List.of(), proposal, 1, CLOCK))),
        new Scenario(
            kind,
            "invalid",
            "Degraded",
            "spec.proposals[0].prf: required with a GMAC cipher",
            resource(
                kind,
                "broken",
                3,
                CryptoGroupStatusBuilder.build(
                    null,
                    3L,
                    List.of(new FieldError("spec.proposals[0].prf", "required with a GMAC cipher")),
                    null,
                    0,
                    CLOCK))),
        // the operator wrote the status of generation 2; the spec is at 3 and not processed yet
        new Scenario(
            kind,
            "not-observed",
            "Progressing",
            "Waiting for the operator to observe generation 3",
            resource(
                kind,
                "strong",
                3,
                CryptoGroupStatusBuilder.build(null, 2L, List.of(), proposal, 1, CLOCK))),
        // just created: the operator has not written any status yet
        new Scenario(
            kind,
            "no-status",
            "Progressing",
            "Waiting for the operator to observe generation 1",
            resource(kind, "new", 1, null)));
  }

  // ---- IpsecPeer ----------------------------------------------------------------------------

  private static final RenderedConnection BRANCH =
      new RenderedConnection("branch", List.of("branch-tunnel-1"), List.of());
  private static final RenderedConnection BRANCH_TWO_TUNNELS =
      new RenderedConnection("branch", List.of("branch-tunnel-1", "branch-tunnel-2"), List.of());
  private static final List<FieldError> DUPLICATE_ID =
      List.of(new FieldError("spec.tunnels[1].id", "duplicate tunnel id 1"));

  private static List<Scenario> peers() {
    List<Scenario> s = new ArrayList<>();
    s.add(
        peer(
            "ready",
            "Healthy",
            "the IKE SA and all tunnels are up",
            4,
            false,
            PeerStatusBuilder.build(
                null,
                4L,
                List.of(),
                false,
                RunningConfig.current(BRANCH, 4L),
                seen(ike("ESTABLISHED"), child("branch-tunnel-1", "INSTALLED")),
                Optional.empty(),
                CLOCK)));
    s.add(
        peer(
            "connecting",
            "Progressing",
            "no established IKE SA (state CONNECTING)",
            4,
            false,
            PeerStatusBuilder.build(
                null,
                4L,
                List.of(),
                false,
                RunningConfig.current(BRANCH, 4L),
                seen(ike("CONNECTING")),
                Optional.empty(),
                CLOCK)));
    s.add(
        peer(
            "tunnels-pending",
            "Progressing",
            "1 of 2 tunnels installed",
            4,
            false,
            PeerStatusBuilder.build(
                null,
                4L,
                List.of(),
                false,
                RunningConfig.current(BRANCH_TWO_TUNNELS, 4L),
                seen(ike("ESTABLISHED"), child("branch-tunnel-1", "INSTALLED")),
                Optional.empty(),
                CLOCK)));
    s.add(
        peer(
            "agent-unreachable",
            "Progressing",
            "generation 2 is not known to be loaded: agent of pod "
                + POD
                + " not reachable (the agents ran generation 2 when last heard)",
            2,
            false,
            PeerStatusBuilder.build(
                null,
                2L,
                List.of(),
                false,
                RunningConfig.current(BRANCH, 2L),
                Optional.of(
                    new PeerObservation(
                        false,
                        "agent of pod " + POD + " not reachable",
                        null,
                        null,
                        Map.of(),
                        false)),
                Optional.empty(),
                CLOCK)));
    s.add(
        peer(
            "invalid",
            "Degraded",
            "spec.ikeGroup: IkeGroup ike-missing not found",
            3,
            false,
            PeerStatusBuilder.build(
                null,
                3L,
                List.of(new FieldError("spec.ikeGroup", "IkeGroup ike-missing not found")),
                false,
                new RunningConfig(RunningConfig.Kind.NONE, BRANCH, null, null),
                seen(null),
                Optional.empty(),
                CLOCK)));
    s.add(
        peer(
            "invalid-previous-running",
            "Degraded",
            "generation 7 is invalid (spec.tunnels[1].id: duplicate tunnel id 1); generation 5"
                + " keeps running",
            7,
            false,
            PeerStatusBuilder.build(
                null,
                7L,
                DUPLICATE_ID,
                false,
                new RunningConfig(RunningConfig.Kind.KEPT, BRANCH, 5L, 5L),
                seen(ike("ESTABLISHED"), child("branch-tunnel-1", "INSTALLED")),
                Optional.empty(),
                CLOCK)));
    String psk = "spec.authentication.preSharedSecret.secretRef";
    s.add(
        peer(
            "secret-edit-refused",
            "Degraded",
            "generation 5 no longer renders ("
                + psk
                + ": Secret \"branch-psk\" with key psk not found); the configuration loaded"
                + " before keeps running",
            5,
            false,
            PeerStatusBuilder.build(
                null,
                5L,
                List.of(new FieldError(psk, "Secret \"branch-psk\" with key psk not found")),
                false,
                new RunningConfig(RunningConfig.Kind.KEPT, BRANCH, 5L, 5L),
                seen(ike("ESTABLISHED"), child("branch-tunnel-1", "INSTALLED")),
                Optional.empty(),
                CLOCK)));
    String revoked =
        "Secret \"branch-psk\", which the running configuration (generation 5) was rendered"
            + " from, was deleted: its connection is removed, as a deleted key is revoked";
    s.add(
        peer(
            "revoked",
            "Degraded",
            "spec.authentication: " + revoked,
            5,
            false,
            PeerStatusBuilder.build(
                null,
                5L,
                List.of(new FieldError("spec.authentication", revoked, "SecretDeleted")),
                false,
                new RunningConfig(RunningConfig.Kind.NONE, BRANCH, null, 5L),
                seen(null),
                Optional.empty(),
                CLOCK)));
    s.add(
        peer(
            "disabled",
            "Suspended",
            "The peer is disabled (spec.disable)",
            8,
            true,
            PeerStatusBuilder.build(
                null,
                8L,
                List.of(),
                true,
                RunningConfig.current(BRANCH, null),
                seen(null),
                Optional.empty(),
                CLOCK)));
    s.add(
        peer(
            "unloading",
            "Progressing",
            "generation 8 disables the peer and is not loaded yet; the gateway's agents run"
                + " generation 7",
            8,
            true,
            PeerStatusBuilder.build(
                null,
                8L,
                List.of(),
                true,
                RunningConfig.current(BRANCH, 7L),
                seen(ike("ESTABLISHED"), child("branch-tunnel-1", "INSTALLED")),
                Optional.empty(),
                CLOCK)));
    s.add(
        peer(
            "loading-new-generation",
            "Progressing",
            "generation 4 is not loaded yet; the gateway's agents run generation 3",
            4,
            false,
            PeerStatusBuilder.build(
                null,
                4L,
                List.of(),
                false,
                RunningConfig.current(BRANCH, 3L),
                seen(ike("ESTABLISHED"), child("branch-tunnel-1", "INSTALLED")),
                Optional.empty(),
                CLOCK)));
    // the status of generation 5, loaded; the spec is at 6 and the operator has not read it yet
    s.add(
        peer(
            "not-observed",
            "Progressing",
            "Waiting for the operator to observe generation 6",
            6,
            false,
            PeerStatusBuilder.build(
                null,
                5L,
                List.of(),
                false,
                RunningConfig.current(BRANCH, 5L),
                seen(ike("ESTABLISHED"), child("branch-tunnel-1", "INSTALLED")),
                Optional.empty(),
                CLOCK)));
    return s;
  }

  private static Scenario peer(
      String name, String health, String message, long generation, boolean disable, Object status) {
    ObjectNode resource = resource("IpsecPeer", "branch", generation, status);
    ObjectNode spec = (ObjectNode) resource.get("spec");
    spec.put("gateway", GATEWAY).put("ikeGroup", "ike-aes256").put("espGroup", "esp-aes256");
    if (disable) {
      spec.put("disable", true);
    }
    return new Scenario("IpsecPeer", name, health, message, resource);
  }

  private static Optional<PeerObservation> seen(IkeSaStatus ike, ChildSaStatus... children) {
    AgentReport.Connection connection =
        ike == null
            ? null
            : new AgentReport.Connection(ike, List.of(children), null, null, null, null);
    return Optional.of(new PeerObservation(true, null, connection, null, Map.of(), false));
  }

  private static IkeSaStatus ike(String state) {
    IkeSaStatus ike = new IkeSaStatus();
    ike.setState(state);
    ike.setRemoteHost("203.0.113.20");
    return ike;
  }

  private static ChildSaStatus child(String name, String state) {
    ChildSaStatus child = new ChildSaStatus();
    child.setName(name);
    child.setState(state);
    return child;
  }

  // ---- IpsecGlobal --------------------------------------------------------------------------

  private static List<Scenario> gateways() {
    List<Scenario> s = new ArrayList<>();
    s.add(
        gateway(
            "ready",
            "Healthy",
            "1 of 1 gateway pods ready",
            1,
            List.of(pod(POD, "7c9d", true)),
            List.of(),
            GatewayStatusBuilder.Rollout.unhindered(DEPLOYMENT)));
    s.add(
        gateway(
            "starting",
            "Progressing",
            "0 of 1 gateway pods ready; pods starting",
            1,
            List.of(pod(POD, "7c9d", false)),
            List.of(),
            GatewayStatusBuilder.Rollout.unhindered(DEPLOYMENT)));
    s.add(
        gateway(
            "creating",
            "Progressing",
            "0 of 1 gateway pods ready; waiting for the pods to be created",
            1,
            List.of(),
            List.of(),
            GatewayStatusBuilder.Rollout.unhindered(DEPLOYMENT)));
    s.add(
        gateway(
            "rolling",
            "Progressing",
            "1 of 2 gateway pods ready; rolling update: pods of 2 templates run side by side",
            2,
            List.of(
                pod("gateway-gateway-7c9d-abcde", "7c9d", true),
                pod("gateway-gateway-8f1e-fghij", "8f1e", false)),
            List.of(),
            GatewayStatusBuilder.Rollout.unhindered(DEPLOYMENT)));
    List<Pod> crashing = List.of(waiting(POD, "CrashLoopBackOff", "back-off 40s restarting"));
    s.add(
        gateway(
            "container-waiting",
            "Degraded",
            "0 of 1 gateway pods ready: pod "
                + POD
                + " container charon: CrashLoopBackOff: back-off 40s restarting",
            1,
            crashing,
            List.of(),
            new GatewayStatusBuilder.Rollout(
                DEPLOYMENT, List.of(), PodFailures.of(Optional.empty(), crashing))));
    List<Pod> pulling = List.of(waiting(POD, "ImagePullBackOff", "Back-off pulling image"));
    s.add(
        gateway(
            "pods-failing",
            "Degraded",
            "0 of 1 gateway pods ready: pod "
                + POD
                + " container charon: ImagePullBackOff: Back-off pulling image",
            1,
            pulling,
            List.of(),
            new GatewayStatusBuilder.Rollout(
                DEPLOYMENT, List.of(), PodFailures.of(Optional.empty(), pulling))));
    String forbidden =
        "pods \""
            + POD
            + "\" is forbidden: violates PodSecurity \"baseline:latest\": non-default"
            + " capabilities";
    s.add(
        gateway(
            "replica-failure",
            "Degraded",
            "0 of 1 gateway pods ready: Deployment: ReplicaFailure (FailedCreate): " + forbidden,
            1,
            List.of(),
            List.of(),
            new GatewayStatusBuilder.Rollout(
                DEPLOYMENT,
                List.of(),
                PodFailures.of(Optional.of(replicaFailure(forbidden)), List.of()))));
    String denied =
        "spec.gateway.agentImage: \"evil:1\" is not an allowed agent image (allowed:"
            + " ghcr.io/ipsec-operator/ipsec-operator:0.1.0)";
    s.add(
        gateway(
            "policy-denied",
            "Degraded",
            denied
                + "; Deployment "
                + DEPLOYMENT
                + " is not created or updated (pods that run keep the last allowed spec)",
            1,
            List.of(),
            List.of(),
            new GatewayStatusBuilder.Rollout(
                DEPLOYMENT,
                List.of(
                    new FieldError(
                        "spec.gateway.agentImage",
                        "\"evil:1\" is not an allowed agent image (allowed:"
                            + " ghcr.io/ipsec-operator/ipsec-operator:0.1.0)",
                        GatewayStatusBuilder.POLICY_DENIED)),
                Optional.empty())));
    s.add(
        gateway(
            "invalid",
            "Degraded",
            "spec.options.virtualIpInterface: requires options.virtualIp",
            1,
            List.of(pod(POD, "7c9d", true)),
            List.of(
                new FieldError("spec.options.virtualIpInterface", "requires options.virtualIp")),
            GatewayStatusBuilder.Rollout.unhindered(DEPLOYMENT)));
    WriteFailures quota = new WriteFailures();
    quota.add(
        new WriteFailure(
            "ConfigMap",
            "gateway-config-1",
            "create",
            403,
            WriteFailure.FORBIDDEN,
            "Forbidden",
            "configmaps \"gateway-config-1\" is forbidden: exceeded quota: gateway-quota"));
    quota.holdBack(new NameConflicts.ObjectName("ConfigMap", "gateway-swanctl"));
    IpsecGlobalStatus notWritten =
        gatewayStatus(
            1,
            List.of(pod(POD, "7c9d", true)),
            List.of(),
            new GatewayStatusBuilder.Rollout(DEPLOYMENT, List.of(), Optional.empty(), quota));
    s.add(
        new Scenario(
            "IpsecGlobal",
            "objects-not-written",
            "Degraded",
            "ConfigMap gateway-config-1: create refused with 403 Forbidden: configmaps"
                + " \"gateway-config-1\" is forbidden: exceeded quota: gateway-quota. Not written"
                + " until then: ConfigMap gateway-swanctl. Retried with back-off.",
            gatewayResource(1, notWritten)));
    s.add(
        gateway(
            "scaled-to-zero",
            "Suspended",
            "the gateway is scaled to zero (spec.gateway.replicas: 0): no pod runs its tunnels",
            0,
            List.of(),
            List.of(),
            GatewayStatusBuilder.Rollout.unhindered(DEPLOYMENT)));
    return s;
  }

  private static Scenario gateway(
      String name,
      String health,
      String message,
      int replicas,
      List<Pod> pods,
      List<FieldError> errors,
      GatewayStatusBuilder.Rollout rollout) {
    return new Scenario(
        "IpsecGlobal",
        name,
        health,
        message,
        gatewayResource(replicas, gatewayStatus(replicas, pods, errors, rollout)));
  }

  private static IpsecGlobalStatus gatewayStatus(
      int replicas, List<Pod> pods, List<FieldError> errors, GatewayStatusBuilder.Rollout rollout) {
    return GatewayStatusBuilder.build(
        null,
        2L,
        errors,
        0,
        replicas,
        pods,
        // the agent of each ready pod runs the revision the operator wrote
        pods.stream()
            .filter(ArgoCdHealthScenarios::ready)
            .map(
                p ->
                    new AgentReport(
                        p.getMetadata().getName(),
                        true,
                        null,
                        1,
                        "6.0.1",
                        Map.of(),
                        "r1",
                        1,
                        List.of(),
                        null,
                        List.of(),
                        Map.of()))
            .toList(),
        1,
        // the one peer is up while a ready pod runs it
        errors.isEmpty() && pods.stream().anyMatch(ArgoCdHealthScenarios::ready) ? 1 : 0,
        errors.isEmpty() ? "r1" : null,
        errors.isEmpty() ? new NameConflicts() : null,
        rollout,
        CLOCK);
  }

  private static ObjectNode gatewayResource(int replicas, IpsecGlobalStatus status) {
    ObjectNode resource = resource("IpsecGlobal", GATEWAY, 2, status);
    ((ObjectNode) resource.get("spec")).putObject("gateway").put("replicas", replicas);
    return resource;
  }

  private static Pod pod(String name, String templateHash, boolean ready) {
    return new PodBuilder()
        .withNewMetadata()
        .withName(name)
        .addToLabels("pod-template-hash", templateHash)
        .endMetadata()
        .withNewStatus()
        .addNewCondition()
        .withType("Ready")
        .withStatus(ready ? "True" : "False")
        .endCondition()
        .endStatus()
        .build();
  }

  private static boolean ready(Pod pod) {
    return pod.getStatus().getConditions().stream()
        .anyMatch(c -> c.getType().equals("Ready") && c.getStatus().equals("True"));
  }

  /** A pod whose charon container waits, as the kubelet reports it. */
  private static Pod waiting(String name, String reason, String message) {
    Pod pod = pod(name, "7c9d", false);
    pod.getStatus()
        .setContainerStatuses(
            List.of(
                new io.fabric8.kubernetes.api.model.ContainerStatusBuilder()
                    .withName("charon")
                    .withNewState()
                    .withNewWaiting()
                    .withReason(reason)
                    .withMessage(message)
                    .endWaiting()
                    .endState()
                    .build()));
    return pod;
  }

  /** A Deployment whose controller cannot create pods, as the controller-manager reports it. */
  private static Deployment replicaFailure(String message) {
    return new DeploymentBuilder()
        .withNewMetadata()
        .withName(DEPLOYMENT)
        .endMetadata()
        .withNewStatus()
        .addNewCondition()
        .withType("ReplicaFailure")
        .withStatus("True")
        .withReason("FailedCreate")
        .withMessage(message)
        .endCondition()
        .endStatus()
        .build();
  }

  // ---- resources ----------------------------------------------------------------------------

  private static ObjectNode resource(String kind, String name, long generation, Object status) {
    ObjectNode resource = JSON.createObjectNode();
    resource.put("apiVersion", API_VERSION).put("kind", kind);
    resource
        .putObject("metadata")
        .put("name", name)
        .put("namespace", "vpn")
        .put("generation", generation);
    resource.putObject("spec");
    if (status != null) {
      // as the operator writes it to the API server
      try {
        resource.set("status", JSON.readTree(K8S.asJson(status)));
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    }
    return resource;
  }
}
