package dev.ipsec.operator.kubelet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Processes in a sandbox: in the network namespace, with a {@code /run} of their own, and gone with
 * the sandbox. Needs root: tagged like the operator's {@code testing.RequiresCharon} (this module
 * cannot depend on the operator's tests), so the unit tier ({@code -Punit}) leaves it out.
 */
@Tag("charon")
class NetnsSandboxTest {
  @TempDir Path dir;
  private String netns;

  @BeforeEach
  void createNetworkNamespace() {
    // not ipo*: that prefix is the demo's and e2e's, whose leftovers people look for
    netns = "kst-" + String.format("%04x", new SecureRandom().nextInt(0x10000));
    HostCommands.run(List.of("ip", "netns", "add", netns));
  }

  @AfterEach
  void deleteNetworkNamespace() {
    HostCommands.runQuietly(List.of("ip", "netns", "del", netns));
  }

  @Test
  void runsCommandsInTheNetworkNamespaceWithAPrivateRun() throws Exception {
    try (NetnsSandbox sandbox = NetnsSandbox.open(netns)) {
      Object netnsInode = Files.getAttribute(Path.of("/run/netns", netns), "unix:ino");
      assertThat(sandbox.run(List.of("readlink", "/proc/self/ns/net")).strip())
          .isEqualTo("net:[" + netnsInode + "]");

      assertThat(sandbox.run(List.of("findmnt", "-n", "-o", "FSTYPE", "/run")).strip())
          .isEqualTo("tmpfs");
      assertThat(sandbox.run(List.of("ls", "-A", "/run"))).isEmpty();
      sandbox.run(List.of("touch", "/run/sandbox-marker"));
      assertThat(Path.of("/run/sandbox-marker")).doesNotExist();
    }
  }

  @Test
  void keepsNoCopyOfTheHostsNetworkNamespaceMounts() {
    try (NetnsSandbox sandbox = NetnsSandbox.open(netns)) {
      // the host has at least this test's /run/netns/<netns>; a copy would keep it alive
      assertThat(sandbox.run(List.of("cat", "/proc/self/mountinfo"))).doesNotContain("/run/netns");
    }
  }

  @Test
  void startsProcessesWithTheirEnvironmentAndOutputAndTheSameRunEachTime() throws Exception {
    Path log = dir.resolve("out.log");
    try (NetnsSandbox sandbox = NetnsSandbox.open(netns)) {
      Process first =
          sandbox.start(
              List.of("sh", "-c", "echo \"$GREETING\" > /run/shared; echo first"),
              Map.of("GREETING", "hello"),
              log);
      assertThat(first.waitFor(10, TimeUnit.SECONDS)).isTrue();

      Process second = sandbox.start(List.of("cat", "/run/shared"), Map.of(), log);
      assertThat(second.waitFor(10, TimeUnit.SECONDS)).isTrue();
      assertThat(second.exitValue()).isZero();
    }
    assertThat(Files.readAllLines(log)).containsExactly("first", "hello");
  }

  @Test
  void theStartedProcessIsTheCommandItself() throws Exception {
    try (NetnsSandbox sandbox = NetnsSandbox.open(netns)) {
      Process sleeper = sandbox.start(List.of("sleep", "60"), Map.of(), dir.resolve("log"));
      // nsenter execs the command: no process stays between the caller and it
      Path comm = Path.of("/proc", String.valueOf(sleeper.pid()), "comm");
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
      while (!Files.readString(comm).strip().equals("sleep") && System.nanoTime() < deadline) {
        Thread.sleep(10);
      }
      assertThat(Files.readString(comm).strip()).isEqualTo("sleep");
    }
  }

  @Test
  void closeStopsWhatItStartedAndLeavesNothingInTheNetworkNamespace() {
    NetnsSandbox sandbox = NetnsSandbox.open(netns);
    Process sleeper = sandbox.start(List.of("sleep", "60"), Map.of(), dir.resolve("log"));
    Process ignoresTerm =
        sandbox.start(
            // an ignored signal stays ignored across exec: this sleep outlives SIGTERM
            List.of("sh", "-c", "trap '' TERM; exec sleep 60"), Map.of(), dir.resolve("log"));

    sandbox.close();

    assertThat(sleeper.isAlive()).isFalse();
    assertThat(ignoresTerm.isAlive()).isFalse();
    assertThat(HostCommands.run(List.of("ip", "netns", "pids", netns))).isBlank();
    assertThatThrownBy(() -> sandbox.start(List.of("true"), Map.of(), dir.resolve("log")))
        .hasMessageContaining("closed");
    sandbox.close();
  }

  @Test
  void failsWithTheReasonAndLeavesNoProcessWhenTheNetworkNamespaceIsMissing() {
    assertThatThrownBy(() -> NetnsSandbox.open(netns + "-missing"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining(netns + "-missing");
    assertThat(ProcessHandle.current().children().filter(ProcessHandle::isAlive)).isEmpty();
  }
}
