package dev.ipsec.operator.cli;

import dev.ipsec.operator.api.v1alpha1.EspGroup;
import dev.ipsec.operator.api.v1alpha1.IkeGroup;
import dev.ipsec.operator.api.v1alpha1.IpsecGlobal;
import dev.ipsec.operator.api.v1alpha1.IpsecPeer;
import dev.ipsec.operator.reconcile.gateway.GatewayDefaults;
import dev.ipsec.operator.reconcile.gateway.GatewayPlacement;
import dev.ipsec.operator.render.CryptoGroups;
import dev.ipsec.operator.render.FieldError;
import dev.ipsec.operator.render.GatewayRenderer;
import dev.ipsec.operator.render.RenderOptions;
import dev.ipsec.operator.render.RenderedGateway;
import dev.ipsec.operator.volume.ConfigVolumePlan;
import dev.ipsec.operator.volume.ConfigVolumePlanner;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * What {@code render} and {@code validate} share: load, check every resource, render every gateway
 * and plan its configuration volume as the operator would (so a peer that would not fit is an error
 * here too), and collect errors as {@code Kind/name: path: message}, each once ({@link
 * ReportedErrors}): first what the API server checks (binding, then the CRD schema), then what the
 * operator checks.
 */
final class ResourceReport {

  /** The operator's default limit: {@code ipsec-operator run} offers no other. */
  private static final ConfigVolumePlanner PLANNER =
      new ConfigVolumePlanner(GatewayDefaults.DEFAULT_MAX_SHARD_BYTES);

  final ReportedErrors errors = new ReportedErrors();
  final Map<String, RenderedGateway> rendered = new LinkedHashMap<>();
  final Map<String, ConfigVolumePlan> plans = new LinkedHashMap<>();
  final GatewayInputs inputs;
  private final AbsentSecrets absentSecrets;

  private ResourceReport(GatewayInputs inputs, boolean offline) {
    this.inputs = inputs;
    this.absentSecrets = new AbsentSecrets(inputs, offline);
  }

  static ResourceReport build(
      ResourceFiles.Loaded loaded, List<ResourceCheck> checks, String onlyGateway) {
    return build(loaded, checks, onlyGateway, false);
  }

  /**
   * @param offline whether a Secret that a peer names and the files do not hold is taken on trust
   *     ({@link AbsentSecrets}) instead of being an error
   */
  static ResourceReport build(
      ResourceFiles.Loaded loaded,
      List<ResourceCheck> checks,
      String onlyGateway,
      boolean offline) {
    List<HasMetadata> resources =
        loaded.documents().stream().map(ResourceFiles.Document::resource).toList();
    ResourceReport report = new ResourceReport(new GatewayInputs(resources), offline);
    loaded.errors().forEach(report.errors::add);
    for (ResourceFiles.Document doc : loaded.documents()) {
      doc.bindingProblems().forEach(e -> report.errors.add(label(doc.resource()), e));
    }
    report.errors.nextStage();
    for (ResourceFiles.Document doc : loaded.documents()) {
      for (ResourceCheck check : checks) {
        check.check(doc.written()).forEach(e -> report.errors.add(label(doc.resource()), e));
      }
    }
    report.errors.nextStage();
    report.checkGroups();
    report.renderGateways(onlyGateway);
    return report;
  }

  /** The Secrets named by peers but absent from the files, taken on trust ({@code --offline}). */
  Set<String> secretsTakenOnTrust() {
    return absentSecrets.takenOnTrust();
  }

  private void checkGroups() {
    for (IkeGroup group : inputs.ikeGroups()) {
      add(group, CryptoGroups.validate(group.getSpec()));
    }
    for (EspGroup group : inputs.espGroups()) {
      add(group, CryptoGroups.validate(group.getSpec()));
    }
  }

  private void renderGateways(String onlyGateway) {
    List<IpsecGlobal> gateways = inputs.gateways();
    Set<String> known = new TreeSet<>();
    for (IpsecGlobal gateway : gateways) {
      known.add(GatewayInputs.namespace(gateway) + "/" + gateway.getMetadata().getName());
      if (onlyGateway != null && !onlyGateway.equals(gateway.getMetadata().getName())) {
        continue;
      }
      RenderedGateway result =
          new GatewayRenderer(RenderOptions.defaults(), GatewayPlacement::validate)
              .render(inputs.inputFor(gateway));
      rendered.put(gateway.getMetadata().getName(), result);
      add(gateway, result.gatewayErrors());
      String namespace = GatewayInputs.namespace(gateway);
      result
          .peerErrors()
          .forEach(
              (peer, list) ->
                  list.stream()
                      .filter(e -> !absentSecrets.excuses(namespace, peer, e))
                      .map(GroupErrorRelay::shorten)
                      .forEach(e -> errors.add("IpsecPeer/" + peer, e)));
      if (result.gatewayErrors().isEmpty()) {
        // fresh shard counts, the operator's for a gateway that never needed more shards than now:
        // the files do not depend on the counts, only which shard holds each, and so the shards'
        // manifests
        ConfigVolumePlan plan = PLANNER.plan(result, inputs.referenceVersions(gateway), 0, 0);
        plans.put(gateway.getMetadata().getName(), plan);
        plan.leftOut().forEach((peer, e) -> errors.add("IpsecPeer/" + peer, e));
      }
    }
    for (IpsecPeer peer : inputs.peers()) {
      String gateway = peer.getSpec() == null ? null : peer.getSpec().getGateway();
      if (gateway == null || !known.contains(GatewayInputs.namespace(peer) + "/" + gateway)) {
        errors.add(
            label(peer),
            new FieldError("spec.gateway", "IpsecGlobal \"" + gateway + "\" not found"));
      }
    }
  }

  private void add(HasMetadata resource, List<FieldError> list) {
    list.forEach(e -> errors.add(label(resource), e));
  }

  static String label(HasMetadata resource) {
    return resource.getKind() + "/" + resource.getMetadata().getName();
  }

  void printErrors(PrintWriter err) {
    List<String> lines = errors.lines();
    lines.forEach(err::println);
    err.println(lines.size() + " error(s)");
    err.flush();
  }
}
