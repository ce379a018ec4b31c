package dev.ipsec.operator.cli;

import dev.ipsec.operator.agent.AgentEndpoints;
import dev.ipsec.operator.agent.AgentRuntime;
import dev.ipsec.operator.agent.AgentSettings;
import dev.ipsec.operator.agent.tls.TlsFiles;
import dev.ipsec.operator.vici.ViciClient;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code ipsec-operator agent}: the gateway sidecar. Loads the swanctl configuration directory into
 * charon over VICI (only what changes), tracks the SAs and serves its state over TLS to the
 * operator (plain HTTP only on loopback), metrics and probes over plain HTTP on another port, until
 * SIGTERM.
 */
@Command(
    name = "agent",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description =
        "Runs the gateway agent next to charon: loads the mounted swanctl configuration over VICI,"
            + " applies changes incrementally, tracks SAs and serves /v1/state (HTTPS with a"
            + " required client certificate; plain HTTP only on loopback) and, on a plain port,"
            + " /metrics, /healthz and /readyz.")
final class AgentCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(
      names = "--config-dir",
      required = true,
      paramLabel = "DIR",
      description =
          "swanctl configuration directory (swanctl.conf at its root; a projected volume is watched"
              + " for ..data swaps)")
  Path configDir;

  @Option(
      names = "--vici",
      defaultValue = "unix:///var/run/charon.vici",
      paramLabel = "URI",
      description = "charon's VICI socket (default: ${DEFAULT-VALUE})")
  String vici;

  @Option(
      names = "--listen",
      paramLabel = "HOST:PORT",
      description =
          "address of the state API (default: 0.0.0.0:9460 with TLS, 127.0.0.1:9460 without;"
              + " without TLS only a loopback address is accepted)")
  String listen;

  @Option(
      names = "--probe-listen",
      defaultValue = "0.0.0.0:9461",
      paramLabel = "HOST:PORT",
      description =
          "address of /metrics, /healthz and /readyz, plain HTTP (default: ${DEFAULT-VALUE})")
  String probeListen;

  @Option(
      names = "--tls-cert",
      paramLabel = "FILE",
      description = "PEM certificate of the state API (tls.crt of the mounted Secret)")
  Path tlsCert;

  @Option(
      names = "--tls-key",
      paramLabel = "FILE",
      description = "PEM private key of that certificate (tls.key)")
  Path tlsKey;

  @Option(
      names = "--client-ca",
      paramLabel = "FILE",
      description =
          "PEM CA certificate that the operator's client certificate must chain to (ca.crt);"
              + " all three files are read again when they change")
  Path clientCa;

  @Option(
      names = "--max-long-polls",
      defaultValue = "" + AgentEndpoints.DEFAULT_MAX_LONG_POLLS,
      paramLabel = "N",
      description =
          "long-polls that may wait at once; more are answered 429 (default: ${DEFAULT-VALUE})")
  int maxLongPolls;

  @Option(
      names = "--debounce",
      defaultValue = "50ms",
      paramLabel = "DURATION",
      description =
          "quiet time after a directory event before it is read (default: ${DEFAULT-VALUE})")
  String debounce;

  @Option(
      names = "--rescan",
      defaultValue = "30s",
      paramLabel = "DURATION",
      description = "fallback re-read of the directory (default: ${DEFAULT-VALUE})")
  String rescan;

  @Option(
      names = "--state-poll",
      defaultValue = "5s",
      paramLabel = "DURATION",
      description =
          "list-sas poll interval for counters, besides the events (default: ${DEFAULT-VALUE})")
  String statePoll;

  @Option(
      names = "--settle-time",
      defaultValue = "30s",
      paramLabel = "DURATION",
      description =
          "how long the configuration volume may stay incomplete (the kubelet refreshes each"
              + " ConfigMap and Secret on its own) or hold files no manifest lists before the state"
              + " reports it as pending or ignored files (default: ${DEFAULT-VALUE})")
  String settleTime;

  private static final Logger LOG = LoggerFactory.getLogger(AgentCommand.class);

  @Override
  public Integer call() throws Exception {
    // when the JVM, the command line and the logging are up: the first step of a pod's start
    LOG.info(
        "agent starting, {} ms after its process",
        ProcessHandle.current()
            .info()
            .startInstant()
            .map(started -> Duration.between(started, Instant.now()).toMillis())
            .orElse(-1L));
    if (!Files.isDirectory(configDir)) {
      throw new ParameterException(
          spec.commandLine(), "--config-dir " + configDir + " is not a directory");
    }
    Path socket;
    try {
      socket = ViciClient.socketPath(vici);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), "--vici: " + e.getMessage());
    }
    AgentSettings settings =
        AgentSettings.defaults(configDir)
            .withDebounce(duration("--debounce", debounce))
            .withRescanInterval(duration("--rescan", rescan))
            .withSettleTime(duration("--settle-time", settleTime));
    AgentRuntime runtime =
        AgentRuntime.start(settings, socket, endpoints(), duration("--state-poll", statePoll));

    CountDownLatch stopped = new CountDownLatch(1);
    Thread shutdown =
        new Thread(
            () -> {
              runtime.close(); // SIGTERM/SIGINT: stop serving, close the VICI connections
              stopped.countDown();
            },
            "agent-shutdown");
    Runtime.getRuntime().addShutdownHook(shutdown);
    stopped.await();
    return 0;
  }

  private AgentEndpoints endpoints() {
    Optional<TlsFiles> tls = tlsFiles();
    String state = listen != null ? listen : (tls.isPresent() ? "0.0.0.0:9460" : "127.0.0.1:9460");
    if (maxLongPolls < 1) {
      throw new ParameterException(spec.commandLine(), "--max-long-polls must be at least 1");
    }
    try {
      return new AgentEndpoints(
          address("--listen", state), tls, address("--probe-listen", probeListen), maxLongPolls);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), "--listen: " + e.getMessage());
    }
  }

  /** All three TLS files, or none (then the state API stays on loopback). */
  private Optional<TlsFiles> tlsFiles() {
    int given = (tlsCert != null ? 1 : 0) + (tlsKey != null ? 1 : 0) + (clientCa != null ? 1 : 0);
    if (given == 0) {
      return Optional.empty();
    }
    if (given < 3) {
      throw new ParameterException(
          spec.commandLine(), "--tls-cert, --tls-key and --client-ca go together");
    }
    for (Path file : new Path[] {tlsCert, tlsKey, clientCa}) {
      if (!Files.isReadable(file)) {
        throw new ParameterException(spec.commandLine(), file + " is not a readable file");
      }
    }
    return Optional.of(new TlsFiles(tlsCert, tlsKey, clientCa));
  }

  private InetSocketAddress address(String option, String hostPort) {
    int colon = hostPort.lastIndexOf(':');
    try {
      String host = hostPort.substring(0, colon).replaceAll("^\\[|]$", "");
      return new InetSocketAddress(host, Integer.parseInt(hostPort.substring(colon + 1)));
    } catch (RuntimeException e) {
      throw new ParameterException(
          spec.commandLine(), option + " must be HOST:PORT, got '" + hostPort + "'");
    }
  }

  /** {@code 250ms}, {@code 5s}, {@code 2m}, or ISO-8601 ({@code PT5S}). */
  private Duration duration(String option, String text) {
    try {
      if (text.startsWith("P") || text.startsWith("p")) {
        return Duration.parse(text);
      }
      if (text.endsWith("ms")) {
        return Duration.ofMillis(Long.parseLong(text.substring(0, text.length() - 2)));
      }
      long n = Long.parseLong(text.substring(0, text.length() - 1));
      return switch (text.charAt(text.length() - 1)) {
        case 's' -> Duration.ofSeconds(n);
        case 'm' -> Duration.ofMinutes(n);
        case 'h' -> Duration.ofHours(n);
        default -> throw new IllegalArgumentException();
      };
    } catch (RuntimeException e) {
      throw new ParameterException(
          spec.commandLine(),
          option + " must be a duration like 250ms, 5s or 2m, got '" + text + "'");
    }
  }
}
