package dev.ipsec.operator.render;

import dev.ipsec.operator.api.v1alpha1.EspGroup;
import dev.ipsec.operator.api.v1alpha1.EspGroupSpec;
import dev.ipsec.operator.api.v1alpha1.IkeGroup;
import dev.ipsec.operator.api.v1alpha1.IkeGroupSpec;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * The namespace's groups by name, with their validation results and proposal strings computed once
 * per render: thousands of peers usually share a handful of groups.
 */
final class GroupCache {

  private final Map<String, IkeGroup> ikeGroups;
  private final Map<String, EspGroup> espGroups;

  private final Map<IkeGroupSpec, List<FieldError>> ikeErrors = new IdentityHashMap<>();
  private final Map<EspGroupSpec, List<FieldError>> espErrors = new IdentityHashMap<>();
  private final Map<IkeGroupSpec, String> ikeProposals = new IdentityHashMap<>();
  private final Map<EspGroupSpec, Map<IkeGroupSpec, String>> espProposals = new IdentityHashMap<>();

  GroupCache(Map<String, IkeGroup> ikeGroups, Map<String, EspGroup> espGroups) {
    this.ikeGroups = ikeGroups;
    this.espGroups = espGroups;
  }

  /** The IkeGroup of that name; null when the namespace has none. */
  IkeGroup ikeGroup(String name) {
    return ikeGroups.get(name);
  }

  /** The EspGroup of that name; null when the namespace has none. */
  EspGroup espGroup(String name) {
    return espGroups.get(name);
  }

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
