package dev.ipsec.operator.chart;

import static org.assertj.core.api.Assertions.assertThat;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import org.junit.jupiter.api.Test;

/** {@code helm lint --strict} has nothing to say about the chart. */
class ChartLintTest {

  @Test
  void strictLintIsClean() {
    LintResult result = new Helm(HelmChart.directory()).lint().strict().call();

    assertThat(result.isFailed()).as("lint failed: %s", result.getMessages()).isFalse();
    assertThat(result.getMessages())
        .as("lint findings")
        .noneMatch(message -> message.contains("[WARNING]") || message.contains("[ERROR]"));
  }
}
