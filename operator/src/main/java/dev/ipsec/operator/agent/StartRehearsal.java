package dev.ipsec.operator.agent;

import dev.ipsec.operator.agent.http.AgentStateView;
import dev.ipsec.operator.agent.tls.ReloadingServerTls;
import dev.ipsec.operator.agent.wire.AgentStateDocument;
import dev.ipsec.operator.agent.wire.AgentStateJson;
import dev.ipsec.operator.pki.HandshakeRehearsal;
import dev.ipsec.operator.threads.DaemonThreads;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the agent's first answer to the operator needs, done once on a thread of its own while the
 * loader reaches charon and the ports open: a TLS handshake in memory ({@link
 * ReloadingServerTls#rehearse}) and the state document written once and dropped. Issue 17: the
 * first mutual-TLS exchange of a new gateway took 0.25 to 1.34 s, the JVM loading, initialising and
 * interpreting the handshake's and the document's code for the first time while the operator
 * waited. Nothing of the rehearsal is kept or sent: only the JVM is warmer.
 */
final class StartRehearsal {

  private static final Logger LOG = LoggerFactory.getLogger(StartRehearsal.class);

  private StartRehearsal() {}

  /** Starts the rehearsal on a daemon thread and returns at once. */
  static Thread start(Optional<ReloadingServerTls> tls, AgentStateView view) {
    Thread thread =
        DaemonThreads.named("agent-start-rehearsal").newThread(() -> rehearse(tls, view));
    thread.start();
    return thread;
  }

  private static void rehearse(Optional<ReloadingServerTls> tls, AgentStateView view) {
    long started = System.nanoTime();
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    long cpuStarted = threads.getCurrentThreadCpuTime();
    try {
      Optional<HandshakeRehearsal.Outcome> handshake = tls.map(ReloadingServerTls::rehearse);
      AgentStateJson.write(AgentStateDocument.of(view.revision(), view.state()));
      // the CPU too: what the rehearsal costs does not depend on the machine's load
      LOG.info(
          "first answer rehearsed in {} ms, {} ms of CPU (TLS handshake in memory: {})",
          (System.nanoTime() - started) / 1_000_000,
          (threads.getCurrentThreadCpuTime() - cpuStarted) / 1_000_000,
          handshake.map(h -> h.took().toMillis() + " ms, " + ending(h)).orElse("none, plain HTTP"));
    } catch (IOException | RuntimeException e) {
      // only a warm-up: the real answers do the same work and report their own failures
      LOG.debug("first answer rehearsal failed", e);
    }
  }

  private static String ending(HandshakeRehearsal.Outcome outcome) {
    return outcome.completed()
        ? "completed"
        : "own certificate refused: " + outcome.refusal().orElseThrow();
  }
}
