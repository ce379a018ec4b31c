package dev.ipsec.operator.agent.apply;

import java.util.List;

/**
 * What one apply did.
 *
 * @param full whether this was a full load (start, charon restart) rather than a difference
 * @param actions the changes made, e.g. {@code "load-conn peer7"}, in order
 * @param failures items whose command failed in this apply
 */
public record ApplyResult(boolean full, List<String> actions, int failures) {
  public ApplyResult {
    actions = List.copyOf(actions);
  }
}
