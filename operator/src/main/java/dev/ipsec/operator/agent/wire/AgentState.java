package dev.ipsec.operator.agent.wire;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Objects;

/**
 * What the agent reports: its loader, its charon and the SAs. Holds no secret value.
 *
 * @param loader the configuration loaded into charon and what failed
 * @param readError why the configuration directory could not be read at all (it is missing, say);
 *     null when it could
 * @param charon charon's version, reachability, restarts and algorithms
 * @param sas what the SAs are doing
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record AgentState(
    LoaderStatus loader, String readError, CharonStatus charon, StateSnapshot sas) {

  public AgentState {
    Objects.requireNonNull(loader, "loader");
    Objects.requireNonNull(charon, "charon");
    Objects.requireNonNull(sas, "sas");
  }
}
