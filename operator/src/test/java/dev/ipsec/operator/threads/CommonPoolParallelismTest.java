package dev.ipsec.operator.threads;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The common pool's parallelism is read once per JVM, so each case runs in a JVM of its own, with
 * the cores it is given on its command line.
 */
class CommonPoolParallelismTest {

  /** Run in the child JVM: what {@link CommonPoolParallelism#atLeastTwo} did to the pool. */
  public static final class Probe {
    public static void main(String[] args) {
      boolean pooled = CommonPoolParallelism.atLeastTwo();
      Thread[] ran = new Thread[1];
      CompletableFuture.runAsync(() -> ran[0] = Thread.currentThread()).join();
      System.out.println(
          pooled
              + " "
              + java.util.concurrent.ForkJoinPool.getCommonPoolParallelism()
              + " "
              + ran[0].getName());
    }
  }

  @Test
  void onTwoCoresAsynchronousStepsRunInTheCommonPoolNotInANewThreadEach() throws Exception {
    assertThat(probe("-XX:ActiveProcessorCount=2"))
        .startsWith("true 2 ForkJoinPool.commonPool-worker-");
  }

  @Test
  void onOneCoreToo() throws Exception {
    assertThat(probe("-XX:ActiveProcessorCount=1"))
        .startsWith("true 2 ForkJoinPool.commonPool-worker-");
  }

  @Test
  void withoutItTwoCoresGiveANewThreadPerStep() throws Exception {
    // the JDK's own choice, which the method is there to change
    assertThat(probe("-XX:ActiveProcessorCount=2", "-D" + CommonPoolParallelism.PROPERTY + "=1"))
        .startsWith("false 1 Thread-");
  }

  @Test
  void moreCoresKeepTheJdksParallelism() throws Exception {
    assertThat(probe("-XX:ActiveProcessorCount=8"))
        .startsWith("true 7 ForkJoinPool.commonPool-worker-");
  }

  private static String probe(String... jvmOptions) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(ProcessHandle.current().info().command().orElse("java"));
    command.addAll(List.of(jvmOptions));
    command.addAll(List.of("-cp", System.getProperty("java.class.path"), Probe.class.getName()));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).as(out).isZero();
    return out;
  }
}
