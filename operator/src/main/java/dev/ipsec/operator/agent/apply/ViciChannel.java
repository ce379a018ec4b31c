package dev.ipsec.operator.agent.apply;

import dev.ipsec.operator.vici.ViciMessage;

/**
 * The one thing the loader needs from VICI: send a command, get its response. Implemented over the
 * real client; a decorator counts what was sent (metrics, tests).
 *
 * <p>Implementations throw {@link dev.ipsec.operator.vici.ViciCommandException} when charon refuses
 * a command or does not know it, and another {@link dev.ipsec.operator.vici.ViciException} when
 * charon cannot be reached.
 */
@FunctionalInterface
public interface ViciChannel {
  ViciMessage call(String command, ViciMessage request);
}
