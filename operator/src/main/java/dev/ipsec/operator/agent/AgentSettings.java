package dev.ipsec.operator.agent;

import java.nio.file.Path;
import java.time.Duration;

/**
 * Tunables of the agent loop.
 *
 * @param configDir the swanctl configuration directory (a projected volume in a pod)
 * @param debounce how long the directory must be quiet after an event before it is read
 * @param rescanInterval fallback re-read when no event was seen
 * @param probeInterval how often charon is asked for {@code stats} (restart detection, health)
 * @param maxBackoff the longest wait between attempts to reach charon
 */
public record AgentSettings(
    Path configDir,
    Duration debounce,
    Duration rescanInterval,
    Duration probeInterval,
    Duration maxBackoff) {

  public static AgentSettings defaults(Path configDir) {
    return new AgentSettings(
        configDir,
        Duration.ofMillis(50),
        Duration.ofSeconds(30),
        Duration.ofSeconds(2),
        Duration.ofSeconds(10));
  }

  public AgentSettings withDebounce(Duration d) {
    return new AgentSettings(configDir, d, rescanInterval, probeInterval, maxBackoff);
  }

  public AgentSettings withProbeInterval(Duration d) {
    return new AgentSettings(configDir, debounce, rescanInterval, d, maxBackoff);
  }

  public AgentSettings withRescanInterval(Duration d) {
    return new AgentSettings(configDir, debounce, d, probeInterval, maxBackoff);
  }
}
