package dev.ipsec.operator.chart;

import dev.ipsec.operator.api.v1alpha1.IkeGroup;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.javaoperatorsdk.operator.api.monitoring.Metrics;
import io.javaoperatorsdk.operator.api.reconciler.Constants;
import io.javaoperatorsdk.operator.monitoring.micrometer.MicrometerMetrics;
import io.javaoperatorsdk.operator.processing.GroupVersionKind;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.controller.ResourceAction;
import io.javaoperatorsdk.operator.processing.event.source.controller.ResourceEvent;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.Map;
import java.util.Set;

/**
 * The Prometheus names the operator's reconciliation metrics really have: JOSDK's {@link
 * MicrometerMetrics} is driven through a reconciliation's life (event, start, success, failure,
 * cleanup) into a Prometheus registry, and the scrape is read back.
 */
final class OperatorMetricNames {

  private OperatorMetricNames() {}

  static Set<String> exported() {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    // as IpsecOperator configures it
    Metrics metrics = MicrometerMetrics.withoutPerResourceMetrics(registry);
    IkeGroup resource = new IkeGroup();
    resource.setMetadata(new ObjectMetaBuilder().withName("ike").withNamespace("site-a").build());
    ResourceID id = ResourceID.fromResource(resource);
    Map<String, Object> metadata =
        Map.of(
            Constants.RESOURCE_GVK_KEY,
            GroupVersionKind.gvkFor(IkeGroup.class),
            Constants.CONTROLLER_NAME,
            "ikegroup");

    metrics.receivedEvent(new ResourceEvent(ResourceAction.ADDED, id, resource), metadata);
    metrics.finishedReconciliation(resource, metadata);
    metrics.failedReconciliation(resource, new IllegalStateException("test"), metadata);
    metrics.cleanupDoneFor(id, metadata);
    return PrometheusScrape.metricNames(registry.scrape());
  }
}
