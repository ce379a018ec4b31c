package dev.ipsec.operator.reconcile.status;

import dev.ipsec.operator.api.v1alpha1.CryptoGroupStatus;
import dev.ipsec.operator.render.FieldError;
import java.time.Clock;
import java.util.List;

/** The status of an IkeGroup or EspGroup from its validation, proposals and users. */
public final class CryptoGroupStatusBuilder {

  private CryptoGroupStatusBuilder() {}

  public static CryptoGroupStatus build(
      CryptoGroupStatus previous,
      Long generation,
      List<FieldError> errors,
      String proposals,
      int usedBy,
      Clock clock) {
    CryptoGroupStatus status = new CryptoGroupStatus();
    Conditions conditions = Conditions.forNewStatus(status, previous, generation, clock);
    conditions.setValid(errors, "the group is valid");
    if (errors.isEmpty()) {
      status.setProposals(proposals);
    }
    status.setConditions(conditions.build());
    status.setUsedBy(usedBy);
    return status;
  }
}
