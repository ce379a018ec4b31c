package dev.ipsec.operator.reconcile.status;

import dev.ipsec.operator.api.v1alpha1.CryptoGroupStatus;
import dev.ipsec.operator.render.FieldError;
import java.time.Clock;
import java.util.List;
import java.util.stream.Collectors;

/** The status of an IkeGroup or EspGroup from its validation, proposals and users. */
public final class CryptoGroupStatusBuilder {

  static final String VALID = "Valid";

  private CryptoGroupStatusBuilder() {}

  public static CryptoGroupStatus build(
      CryptoGroupStatus previous,
      Long generation,
      List<FieldError> errors,
      String proposals,
      int usedBy,
      Clock clock) {
    CryptoGroupStatus status = new CryptoGroupStatus();
    status.setObservedGeneration(generation);
    Conditions conditions =
        Conditions.from(previous == null ? null : previous.getConditions(), generation, clock);
    if (errors.isEmpty()) {
      conditions.set(VALID, true, "Valid", "the group is valid");
      status.setProposals(proposals);
    } else {
      conditions.set(
          VALID,
          false,
          "Invalid",
          errors.stream().map(FieldError::toString).collect(Collectors.joining("; ")));
    }
    status.setConditions(conditions.build());
    status.setUsedBy(usedBy);
    return status;
  }
}
