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
 * @param settleTime how long the volume may be incomplete (a torn view, while the kubelet refreshes
 *     one projected object after the other) or hold files no manifest lists before the state
 *     reports it ({@code loader.pending}, {@code loader.ignoredFiles})
 */
public record AgentSettings(
    Path configDir,
    Duration debounce,
    Duration rescanInterval,
    Duration probeInterval,
    Duration maxBackoff,
    Duration settleTime) {

  public static AgentSettings defaults(Path configDir) {
    return new AgentSettings(
        configDir,
        Duration.ofMillis(50),
        Duration.ofSeconds(30),
        Duration.ofSeconds(2),
        Duration.ofSeconds(10),
        Duration.ofSeconds(30));
  }

  public AgentSettings withDebounce(Duration d) {
    return new AgentSettings(configDir, d, rescanInterval, probeInterval, maxBackoff, settleTime);
  }

  public AgentSettings withProbeInterval(Duration d) {
    return new AgentSettings(configDir, debounce, rescanInterval, d, maxBackoff, settleTime);
  }

  public AgentSettings withRescanInterval(Duration d) {
    return new AgentSettings(configDir, debounce, d, probeInterval, maxBackoff, settleTime);
  }

  public AgentSettings withSettleTime(Duration d) {
    return new AgentSettings(configDir, debounce, rescanInterval, probeInterval, maxBackoff, d);
  }
}
