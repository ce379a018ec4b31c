package dev.ipsec.operator.metrics;

import dev.ipsec.operator.version.ProjectVersion;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;

/**
 * What every process of the jar exports next to its own metrics, on the operator's and on each
 * gateway agent's {@code /metrics}: JVM memory, garbage collection, threads and classes, the
 * process's CPU, open files and uptime (Micrometer's binders, under their usual {@code jvm_*},
 * {@code process_*} and {@code system_*} names, which standard JVM dashboards query), and one
 * {@code <prefix>_build_info} series whose labels say which release and Java run.
 */
public final class ProcessMeters {

  private ProcessMeters() {}

  /**
   * Binds them to {@code registry}.
   *
   * @param buildInfo the build-info metric's name as Prometheus shows it, e.g. {@code
   *     ipsec_operator_build_info}
   */
  public static void bindTo(MeterRegistry registry, String buildInfo) {
    new JvmMemoryMetrics().bindTo(registry);
    // registers GC notification listeners for the life of the process, which is what we want
    new JvmGcMetrics().bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ClassLoaderMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new FileDescriptorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
    Gauge.builder(buildInfo.replace('_', '.'), () -> 1.0)
        .tag("version", ProjectVersion.current())
        .tag("java_version", System.getProperty("java.version"))
        .description("Always 1: the labels say which release and which Java this process runs")
        .register(registry);
  }
}
