package dev.ipsec.operator.reconcile;

import dev.ipsec.operator.api.v1alpha1.IkeGroup;
import dev.ipsec.operator.api.v1alpha1.IkeGroupSpec;
import dev.ipsec.operator.reconcile.peer.PeerReferences;
import dev.ipsec.operator.reconcile.status.EventRecorder;
import dev.ipsec.operator.render.CryptoGroups;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import java.time.Clock;

/** Validates an IkeGroup and reports its proposal string and how many peers use it. */
@ControllerConfiguration(name = "ikegroup")
public final class IkeGroupReconciler extends CryptoGroupReconciler<IkeGroup, IkeGroupSpec> {

  public IkeGroupReconciler(Clock clock, EventRecorder events) {
    super(
        clock,
        events,
        refs -> refs.ikeGroup().stream(),
        CryptoGroups::validate,
        CryptoGroups::ikeProposals,
        PeerReferences::ikeGroupKey);
  }
}
