package dev.ipsec.operator.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ipsec.operator.version.ProjectVersion;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.api.Test;

/** What a scrape of a process's /metrics shows besides its own metrics. */
class ProcessMetersTest {

  @Test
  void jvmProcessAndBuildInfoUnderTheirPrometheusNames() {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

    ProcessMeters.bindTo(registry, "ipsec_operator_build_info");
    String scrape = registry.scrape();

    assertThat(scrape)
        .contains(
            "jvm_memory_used_bytes{",
            "jvm_threads_live_threads ",
            "jvm_classes_loaded_classes ",
            "process_cpu_usage ",
            "process_uptime_seconds ",
            "process_files_open_files ",
            "system_cpu_count ")
        // an info metric: Prometheus' exposition prints its value as 1
        .contains(
            "ipsec_operator_build_info{java_version=\""
                + System.getProperty("java.version")
                + "\",version=\""
                + ProjectVersion.current()
                + "\"} 1\n");
    assertThat(ProjectVersion.current()).isNotBlank().doesNotContain("development");
  }
}
