package dev.ipsec.operator.reconcile;

import dev.ipsec.operator.api.v1alpha1.EspGroup;
import dev.ipsec.operator.api.v1alpha1.EspGroupSpec;
import dev.ipsec.operator.api.v1alpha1.IkeGroupSpec;
import dev.ipsec.operator.api.v1alpha1.IkeProposal;
import dev.ipsec.operator.api.v1alpha1.Pfs;
import dev.ipsec.operator.reconcile.peer.PeerReferences;
import dev.ipsec.operator.reconcile.status.EventRecorder;
import dev.ipsec.operator.render.CryptoGroups;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/** Validates an EspGroup and reports its proposal string and how many peers use it. */
@ControllerConfiguration(name = "espgroup")
public final class EspGroupReconciler extends CryptoGroupReconciler<EspGroup, EspGroupSpec> {

  /** Stands for the DH group a peer's IKE group lends under {@code pfs enable}. */
  static final String INHERITED_DH = "<ike-group>";

  private static final KubernetesSerialization JSON = new KubernetesSerialization();

  public EspGroupReconciler(Clock clock, EventRecorder events) {
    super(
        clock,
        events,
        refs -> refs.espGroups().stream(),
        CryptoGroups::validate,
        EspGroupReconciler::effectiveProposals,
        PeerReferences::espGroupKey);
  }

  /**
   * The ESP proposals as strongSwan sees them; with {@code pfs enable} (or unset) the DH group is
   * each peer's IKE group's, shown as {@value #INHERITED_DH}.
   */
  static String effectiveProposals(EspGroupSpec spec) {
    boolean inherits = spec.getPfs() == null || spec.getPfs() == Pfs.ENABLE;
    if (!inherits) {
      // an explicit group or none: the IKE group plays no part
      return CryptoGroups.espProposals(spec, new IkeGroupSpec());
    }
    EspGroupSpec withoutPfs = JSON.clone(spec);
    withoutPfs.setPfs(Pfs.DISABLE);
    IkeGroupSpec any = new IkeGroupSpec();
    any.setProposals(List.of(new IkeProposal()));
    return Arrays.stream(CryptoGroups.espProposals(withoutPfs, any).split(","))
        .map(p -> p + "-" + INHERITED_DH)
        .collect(Collectors.joining(","));
  }
}
