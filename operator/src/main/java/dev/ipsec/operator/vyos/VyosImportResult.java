package dev.ipsec.operator.vyos;

import dev.ipsec.operator.api.v1alpha1.EspGroup;
import dev.ipsec.operator.api.v1alpha1.IkeGroup;
import dev.ipsec.operator.api.v1alpha1.IpsecGlobal;
import dev.ipsec.operator.api.v1alpha1.IpsecPeer;
import java.util.List;

/** What one import made, and every warning and error, ordered by line. */
public record VyosImportResult(
    IpsecGlobal global,
    List<IkeGroup> ikeGroups,
    List<EspGroup> espGroups,
    List<IpsecPeer> peers,
    List<ImportedSecret> secrets,
    List<VyosProblem> problems) {

  public VyosImportResult {
    ikeGroups = List.copyOf(ikeGroups);
    espGroups = List.copyOf(espGroups);
    peers = List.copyOf(peers);
    secrets = List.copyOf(secrets);
    problems = List.copyOf(problems);
  }

  public boolean hasErrors() {
    return problems.stream().anyMatch(p -> p.severity() == VyosProblem.Severity.ERROR);
  }

  public List<VyosProblem> warnings() {
    return problems.stream().filter(p -> p.severity() == VyosProblem.Severity.WARNING).toList();
  }

  public List<VyosProblem> errors() {
    return problems.stream().filter(p -> p.severity() == VyosProblem.Severity.ERROR).toList();
  }
}
