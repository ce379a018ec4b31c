package dev.ipsec.operator.render;

import dev.ipsec.operator.api.v1alpha1.EspGroupSpec;
import dev.ipsec.operator.api.v1alpha1.IkeGroupSpec;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Validation results and proposal strings of the groups, computed once per render: thousands of
 * peers usually share a handful of groups.
 */
final class GroupCache {

  private final Map<IkeGroupSpec, List<FieldError>> ikeErrors = new IdentityHashMap<>();
  private final Map<EspGroupSpec, List<FieldError>> espErrors = new IdentityHashMap<>();
  private final Map<IkeGroupSpec, String> ikeProposals = new IdentityHashMap<>();
  private final Map<EspGroupSpec, Map<IkeGroupSpec, String>> espProposals = new IdentityHashMap<>();

  List<FieldError> errors(IkeGroupSpec spec) {
    return spec == null
        ? CryptoGroups.validate((IkeGroupSpec) null)
        : ikeErrors.computeIfAbsent(spec, CryptoGroups::validate);
  }

  List<FieldError> errors(EspGroupSpec spec) {
    return spec == null
        ? CryptoGroups.validate((EspGroupSpec) null)
        : espErrors.computeIfAbsent(spec, CryptoGroups::validate);
  }

  String ikeProposals(IkeGroupSpec spec) {
    return ikeProposals.computeIfAbsent(spec, CryptoGroups::ikeProposals);
  }

  String espProposals(EspGroupSpec esp, IkeGroupSpec ike) {
    return espProposals
        .computeIfAbsent(esp, e -> new IdentityHashMap<>())
        .computeIfAbsent(ike, i -> CryptoGroups.espProposals(esp, i));
  }
}
