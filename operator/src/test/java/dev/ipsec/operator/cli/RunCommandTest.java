package dev.ipsec.operator.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ipsec.operator.reconcile.OperatorSettings;
import dev.ipsec.operator.reconcile.OperatorSettings.LeaseTimings;
import dev.ipsec.operator.reconcile.gateway.GatewayPodDefaults;
import dev.ipsec.operator.reconcile.gateway.GatewayPolicy;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;

class RunCommandTest {

  @Test
  void helpListsTheFlagsTheReadmeDocuments() {
    PrintStream saved = System.out;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    try {
      assertThat(Main.execute("run", "--help")).isZero();
    } finally {
      System.setOut(saved);
    }
    assertThat(out.toString(StandardCharsets.UTF_8))
        .contains(
            "--kubeconfig",
            "--namespace",
            "--leader-election",
            "--replicas",
            "--lease-name",
            "--lease-namespace",
            "--identity",
            "--lease-duration-seconds",
            "--renew-deadline-seconds",
            "--retry-period-seconds",
            "--http-listen",
            "--reconcile-threads",
            "--gateway-image",
            "--agent-image",
            "--agent-port",
            "--allowed-gateway-image",
            "--allowed-agent-image",
            "--allowed-image-prefix",
            "--allow-host-network",
            "--host-network-namespace",
            "--allow-user-space-esp",
            "--user-space-esp-namespace",
            "--allow-tolerations",
            "--tolerations-namespace",
            "--allowed-priority-class",
            "--gateway-pod-defaults");
  }

  @Test
  void theReconcilerThreadsComeFromTheirFlagAndAreRefusedBelowOne() {
    RunCommand defaults = new RunCommand();
    new CommandLine(defaults).parseArgs();
    assertThat(
            defaults
                .settings(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT))
                .reconcileThreads())
        .isEqualTo(OperatorSettings.defaultReconcileThreads());

    RunCommand eight = new RunCommand();
    new CommandLine(eight).parseArgs("--reconcile-threads=8");
    assertThat(
            eight
                .settings(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT))
                .reconcileThreads())
        .isEqualTo(8);

    RunCommand none = new RunCommand();
    new CommandLine(none).parseArgs("--reconcile-threads=0");
    assertThatThrownBy(() -> none.settings(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT)))
        .isInstanceOf(ParameterException.class)
        .hasMessageContaining("reconcile threads must be at least 1");
  }

  @Test
  void theGatewayPolicyComesFromTheFlagsAndDefaultsToTheChartsPolicy() {
    RunCommand defaults = new RunCommand();
    new CommandLine(defaults).parseArgs();
    assertThat(defaults.gatewayPolicy()).isEqualTo(GatewayPolicy.defaults());

    RunCommand run = new RunCommand();
    new CommandLine(run)
        .parseArgs(
            "--allowed-gateway-image=registry.example.org/strongswan:6.0.1",
            "--allowed-agent-image=registry.example.org/agent:1.0",
            "--allowed-image-prefix=registry.example.org/network/",
            "--allow-host-network=true",
            "--host-network-namespace=edge",
            "--allow-user-space-esp=false",
            "--allow-tolerations=true",
            "--tolerations-namespace=edge",
            "--tolerations-namespace=lab",
            "--allowed-priority-class=network-high",
            "--allowed-priority-class=network-low");
    assertThat(run.gatewayPolicy())
        .isEqualTo(
            new GatewayPolicy(
                Set.of("registry.example.org/strongswan:6.0.1"),
                Set.of("registry.example.org/agent:1.0"),
                Set.of("registry.example.org/network/"),
                new GatewayPolicy.Switch(true, Set.of("edge")),
                GatewayPolicy.Switch.OFF,
                new GatewayPolicy.Switch(true, Set.of("edge", "lab")),
                Set.of("network-high", "network-low")));

    RunCommand badPrefix = new RunCommand();
    new CommandLine(badPrefix).parseArgs("--allowed-image-prefix=registry.example.org/network");
    assertThatThrownBy(badPrefix::gatewayPolicy)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("ending in '/'");
  }

  @Test
  void theGatewayPodDefaultsComeFromOneJsonFlagAndAreNoneWithoutIt() {
    RunCommand none = new RunCommand();
    new CommandLine(none).parseArgs();
    assertThat(none.podDefaults()).isEqualTo(GatewayPodDefaults.none());

    RunCommand run = new RunCommand();
    new CommandLine(run)
        .parseArgs(
            "--gateway-pod-defaults={\"imagePullSecrets\":[\"pull\"],"
                + "\"nodeSelector\":{\"pool\":\"ipsec\"},\"priorityClassName\":\"network-high\"}");
    assertThat(run.podDefaults())
        .isEqualTo(
            new GatewayPodDefaults(
                List.of("pull"), Map.of("pool", "ipsec"), null, null, null, "network-high"));

    RunCommand bad = new RunCommand();
    CommandLine line = new CommandLine(bad);
    line.parseArgs("--gateway-pod-defaults={\"nodeSelectors\":{}}");
    assertThatThrownBy(bad::podDefaults)
        .isInstanceOf(CommandLine.ParameterException.class)
        .hasMessageContaining("--gateway-pod-defaults")
        .hasMessageContaining("nodeSelectors");
  }

  @Test
  void leaderElectionIsOffForOneReplicaAndTakesItsTimingsFromTheFlags() {
    RunCommand single = new RunCommand();
    new CommandLine(single).parseArgs("--replicas=1");
    assertThat(single.leaderElection()).isEmpty();

    RunCommand defaults = new RunCommand();
    new CommandLine(defaults).parseArgs("--replicas=2", "--identity=pod-a");
    OperatorSettings.LeaderElection le = defaults.leaderElection().orElseThrow();
    assertThat(le.identity()).isEqualTo("pod-a");
    assertThat(le.exitOnStopLeading()).isTrue();
    assertThat(le.timings())
        .isEqualTo(
            new LeaseTimings(
                Duration.ofSeconds(15), Duration.ofSeconds(10), Duration.ofSeconds(2)));

    RunCommand fast = new RunCommand();
    new CommandLine(fast)
        .parseArgs(
            "--leader-election",
            "--lease-duration-seconds=4",
            "--renew-deadline-seconds=3",
            "--retry-period-seconds=1");
    assertThat(fast.leaderElection().orElseThrow().timings())
        .isEqualTo(
            new LeaseTimings(Duration.ofSeconds(4), Duration.ofSeconds(3), Duration.ofSeconds(1)));
  }

  @Test
  void leaseTimingsThatWouldLetTwoReplicasLeadAtOnceStopTheStart() {
    RunCommand renewPastLease = new RunCommand();
    new CommandLine(renewPastLease)
        .parseArgs(
            "--leader-election", "--lease-duration-seconds=10", "--renew-deadline-seconds=10");
    assertThatThrownBy(renewPastLease::leaderElection)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("must be shorter than the lease duration");

    RunCommand retryTooSlow = new RunCommand();
    new CommandLine(retryTooSlow)
        .parseArgs("--leader-election", "--renew-deadline-seconds=2", "--retry-period-seconds=2");
    assertThatThrownBy(retryTooSlow::leaderElection)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("longer than 1.2 retry periods");

    RunCommand noRetry = new RunCommand();
    new CommandLine(noRetry).parseArgs("--leader-election", "--retry-period-seconds=0");
    assertThatThrownBy(noRetry::leaderElection)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("retry period must be positive");
  }

  @Test
  void listenAddressMustHaveAPort() {
    assertThat(RunCommand.address("127.0.0.1:8081").getPort()).isEqualTo(8081);
    assertThatThrownBy(() -> RunCommand.address("localhost"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("HOST:PORT");
    assertThatThrownBy(() -> RunCommand.address("localhost:http"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("--http-listen must be HOST:PORT, not localhost:http");
    assertThatThrownBy(() -> RunCommand.address("localhost:70000"))
        .hasMessage("--http-listen must be HOST:PORT, not localhost:70000");
  }
}
